package io.jnet.http;

import io.jnet.Net;

/**
 * Tells whether the current thread is a jnet event-loop thread ({@link Net#inEventLoop()}), so that the
 * client's blocking calls can refuse to run there instead of hanging: a loop blocked in {@code send()}
 * or in a body read can no longer deliver the bytes it waits for (its own connection's, or an
 * in-process server's). Thread-safe.
 */
final class LoopThreads {
    private LoopThreads() {
    }

    /** Whether the caller runs on a jnet event-loop thread (in a socket or server listener, say). */
    static boolean current() {
        return Net.inEventLoop();
    }

    /**
     * Throws when the caller is on an event-loop thread.
     *
     * @param what    the blocking call, as the user wrote it ({@code "HttpClient.send()"})
     * @param instead what to do there instead
     * @throws IllegalStateException naming the loop thread, the call and the way out
     */
    static void refuseBlocking(String what, String instead) {
        if (current()) {
            throw new IllegalStateException(what + " called on event loop thread " + Thread.currentThread().getName()
                    + " would block the loop, and with it the I/O it waits for; " + instead);
        }
    }
}
