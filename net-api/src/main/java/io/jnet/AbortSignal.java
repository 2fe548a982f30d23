package io.jnet;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-way cancellation flag from an {@link AbortController}, Node's {@code AbortSignal}: a socket
 * connected with {@link ConnectOptions#signal()} is destroyed with {@link ErrorCode#ABORT_ERR}
 * ({@code "The operation was aborted"}) when it fires. Thread-safe; listeners run on the thread that
 * aborts (or at once, on the registering thread, when already aborted).
 */
public final class AbortSignal {
    private List<Runnable> listeners = new ArrayList<>();
    private boolean aborted;
    private Throwable reason;

    AbortSignal() {
    }

    /** A signal that is already aborted, Node's {@code AbortSignal.abort()}. */
    public static AbortSignal aborted() {
        AbortSignal s = new AbortSignal();
        s.abort(null);
        return s;
    }

    /** Whether {@link AbortController#abort} was called. */
    public synchronized boolean isAborted() {
        return aborted;
    }

    /** The reason given to {@link AbortController#abort(Throwable)}, Node's default one, or null while not aborted. */
    public synchronized Throwable reason() {
        return reason;
    }

    /** The error an aborted operation reports: {@link ErrorCode#ABORT_ERR}, caused by the {@link #reason()}. */
    public NetException abortError() {
        NetException e = new NetException(ErrorCode.ABORT_ERR, "The operation was aborted");
        Throwable r = reason();
        if (r != null) {
            e.initCause(r);
        }
        return e;
    }

    /**
     * Runs {@code listener} once when the signal aborts (at once if it has).
     *
     * @return removes the listener when it is no longer wanted, so a long-lived signal does not keep it
     */
    public Runnable onAbort(Runnable listener) {
        synchronized (this) {
            if (!aborted) {
                listeners.add(listener);
                return () -> {
                    synchronized (AbortSignal.this) {
                        if (listeners != null) {
                            listeners.remove(listener);
                        }
                    }
                };
            }
        }
        listener.run();
        return () -> { };
    }

    void abort(Throwable why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            // Node's default reason is a DOMException AbortError "This operation was aborted".
            reason = why != null ? why : new java.util.concurrent.CancellationException("This operation was aborted");
            toRun = listeners;
            listeners = null;
        }
        for (Runnable r : toRun) {
            r.run();
        }
    }

    @Override
    public synchronized String toString() {
        return aborted ? "AbortSignal[aborted: " + reason + "]" : "AbortSignal[not aborted]";
    }
}
