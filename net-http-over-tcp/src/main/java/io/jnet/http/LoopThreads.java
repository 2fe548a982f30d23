package io.jnet.http;

import io.jnet.spi.EventLoop;

/**
 * Tells whether the current thread is a jnet event-loop thread, so that the client's blocking calls
 * can refuse to run there instead of hanging: a loop blocked in {@code send()} or in a body read can
 * no longer deliver the bytes it waits for (its own connection's, or an in-process server's).
 *
 * <p>jnet has no "current loop" API, so a thread is recognised by what it runs: a loop thread is
 * started on {@link EventLoop}'s run method and every listener runs inside it, so an {@link EventLoop}
 * frame is on its stack; on any other thread none is, since {@link EventLoop#execute} only queues.
 * A thread never changes sides, so the answer is walked once per thread and kept. Thread-safe.
 */
final class LoopThreads {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ThreadLocal<Boolean> ON_LOOP = ThreadLocal.withInitial(
            () -> WALKER.walk(frames -> frames.anyMatch(f -> f.getDeclaringClass() == EventLoop.class)));

    private LoopThreads() {
    }

    /** Whether the caller runs on a jnet event-loop thread (in a socket or server listener, say). */
    static boolean current() {
        return ON_LOOP.get();
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
