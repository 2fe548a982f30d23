package io.jnet.codec;

import io.jnet.NetException;
import io.jnet.ErrorCode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.jnet.codec.FrameFeed.feed;
import static io.jnet.codec.FrameFeed.feedRandomly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LengthPrefixFrameDecoderTest {

    @Test
    void cutsTheSameFramesOutWhateverTwoOrThreeWaySplit() {
        List<String> sent = List.of("hello", "", "x", "\n\r\u0000\u00ff", "y".repeat(300), "");
        byte[] stream = wire(sent);
        for (int i = 0; i <= stream.length; i++) {
            for (int j = i; j <= stream.length; j++) {
                assertEquals(sent, feed(FrameDecoder.lengthPrefixed(300), stream, i, j), "cut at " + i + ", " + j);
            }
        }
    }

    @Test
    void cutsManyRandomFramesOutOfRandomChunks() {
        Random random = new Random(3);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            sent.add("z".repeat(random.nextInt(random.nextInt(10) == 0 ? 5_000 : 50)) + i);
        }
        byte[] stream = wire(sent);
        for (int maxChunk : new int[] {1, 3, 100, 10_000, stream.length}) {
            assertEquals(sent, feedRandomly(FrameDecoder.lengthPrefixed(5_004), stream, random, maxChunk));
        }
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximum() {
        assertEquals(List.of("abcd"), feed(FrameDecoder.lengthPrefixed(4), wire(List.of("abcd")), 2, 6));
    }

    @Test
    void refusesALengthOneOverTheMaximumOnTheHeaderAlone() {
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(4);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> feedChunks(decoder, new byte[] {0, 0}, new byte[] {0, 5}));
        assertEquals(ErrorCode.ERR_FRAME_TOO_LARGE, e.code());
        assertEquals(5, e.length());
        assertEquals(4, e.maxFrameSize());
        assertFalse(e.isLowerBound());
        assertEquals("read ERR_FRAME_TOO_LARGE: frame of 5 bytes exceeds the maximum frame size of 4 bytes", e.getMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void readsTheLengthAsUnsignedSoAHugeHeaderIsRefusedNotNegative() {
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> feedChunks(FrameDecoder.lengthPrefixed(1 << 20), new byte[] {-1, -1, -1, -1, 'a'}));
        assertEquals(4_294_967_295L, e.length());
    }

    @Test
    void refusesAllInputOnceFailed() {
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(1);
        assertThrows(FrameTooLargeException.class, () -> feedChunks(decoder, new byte[] {0, 0, 0, 2}));
        assertThrows(IllegalStateException.class, () -> feedChunks(decoder, new byte[] {0, 0, 0, 0}));
    }

    @Test
    void refusesEvenAnEmptyChunkOnceFailed() {
        // Found by FrameDecoderFuzzTest: the failed state was only checked for a byte to decode.
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(1);
        assertThrows(FrameTooLargeException.class, () -> feedChunks(decoder, new byte[] {0, 0, 0, 2}));
        assertThrows(IllegalStateException.class, () -> decoder.decode(ByteBuffer.allocate(0), f -> { }));
    }

    @Test
    void handsOutAFrameInsideOneChunkAsAViewAndASpreadFrameAsOneExactBuffer() {
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(64);
        byte[] stream = wire(List.of("one", "two"));
        ByteBuffer first = ByteBuffer.wrap(stream, 0, 13);
        List<ByteBuffer> frames = new ArrayList<>();
        decoder.decode(first, frames::add);
        assertEquals(6, decoder.bufferedBytes()); // the header and "tw"
        decoder.decode(ByteBuffer.wrap(stream, 13, 1), frames::add);
        assertSame(stream, frames.get(0).array());
        assertNotSame(stream, frames.get(1).array());
        assertEquals(3, frames.get(1).capacity());
        assertEquals("two", FrameFeed.text(frames.get(1)));
    }

    @Test
    void leavesTheChunksPositionAndLimitAsTheyWere() {
        ByteBuffer chunk = ByteBuffer.wrap(wire(List.of("ab", "cd"))).limit(9); // ends inside the second frame
        FrameDecoder.lengthPrefixed(64).decode(chunk, f -> { });
        assertEquals(0, chunk.position());
        assertEquals(9, chunk.limit());
    }

    @Test
    void endOfStreamInsideAHeaderOrAPayloadIsAnErrorSayingHowFarItGot() {
        FrameDecoder inHeader = FrameDecoder.lengthPrefixed(64);
        feedChunks(inHeader, new byte[] {0, 0});
        NetException e = assertThrows(NetException.class, inHeader::finish);
        assertEquals(ErrorCode.ERR_FRAME_TRUNCATED, e.code());
        assertTrue(e.getMessage().contains("2 of the 4 length bytes"), e.getMessage());

        FrameDecoder inPayload = FrameDecoder.lengthPrefixed(64);
        feedChunks(inPayload, new byte[] {0, 0, 0, 10, 'a', 'b', 'c'});
        e = assertThrows(NetException.class, inPayload::finish);
        assertTrue(e.getMessage().contains("3 of a 10-byte payload"), e.getMessage());
    }

    @Test
    void endOfStreamBetweenFramesIsClean() {
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(64);
        feed(decoder, wire(List.of("a", "")));
        decoder.finish();
    }

    @Test
    void aReceiverThatThrowsLeavesTheDecoderFailed() {
        FrameDecoder decoder = FrameDecoder.lengthPrefixed(64);
        assertThrows(ArithmeticException.class, () -> decoder.decode(ByteBuffer.wrap(wire(List.of("a"))), f -> {
            throw new ArithmeticException("receiver bug");
        }));
        assertThrows(IllegalStateException.class, () -> feed(decoder, wire(List.of("b"))));
    }

    @Test
    void garbageIsEitherFramesOrARefusalNeverAnythingElse() {
        Random random = new Random(5);
        for (int round = 0; round < 2_000; round++) {
            byte[] garbage = new byte[random.nextInt(40)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : random.nextInt(6));
            }
            FrameDecoder decoder = FrameDecoder.lengthPrefixed(5);
            try {
                for (String frame : feedRandomly(decoder, garbage, random, 4)) {
                    assertTrue(frame.length() <= 5);
                }
                assertTrue(decoder.bufferedBytes() <= 4 + 5);
            } catch (FrameTooLargeException expected) {
                assertTrue(expected.length() > 5);
            }
        }
    }

    /** The wire image of Latin-1 frames, each with its 4-byte big-endian length. */
    static byte[] wire(List<String> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : frames) {
            byte[] payload = FrameFeed.wire(f);
            out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static List<String> feedChunks(FrameDecoder decoder, byte[]... chunks) {
        List<String> frames = new ArrayList<>();
        for (byte[] chunk : chunks) {
            decoder.decode(ByteBuffer.wrap(chunk), f -> frames.add(FrameFeed.text(f)));
        }
        return frames;
    }
}
