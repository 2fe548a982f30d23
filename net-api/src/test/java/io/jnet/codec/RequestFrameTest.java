package io.jnet.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bytes of {@link RequestChannel}'s frames, exactly as MESSAGING.md shows them. */
class RequestFrameTest {
    @Test
    void aRequestAndItsReplyAreTheBytesOfTheDocumentedExample() {
        assertArrayEquals(new byte[] {0, 0, 0, 7, 1, 0, 0, 0, 1, 'h', 'i'},
                bytes(RequestFrame.encode(RequestFrame.REQUEST, 1, ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), 64)));
        assertArrayEquals(new byte[] {0, 0, 0, 7, 2, 0, 0, 0, 1, 'H', 'I'},
                bytes(RequestFrame.encode(RequestFrame.REPLY, 1, ByteBuffer.wrap("HI".getBytes(StandardCharsets.US_ASCII)), 64)));
    }

    @Test
    void theIdIsUnsignedBigEndianAndThePayloadPositionIsLeftAlone() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {9, 8, 7}).position(1);
        ByteBuffer frame = RequestFrame.encode(RequestFrame.ERROR, 0xFFFF_FFFE, payload, 64);
        assertArrayEquals(new byte[] {0, 0, 0, 7, 3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 8, 7}, bytes(frame));
        assertEquals(1, payload.position());
    }

    @Test
    void theLimitCountsTheFiveHeaderBytes() {
        RequestFrame.encode(RequestFrame.MESSAGE, 0, ByteBuffer.allocate(59), 64);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> RequestFrame.encode(RequestFrame.MESSAGE, 0, ByteBuffer.allocate(60), 64));
        assertEquals(65, e.length());
        assertEquals(64, e.maxFrameSize());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
