package io.jnet.bench.load;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes a channel when a workload overruns its hard time limit, which unblocks any thread stuck in
 * a blocking read or write on it: a stalled server cannot hang the load generator.
 */
final class Watchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean fired;

    Watchdog(Closeable target, long limitNanos, String what) {
        thread = new Thread(() -> {
            try {
                Thread.sleep(limitNanos / 1_000_000, (int) (limitNanos % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            fired = true;
            System.err.println(what + ": hard time limit reached; closing the connection");
            try {
                target.close();
            } catch (IOException ignored) {
                // Closing to unblock; the workload reports what it got.
            }
        }, "watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
