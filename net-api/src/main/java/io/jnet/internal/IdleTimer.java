package io.jnet.internal;


/**
 * Node's {@code socket.setTimeout}: fires once when the socket has seen no activity for the idle time,
 * and again only after activity re-arms it. It only notifies; closing is the listener's choice.
 *
 * <p>Activity is cheap to report (a clock read): the timer is not rescheduled per read or write but,
 * when it comes due, looks at the last activity and sleeps again for what is left. Loop thread only.
 */
final class IdleTimer {
    private final EventLoop loop;
    private final Runnable onIdle;
    private long idleNanos;
    private long lastActivity;
    private Timer timer;

    IdleTimer(EventLoop loop, Runnable onIdle) {
        this.loop = loop;
        this.onIdle = onIdle;
    }

    boolean isSet() {
        return idleNanos > 0;
    }

    long idleNanos() {
        return idleNanos;
    }

    /** Sets the idle time (0 turns it off) and starts counting from now. */
    void set(long nanos) {
        cancel();
        idleNanos = nanos;
        if (nanos > 0) {
            lastActivity = System.nanoTime();
            timer = loop.schedule(this::due, nanos);
        }
    }

    /** Bytes moved: the idle period starts again. */
    void touch() {
        if (idleNanos > 0) {
            lastActivity = System.nanoTime();
            if (timer == null) {
                timer = loop.schedule(this::due, idleNanos);
            }
        }
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void due() {
        timer = null;
        if (idleNanos <= 0) {
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        if (idleFor >= idleNanos) {
            onIdle.run(); // once per idle period; the next activity re-arms it
        } else {
            timer = loop.schedule(this::due, idleNanos - idleFor);
        }
    }
}
