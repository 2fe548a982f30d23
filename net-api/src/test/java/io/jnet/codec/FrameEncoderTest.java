package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest {

    @Test
    void lengthPrefixedFrameIsFourBigEndianLengthBytesThenThePayload() {
        ByteBuffer frame = FrameEncoder.lengthPrefixed(1 << 20).encode(new byte[300]);
        assertEquals(304, frame.remaining());
        assertArrayEquals(new byte[] {0, 0, 1, 44}, bytes(frame, 4));
    }

    @Test
    void lineFrameIsThePayloadThenLf() {
        assertEquals("h\u00e9\n", new String(bytes(FrameEncoder.lines(16).encode("hé"), 4), StandardCharsets.UTF_8));
    }

    @Test
    void encodesExactlyTheLimitAndRefusesOneByteOverBeforeProducingAnything() {
        for (FrameEncoder encoder : List.of(FrameEncoder.lines(4), FrameEncoder.lengthPrefixed(4))) {
            encoder.encode("abcd");
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> encoder.encode("abcde"));
            assertEquals(5, e.length());
            assertEquals("write ERR_FRAME_TOO_LARGE: frame of 5 bytes exceeds the maximum frame size of 4 bytes",
                    e.getMessage());
        }
    }

    @Test
    void theLimitCountsUtf8BytesNotChars() {
        assertThrows(FrameTooLargeException.class, () -> FrameEncoder.lengthPrefixed(3).encode("€€"));
    }

    @Test
    void refusesALinePayloadThatContainsLfNamingWhere() {
        NetException e = assertThrows(NetException.class, () -> FrameEncoder.lines(64).encode("ab\ncd"));
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertTrue(e.getMessage().contains("at byte 2 of 5"), e.getMessage());
    }

    @Test
    void refusesALinePayloadEndingWithCrWhichTheReceiverWouldStrip() {
        NetException e = assertThrows(NetException.class, () -> FrameEncoder.lines(64).encode("abc\r"));
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertEquals(List.of("a\rb"), roundTrip(FrameEncoder.lines(64), FrameDecoder.lines(64), "a\rb"));
    }

    @Test
    void leavesThePayloadsPositionAndLimitAsTheyWere() {
        ByteBuffer payload = ByteBuffer.wrap("xxabyy".getBytes(StandardCharsets.US_ASCII)).position(2).limit(4);
        for (FrameEncoder encoder : List.of(FrameEncoder.lines(64), FrameEncoder.lengthPrefixed(64))) {
            ByteBuffer frame = encoder.encode(payload);
            assertEquals(2, payload.position());
            assertEquals(4, payload.limit());
            assertTrue(frame.remaining() == 3 || frame.remaining() == 6);
        }
    }

    @Test
    void whatTheEncoderWritesTheDecoderReadsBack() {
        List<String> messages = List.of("", "a", "hé€😀", "{\"json\":true}", "x".repeat(1000));
        assertEquals(messages, roundTrip(FrameEncoder.lines(1000), FrameDecoder.lines(1000), messages.toArray(String[]::new)));
        assertEquals(messages, roundTrip(FrameEncoder.lengthPrefixed(1000), FrameDecoder.lengthPrefixed(1000),
                messages.toArray(String[]::new)));
    }

    private static List<String> roundTrip(FrameEncoder encoder, FrameDecoder decoder, String... messages) {
        List<String> out = new ArrayList<>();
        for (String m : messages) {
            decoder.decode(encoder.encode(m), f -> out.add(StandardCharsets.UTF_8.decode(f).toString()));
        }
        decoder.finish();
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer, int n) {
        byte[] b = new byte[Math.min(n, buffer.remaining())];
        buffer.duplicate().get(b);
        return b;
    }
}
