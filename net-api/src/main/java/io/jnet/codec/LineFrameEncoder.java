package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.nio.ByteBuffer;
import java.util.Objects;

/** {@link FrameEncoder#lines}: payload then {@code \n}. */
final class LineFrameEncoder implements FrameEncoder {
    private final int maxFrameSize;

    LineFrameEncoder(int maxFrameSize) {
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
        for (int i = 0; i < n; i++) {
            if (payload.get(from + i) == '\n') {
                throw invalid("contains '\\n' at byte " + i + " of " + n);
            }
        }
        if (n > 0 && payload.get(from + n - 1) == '\r') {
            throw invalid("ends with '\\r', which the receiving side strips as part of \"\\r\\n\"");
        }
        ByteBuffer frame = ByteBuffer.allocate(n + 1);
        FrameChecks.copy(payload, from, from + n, frame);
        return frame.put((byte) '\n').flip();
    }

    private static NetException invalid(String why) {
        return new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "write", null,
                "a newline-delimited frame's payload " + why, null);
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }
}
