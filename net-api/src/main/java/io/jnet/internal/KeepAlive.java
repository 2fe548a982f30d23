package io.jnet.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the JVM alive while any ref'd socket or server is open, the way an open handle keeps Node's
 * process alive. Loop threads are daemons; while the count is above zero one non-daemon thread parks
 * here, and it leaves when the count returns to zero. Thread-safe.
 */
public final class KeepAlive {
    private static int refs;
    private static Thread holder;

    private KeepAlive() {
    }

    public static synchronized void acquire() {
        if (refs++ == 0 && holder == null) {
            holder = new Thread(KeepAlive::hold, "jnet-keepalive");
            holder.setDaemon(false);
            holder.start();
        }
    }

    public static synchronized void release() {
        if (refs <= 0) {
            throw new IllegalStateException("KeepAlive released more often than acquired");
        }
        if (--refs == 0 && holder != null) {
            LockSupport.unpark(holder);
        }
    }

    private static void hold() {
        while (true) {
            synchronized (KeepAlive.class) {
                if (refs == 0) {
                    holder = null;
                    return;
                }
            }
            LockSupport.park(KeepAlive.class);
        }
    }
}
