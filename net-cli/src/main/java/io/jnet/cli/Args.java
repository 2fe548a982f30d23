package io.jnet.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The arguments of one subcommand, read front to back. Options may be written {@code --port 0} or
 * {@code --port=0}; every problem is a {@link UsageException} that names the option and what was seen.
 *
 * <pre>{@code
 * while (args.hasNext()) {
 *     String arg = args.next();
 *     switch (arg) {
 *         case "--port" -> port = args.intValue(arg, 0, 65535);
 *         default -> positional.add(args.positional(arg));
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one command reads it on the main thread.
 */
final class Args {
    private final String command;
    private final Deque<String> rest;
    /** The value of a {@code --name=value} token, handed out by the next {@link #value} call. */
    private String inlineValue;

    Args(String command, List<String> args) {
        this.command = command;
        this.rest = new ArrayDeque<>(args);
    }

    /** Whether any argument is left. */
    boolean hasNext() {
        return !rest.isEmpty();
    }

    /** The next argument; {@code --name=value} comes back as {@code --name}, its value kept for {@link #value}. */
    String next() {
        if (inlineValue != null) {
            throw usage("option takes no value: =" + inlineValue);
        }
        String arg = rest.removeFirst();
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 2) {
            inlineValue = arg.substring(eq + 1);
            return arg.substring(0, eq);
        }
        return arg;
    }

    /** The value that follows {@code option}. */
    String value(String option) {
        if (inlineValue != null) {
            String v = inlineValue;
            inlineValue = null;
            return v;
        }
        if (rest.isEmpty()) {
            throw usage(option + " needs a value");
        }
        return rest.removeFirst();
    }

    /** The value that follows {@code option}, as an integer in {@code [min, max]}. */
    int intValue(String option, int min, int max) {
        return parseInt(option, value(option), min, max);
    }

    /** {@code text} as an integer in {@code [min, max]}; {@code what} names it in the error. */
    int parseInt(String what, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the range, which says more than the parser's message
        }
        throw usage(what + " must be a whole number from " + min + " to " + max + " but was \"" + text + "\"");
    }

    /** Checks that {@code arg} is a positional argument (not an unknown option) and returns it. */
    String positional(String arg) {
        if (inlineValue != null || (arg.startsWith("-") && arg.length() > 1)) {
            throw usage("unknown option " + arg);
        }
        return arg;
    }

    /** A usage error for this subcommand. */
    UsageException usage(String message) {
        return new UsageException(command, message);
    }
}
