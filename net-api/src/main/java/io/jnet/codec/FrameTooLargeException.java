package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

/**
 * A framed message over the maximum frame size: code {@link ErrorCode#ERR_FRAME_TOO_LARGE}, with the
 * limit and the length in the message and as values.
 *
 * <pre>{@code
 * socket.on(Socket.ERROR, err -> {
 *     if (err instanceof FrameTooLargeException big) {
 *         log.warn("peer sent {} bytes, limit {}", big.length(), big.maxFrameSize());
 *     }
 * });
 * }</pre>
 *
 * <p>Decoders raise it as soon as they know: on the length header for length-prefixed frames, and as
 * soon as the buffered part of a line is over the limit for newline-delimited frames, in which case
 * {@link #length()} is the length seen so far and {@link #isLowerBound()} is true. Encoders raise it
 * before anything is written.
 */
public final class FrameTooLargeException extends NetException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final boolean lowerBound;
    private final int maxFrameSize;

    FrameTooLargeException(String syscall, String address, long length, boolean lowerBound, int maxFrameSize) {
        super(ErrorCode.ERR_FRAME_TOO_LARGE, syscall, address,
                "frame of " + (lowerBound ? "at least " : "") + length
                        + " bytes exceeds the maximum frame size of " + maxFrameSize + " bytes", null);
        this.length = length;
        this.lowerBound = lowerBound;
        this.maxFrameSize = maxFrameSize;
    }

    /** The same failure, naming the address it came from. */
    FrameTooLargeException at(String address) {
        return new FrameTooLargeException(syscall(), address, length, lowerBound, maxFrameSize);
    }

    /** The frame's length in bytes: declared by its header, or (see {@link #isLowerBound()}) seen so far. */
    public long length() {
        return length;
    }

    /** Whether {@link #length()} is only what had arrived when the frame was refused. */
    public boolean isLowerBound() {
        return lowerBound;
    }

    /** The limit the frame broke. */
    public int maxFrameSize() {
        return maxFrameSize;
    }
}
