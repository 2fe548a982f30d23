package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns one message into the wire bytes of one frame, the counterpart of {@link FrameDecoder}.
 *
 * <pre>{@code
 * FrameEncoder encoder = FrameEncoder.lengthPrefixed(1 << 20);
 * socket.write(encoder.encode("hello"));      // 00 00 00 05 'h' 'e' 'l' 'l' 'o'
 * }</pre>
 *
 * <p>The frame is built in one new buffer (header or line ending included), so it goes to the socket
 * in a single {@link Socket#write(ByteBuffer)}: frames written from several threads never interleave,
 * and the kernel sees header and payload in one system call. The payload is copied once to do that.
 *
 * <p>Stateless and thread-safe.
 */
public interface FrameEncoder {

    /**
     * Newline-delimited frames: payload then {@code \n}. A payload containing {@code \n}, or ending with
     * {@code \r} (which the decoder would strip), cannot be framed this way and is refused.
     *
     * @param maxFrameSize the longest payload sent, in bytes, at least 1; should match the peer's limit
     */
    static FrameEncoder lines(int maxFrameSize) {
        return new LineFrameEncoder(maxFrameSize);
    }

    /**
     * Length-prefixed frames: the payload length as 4 big-endian bytes, then the payload.
     *
     * @param maxFrameSize the longest payload sent, in bytes, at least 1; should match the peer's limit
     */
    static FrameEncoder lengthPrefixed(int maxFrameSize) {
        return new LengthPrefixFrameEncoder(maxFrameSize);
    }

    /**
     * Encodes the payload's bytes from {@code position} to {@code limit}.
     *
     * <p>Ownership: the payload is only read (position, limit and content left as they were) and not kept;
     * the caller may reuse it at once. The returned buffer is new and the caller's, ready to read.
     *
     * @throws FrameTooLargeException the payload is over {@link #maxFrameSize()}; nothing is produced
     * @throws NetException           {@link ErrorCode#ERR_INVALID_ARG_VALUE}: the payload cannot be framed
     *                                this way (a line frame containing {@code \n})
     */
    ByteBuffer encode(ByteBuffer payload);

    /** Encodes the whole array, which is only read. Errors as {@link #encode(ByteBuffer)}. */
    default ByteBuffer encode(byte[] payload) {
        return encode(ByteBuffer.wrap(payload));
    }

    /** Encodes the text as UTF-8. Errors as {@link #encode(ByteBuffer)}, the limit counting UTF-8 bytes. */
    default ByteBuffer encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The longest payload accepted. */
    int maxFrameSize();
}
