package io.jnet.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/** {@link FrameEncoder#lengthPrefixed}: 4-byte big-endian payload length, then the payload. */
final class LengthPrefixFrameEncoder implements FrameEncoder {
    private final int maxFrameSize;

    LengthPrefixFrameEncoder(int maxFrameSize) {
        this.maxFrameSize = FrameChecks.maxFrameSize(maxFrameSize);
    }

    @Override
    public ByteBuffer encode(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        int from = payload.position();
        int n = payload.remaining();
        if (n > maxFrameSize) {
            throw new FrameTooLargeException("write", null, n, false, maxFrameSize);
        }
        ByteBuffer frame = ByteBuffer.allocate(LengthPrefixFrameDecoder.HEADER_BYTES + n).putInt(n);
        FrameChecks.copy(payload, from, from + n, frame);
        return frame.flip();
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }
}
