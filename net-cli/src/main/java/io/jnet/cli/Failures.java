package io.jnet.cli;

import io.jnet.NetException;

/** Turns a failure into the one line {@code jnet} prints after {@code "jnet: "}. */
final class Failures {
    private Failures() {
    }

    /**
     * The message of the {@link NetException} behind {@code t} when there is one (its wording,
     * {@code connect ECONNREFUSED 127.0.0.1:9}, is the contract), else {@code t}'s own message, else
     * its type: never an empty line, never a stack trace.
     */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NetException) {
                return c.getMessage();
            }
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }
}
