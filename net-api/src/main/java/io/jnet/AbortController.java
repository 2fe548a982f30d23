package io.jnet;

/**
 * Cancels what was started with its {@link #signal()}, as the web platform's (and Node's)
 * {@code AbortController}. Thread-safe.
 *
 * <pre>{@code
 * AbortController controller = new AbortController();
 * Socket socket = Net.createConnection(endpoint, ConnectOptions.builder().signal(controller.signal()).build(), null);
 * socket.on(Socket.ERROR, err -> ...);   // ABORT_ERR "The operation was aborted" after:
 * controller.abort();
 * }</pre>
 */
public final class AbortController {
    private final AbortSignal signal = new AbortSignal();

    /** The signal to hand to what should be cancellable. */
    public AbortSignal signal() {
        return signal;
    }

    /** Aborts the signal with Node's default reason; harmless after the first call. */
    public void abort() {
        signal.abort(null);
    }

    /** Aborts the signal with {@code reason} (the cause of each {@link ErrorCode#ABORT_ERR}); harmless after the first call. */
    public void abort(Throwable reason) {
        signal.abort(reason);
    }
}
