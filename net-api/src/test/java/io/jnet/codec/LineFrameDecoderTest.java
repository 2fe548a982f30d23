package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.jnet.codec.FrameFeed.feed;
import static io.jnet.codec.FrameFeed.feedRandomly;
import static io.jnet.codec.FrameFeed.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFrameDecoderTest {
    private static final byte[] STREAM = wire("alpha\n\nbeta\r\n\r\ngamma\rdelta\n\r\r\n");
    private static final List<String> FRAMES = List.of("alpha", "", "beta", "", "gamma\rdelta", "\r");

    @Test
    void cutsTheSameFramesOutWhateverTwoOrThreeWaySplit() {
        for (int i = 0; i <= STREAM.length; i++) {
            for (int j = i; j <= STREAM.length; j++) {
                assertEquals(FRAMES, feed(FrameDecoder.lines(64), STREAM, i, j), "cut at " + i + ", " + j);
            }
        }
    }

    @Test
    void cutsTheSameFramesOutOfOneByteChunks() {
        int[] everyByte = new int[STREAM.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(FRAMES, feed(FrameDecoder.lines(64), STREAM, everyByte));
    }

    @Test
    void cutsManyRandomLinesOutOfRandomChunks() {
        Random random = new Random(7);
        List<String> sent = new ArrayList<>();
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            String line = "x".repeat(random.nextInt(300)) + i;
            sent.add(line);
            wire.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        for (int maxChunk : new int[] {1, 7, 100, 5_000}) {
            assertEquals(sent, feedRandomly(FrameDecoder.lines(400), wire(wire.toString()), random, maxChunk));
        }
    }

    @Test
    void acceptsALineOfExactlyTheMaximumEvenWithItsCrAndLfInDifferentChunks() {
        assertEquals(List.of("abcd"), feed(FrameDecoder.lines(4), wire("abcd\n")));
        assertEquals(List.of("abcd"), feed(FrameDecoder.lines(4), wire("abcd\r\n"), 5));
        assertEquals(List.of("abcd"), feed(FrameDecoder.lines(4), wire("abcd\r\n"), 2, 5));
    }

    @Test
    void acceptsACrLfLineOfExactlyTheMaximumWhereverItIsCut() {
        // Regression: the early refusal of an unfinished line must not count the CR of its CR LF, or a
        // 6-byte line under a limit of 6 is refused as "at least 7 bytes".
        byte[] stream = wire("abcdef\r\nxy\r\n");
        for (int i = 0; i <= stream.length; i++) {
            for (int j = i; j <= stream.length; j++) {
                assertEquals(List.of("abcdef", "xy"), feed(FrameDecoder.lines(6), stream, i, j), "cut at " + i + ", " + j);
            }
        }
    }

    @Test
    void refusesALineOneByteOverTheMaximumNamingLimitAndLength() {
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> feed(FrameDecoder.lines(4), wire("abcde\n")));
        assertEquals(ErrorCode.ERR_FRAME_TOO_LARGE, e.code());
        assertEquals(5, e.length());
        assertEquals(4, e.maxFrameSize());
        assertFalse(e.isLowerBound());
        assertEquals("read ERR_FRAME_TOO_LARGE: frame of 5 bytes exceeds the maximum frame size of 4 bytes", e.getMessage());
    }

    @Test
    void refusesAnOverlongLineBeforeItsEndArrives() {
        FrameDecoder decoder = FrameDecoder.lines(4);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> feed(decoder, wire("abcde")));
        assertTrue(e.isLowerBound());
        assertEquals(5, e.length());
        assertTrue(e.getMessage().contains("at least 5 bytes"), e.getMessage());
    }

    @Test
    void holdsACrThatMayEndALineOfTheMaximumButRefusesTheByteAfterIt() {
        FrameDecoder decoder = FrameDecoder.lines(4);
        assertEquals(List.of(), feed(decoder, wire("abcd\r")));
        assertEquals(5, decoder.bufferedBytes());
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> feed(decoder, wire("x")));
        assertEquals(6, e.length());
    }

    @Test
    void neverHoldsMoreThanTheLimitPlusOneByteOfAnEndlessLine() {
        int max = 100;
        FrameDecoder decoder = FrameDecoder.lines(max);
        int fed = 0;
        FrameTooLargeException refused = null;
        while (refused == null && fed < 10 * max) {
            try {
                decoder.decode(ByteBuffer.wrap(wire(fed % 2 == 0 ? "\r" : "a")), f -> { });
                fed++;
                assertTrue(decoder.bufferedBytes() <= max + 1, "held " + decoder.bufferedBytes());
            } catch (FrameTooLargeException e) {
                refused = e;
            }
        }
        assertEquals(max + 1, fed);
        assertEquals(max + 2, refused.length());
    }

    @Test
    void refusesAllInputOnceFailed() {
        FrameDecoder decoder = FrameDecoder.lines(2);
        assertThrows(FrameTooLargeException.class, () -> feed(decoder, wire("abc\n")));
        assertThrows(IllegalStateException.class, () -> feed(decoder, wire("a\n")));
    }

    @Test
    void handsOutALineInsideOneChunkAsAViewAndAJoinedLineAsAnExactCopy() {
        FrameDecoder decoder = FrameDecoder.lines(64);
        ByteBuffer chunk = ByteBuffer.wrap(wire("one\ntw"));
        List<ByteBuffer> frames = new ArrayList<>();
        decoder.decode(chunk, frames::add);
        decoder.decode(ByteBuffer.wrap(wire("o\n")), frames::add);
        assertSame(chunk.array(), frames.get(0).array());
        assertNotSame(chunk.array(), frames.get(1).array());
        assertEquals(3, frames.get(1).capacity());
        assertEquals("two", FrameFeed.text(frames.get(1)));
    }

    @Test
    void framesDoNotShareBytesWithEachOther() {
        List<ByteBuffer> frames = new ArrayList<>();
        FrameDecoder.lines(64).decode(ByteBuffer.wrap(wire("ab\ncd\n")), frames::add);
        frames.get(0).put(0, (byte) 'X').put(1, (byte) 'Y');
        assertEquals("XY", FrameFeed.text(frames.get(0)));
        assertEquals("cd", FrameFeed.text(frames.get(1)));
        assertEquals(0, frames.get(1).position());
        assertEquals(2, frames.get(1).limit());
    }

    @Test
    void leavesTheChunksPositionAndLimitAsTheyWere() {
        ByteBuffer chunk = ByteBuffer.wrap(wire("xxab\ncdyy")).position(2).limit(7);
        FrameDecoder.lines(64).decode(chunk, f -> { });
        assertEquals(2, chunk.position());
        assertEquals(7, chunk.limit());
    }

    @Test
    void endOfStreamInsideALineIsAnError() {
        FrameDecoder decoder = FrameDecoder.lines(64);
        feed(decoder, wire("done\npart"));
        NetException e = assertThrows(NetException.class, decoder::finish);
        assertEquals(ErrorCode.ERR_FRAME_TRUNCATED, e.code());
        assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
    }

    @Test
    void endOfStreamBetweenLinesIsClean() {
        FrameDecoder decoder = FrameDecoder.lines(64);
        feed(decoder, wire("done\n"));
        decoder.finish();
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void aReceiverThatThrowsLeavesTheDecoderFailed() {
        FrameDecoder decoder = FrameDecoder.lines(64);
        assertThrows(ArithmeticException.class, () -> decoder.decode(ByteBuffer.wrap(wire("a\nb\n")), f -> {
            throw new ArithmeticException("receiver bug");
        }));
        assertThrows(IllegalStateException.class, () -> feed(decoder, wire("c\n")));
    }

    @Test
    void garbageGivesTheSameFramesAsASimpleSplitUntilTheFirstOverlongLine() {
        Random random = new Random(11);
        byte[] alphabet = wire("ab\r\n\u00ff\u0000");
        int max = 8;
        for (int round = 0; round < 2_000; round++) {
            byte[] garbage = new byte[random.nextInt(60)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = random.nextInt(4) == 0 ? alphabet[3] : alphabet[random.nextInt(alphabet.length)];
            }
            List<String> expected = new ArrayList<>();
            boolean overlong = referenceSplit(FrameFeed.text(ByteBuffer.wrap(garbage)), max, expected);
            List<String> got = new ArrayList<>();
            FrameDecoder decoder = FrameDecoder.lines(max);
            boolean refused = false;
            try {
                int from = 0;
                while (from < garbage.length) {
                    int to = Math.min(garbage.length, from + 1 + random.nextInt(5));
                    decoder.decode(ByteBuffer.wrap(garbage, from, to - from), f -> got.add(FrameFeed.text(f)));
                    from = to;
                }
            } catch (FrameTooLargeException e) {
                refused = true;
            }
            assertEquals(expected, got, () -> "garbage " + FrameFeed.text(ByteBuffer.wrap(garbage)));
            assertEquals(overlong, refused);
        }
    }

    /** Lines the plain way; true if a line (finished or not) is over {@code max} without its CR LF. */
    private static boolean referenceSplit(String text, int max, List<String> out) {
        int from = 0;
        while (true) {
            int lf = text.indexOf('\n', from);
            String line = lf < 0 ? text.substring(from) : text.substring(from, lf);
            if (lf >= 0 && line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            } else if (lf < 0 && line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1); // may yet be a CR LF
            }
            if (line.length() > max) {
                return true;
            }
            if (lf < 0) {
                return false;
            }
            out.add(line);
            from = lf + 1;
        }
    }
}
