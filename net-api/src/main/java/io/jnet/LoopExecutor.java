package io.jnet;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The event loop a socket lives on, as seen by code built on sockets (a protocol client, a request
 * channel): run work on its thread, schedule timers there, and know whether the caller is on it.
 *
 * <pre>{@code
 * LoopExecutor loop = socket.executor();
 * LoopExecutor.Scheduled deadline = loop.schedule(() -> socket.destroy(timeoutError), Duration.ofSeconds(5));
 * socket.once(Socket.DATA, chunk -> deadline.cancel());
 * }</pre>
 *
 * <p>Everything here is thread-safe. Work runs on the loop in the order it was handed over; a task
 * must not block, since every socket of that loop waits for it.
 */
public interface LoopExecutor extends Executor {

    /** Whether the calling thread is this loop's thread. */
    boolean inEventLoop();

    /**
     * Runs {@code task} on this loop once {@code delay} has passed (at once for zero or less).
     *
     * @return a handle to cancel it; cancelling after it ran does nothing
     */
    Scheduled schedule(Runnable task, Duration delay);

    /** A task scheduled on a loop. */
    interface Scheduled {
        /** Makes sure the task will not run if it has not started; thread-safe, idempotent. */
        void cancel();
    }
}
