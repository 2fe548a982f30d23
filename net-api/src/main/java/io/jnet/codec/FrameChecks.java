package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.nio.ByteBuffer;

/** Argument checks and buffer helpers shared by the frame codecs. */
final class FrameChecks {
    /** Room left for a line's {@code \r} in {@code long} arithmetic and array sizes. */
    static final int MAX_FRAME_LIMIT = Integer.MAX_VALUE - 16;

    private FrameChecks() {
    }

    static int maxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 1 || maxFrameSize > MAX_FRAME_LIMIT) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "maxFrameSize must be between 1 and " + MAX_FRAME_LIMIT + " but was " + maxFrameSize);
        }
        return maxFrameSize;
    }

    /** A view of {@code buffer}'s bytes [from, to), big-endian, independent position and limit. */
    static ByteBuffer slice(ByteBuffer buffer, int from, int to) {
        return buffer.slice(from, to - from);
    }

    /** Copies {@code src}'s bytes [from, to) into {@code dst} at its position; neither's limits change. */
    static void copy(ByteBuffer src, int from, int to, ByteBuffer dst) {
        int at = dst.position();
        dst.put(at, src, from, to - from);
        dst.position(at + to - from);
    }

    static NetException truncated(String what, long have) {
        return new NetException(ErrorCode.ERR_FRAME_TRUNCATED, "read", null,
                "stream ended inside a frame: " + what + " (" + have + " bytes held)", null);
    }
}
