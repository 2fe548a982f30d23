package io.jnet.bench;

import java.util.concurrent.TimeUnit;

/**
 * Bounds every benchmark process: a server that its runner forgot still exits by itself.
 */
public final class Lifetime {
    private Lifetime() {
    }

    /**
     * Announces a listening server on stdout ({@code LISTENING <addr>}, the line {@code run.sh} waits
     * for) and arms a daemon timer that exits the JVM after {@code bench.maxSeconds} (default 1200).
     */
    public static void listening(String addr) {
        System.out.println("LISTENING " + addr);
        System.out.flush();
        exitAfter(Long.getLong("bench.maxSeconds", 1200));
    }

    /** Arms a daemon timer that exits the JVM (status 3) after {@code max} seconds. */
    public static void exitAfter(long max) {
        Thread t = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(max);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("benchmark process reached its " + max + " s limit; exiting");
            System.exit(3);
        }, "lifetime");
        t.setDaemon(true);
        t.start();
    }

    /** Blocks the main thread until the lifetime timer (or a signal) ends the process. */
    public static void park() throws InterruptedException {
        Thread.currentThread().join();
    }
}
