package io.jnet.codec;

import java.nio.ByteBuffer;

/**
 * The wire format of {@link RequestChannel} (written down for other languages in {@code MESSAGING.md}):
 * a length-prefixed frame whose body starts with a 5-byte header.
 *
 * <pre>
 * length  u32 big-endian   bytes of the body that follows (header included), at most maxFrameSize
 * kind    u8               1 REQUEST, 2 REPLY, 3 ERROR, 4 MESSAGE (one-way)
 * id      u32 big-endian   REQUEST: chosen by the requester, not 0; REPLY/ERROR: the request's id; MESSAGE: 0
 * payload                  REQUEST/REPLY/MESSAGE: opaque bytes; ERROR: UTF-8 text saying why
 * </pre>
 */
final class RequestFrame {
    static final byte REQUEST = 1;
    static final byte REPLY = 2;
    static final byte ERROR = 3;
    static final byte MESSAGE = 4;

    /** kind + id */
    static final int HEADER_BYTES = 5;
    /** Where the id sits in an encoded frame (after the length prefix and the kind). */
    static final int ID_OFFSET = LengthPrefixFrameDecoder.HEADER_BYTES + 1;

    private RequestFrame() {
    }

    /**
     * The whole frame, length prefix included, in one new buffer ready to write; the payload's remaining
     * bytes are copied and its position is not moved.
     *
     * @throws FrameTooLargeException header plus payload over {@code maxFrameSize}
     */
    static ByteBuffer encode(byte kind, int id, ByteBuffer payload, int maxFrameSize) {
        int n = payload.remaining();
        long body = (long) HEADER_BYTES + n;
        if (body > maxFrameSize) {
            throw new FrameTooLargeException("write", null, body, false, maxFrameSize);
        }
        ByteBuffer frame = ByteBuffer.allocate(LengthPrefixFrameDecoder.HEADER_BYTES + (int) body);
        frame.putInt((int) body).put(kind).putInt(id);
        FrameChecks.copy(payload, payload.position(), payload.limit(), frame);
        return frame.flip();
    }

    static String kindName(int kind) {
        return switch (kind) {
            case REQUEST -> "REQUEST";
            case REPLY -> "REPLY";
            case ERROR -> "ERROR";
            case MESSAGE -> "MESSAGE";
            default -> String.format("unknown kind 0x%02x", kind);
        };
    }
}
