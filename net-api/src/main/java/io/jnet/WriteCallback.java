package io.jnet;

/**
 * Told once what became of one {@link Socket#write(java.nio.ByteBuffer, WriteCallback) write}: Node's
 * {@code socket.write(data, cb)} callback.
 *
 * <pre>{@code
 * socket.write(frame, err -> {
 *     if (err != null) {
 *         log.warn("not sent: {}", err.getMessage());   // ERR_STREAM_DESTROYED, ERR_STREAM_WRITE_AFTER_END, ECONNRESET, ...
 *     }
 * });
 * }</pre>
 *
 * <p>Called exactly once, on the socket's loop thread: with {@code null} once every byte of the write
 * is handed to the kernel, or with the error that means it never will be — the write came after
 * {@code end()} ({@link ErrorCode#ERR_STREAM_WRITE_AFTER_END}), the socket was destroyed first
 * ({@link ErrorCode#ERR_STREAM_DESTROYED}), or the socket failed (its own error).
 */
@FunctionalInterface
public interface WriteCallback {

    /** @param error null when the bytes are with the kernel; otherwise why they never will be */
    void onWritten(Throwable error);
}
