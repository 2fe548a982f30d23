package io.jnet.internal;

/**
 * A task scheduled on an {@link EventLoop}; {@link #cancel()} is thread-safe and makes sure it will not
 * run if it has not already started.
 */
public final class Timer implements Comparable<Timer>, io.jnet.LoopExecutor.Scheduled {
    final Runnable task;
    final long deadlineNanos;
    private final long sequence;
    private volatile boolean cancelled;

    Timer(Runnable task, long deadlineNanos, long sequence) {
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    /** Stops the task from running; harmless if it already ran. */
    @Override
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** When it is due, on {@link System#nanoTime()}'s clock. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public int compareTo(Timer other) {
        int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
