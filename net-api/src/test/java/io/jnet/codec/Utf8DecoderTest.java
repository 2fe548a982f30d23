package io.jnet.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8DecoderTest {

    private static final List<byte[]> SAMPLES = List.of(
            utf8("plain ascii"),
            utf8("é"),                       // 2 bytes
            utf8("€"),                       // 3 bytes
            utf8("😀"),                       // 4 bytes, a surrogate pair in Java
            utf8("aé€😀z𝄞ü\u0000\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFF"),
            bytes(0x80),                     // stray continuation byte
            bytes(0xC0, 0x80),               // overlong NUL
            bytes(0xC1, 0xBF),               // overlong
            bytes(0xE0, 0x80, 0x80),         // overlong 3-byte
            bytes(0xE0, 0x9F, 0xBF),         // overlong 3-byte, upper edge
            bytes(0xED, 0xA0, 0x80),         // an encoded surrogate
            bytes(0xF0, 0x80, 0x80, 0x80),   // overlong 4-byte
            bytes(0xF4, 0x90, 0x80, 0x80),   // over U+10FFFF
            bytes(0xF5, 0x80, 0x80, 0x80),   // lead byte that can never start a character
            bytes(0xFF, 0xFE, 0x41),
            bytes(0xF0, 0x9F, 0x98, 0x41),   // a 4-byte character cut short by 'A'
            bytes(0xE2, 0x82, 0xE2, 0x82, 0xAC), // cut-short '€' then a whole one
            bytes(0xC3),                     // unfinished at end of stream
            bytes(0xF0, 0x9F, 0x98),         // unfinished 4-byte at end of stream
            bytes(0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x80, 0xC3));

    @Test
    void decodesEverySampleAsTheStandardsSayWhateverTwoOrThreeWaySplit() {
        for (byte[] sample : SAMPLES) {
            String expected = standard(sample);
            for (int i = 0; i <= sample.length; i++) {
                for (int j = i; j <= sample.length; j++) {
                    assertEquals(expected, decodeInParts(sample, i, j), () -> describe(sample));
                }
            }
        }
    }

    @Test
    void decodesEveryCodePointFedInChunksOfAnySmallSize() {
        ByteArrayOutputStream all = new ByteArrayOutputStream(4_500_000);
        StringBuilder expected = new StringBuilder(2_300_000);
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            expected.appendCodePoint(cp);
        }
        byte[] bytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        all.writeBytes(bytes);
        for (int chunkSize : new int[] {1, 2, 3, 5, 7, 4096}) {
            Utf8Decoder decoder = new Utf8Decoder();
            StringBuilder out = new StringBuilder(expected.length());
            for (int at = 0; at < bytes.length; at += chunkSize) {
                decoder.decode(ByteBuffer.wrap(bytes, at, Math.min(chunkSize, bytes.length - at)), out);
            }
            out.append(decoder.flush());
            assertEquals(expected.length(), out.length(), "chunk size " + chunkSize);
            assertTrue(expected.toString().contentEquals(out), "chunk size " + chunkSize);
        }
    }

    @Test
    void replacesMalformedInputAsTheStandardsSayForRandomBytesFedOneByOne() {
        Random random = new Random(42);
        int[] alphabet = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0,
                0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
        for (int round = 0; round < 20_000; round++) {
            byte[] sample = new byte[random.nextInt(10)];
            for (int k = 0; k < sample.length; k++) {
                sample[k] = (byte) alphabet[random.nextInt(alphabet.length)];
            }
            Utf8Decoder decoder = new Utf8Decoder();
            StringBuilder out = new StringBuilder();
            for (byte b : sample) {
                out.append(decoder.decode(new byte[] {b}, 0, 1));
            }
            out.append(decoder.flush());
            assertEquals(standard(sample), out.toString(), () -> describe(sample));
        }
    }

    @Test
    void theFastPathForHeapChunksGivesWhatTheExactPathGivesForAnySplit() {
        Random random = new Random(20261203);
        String[] pieces = {"a", "é", "€", "😀", "\uFFFD", "z"};
        for (int round = 0; round < 2000; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = random.nextInt(60); i > 0; i--) {
                if (random.nextInt(8) == 0) {
                    stream.write(random.nextInt(256)); // malformed now and then, encoded surrogates included
                } else {
                    stream.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] bytes = stream.toByteArray();
            Utf8Decoder heap = new Utf8Decoder();
            Utf8Decoder direct = new Utf8Decoder();
            StringBuilder fast = new StringBuilder();
            StringBuilder exact = new StringBuilder();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(9));
                fast.append(heap.decode(ByteBuffer.wrap(bytes, at, n)));
                // A direct buffer has no array: the state machine alone decodes it.
                exact.append(direct.decode(ByteBuffer.allocateDirect(n).put(bytes, at, n).flip()));
                at += n;
            }
            fast.append(heap.flush());
            exact.append(direct.flush());
            assertEquals(exact.toString(), fast.toString(), "round " + round);
        }
    }

    @Test
    void replacesEachByteOfAnEncodedSurrogateAsNodeDoes() {
        // Unicode §3.9 maximal subparts, WHATWG, and Node's buffer.toString() all give three U+FFFD here.
        Utf8Decoder decoder = new Utf8Decoder();
        assertEquals("\uFFFD\uFFFD\uFFFD", decoder.decode(ByteBuffer.wrap(bytes(0xED, 0xA0, 0x80))));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decoder.decode(ByteBuffer.wrap(bytes(0xFF, 0xF5, 0xED, 0xA0))) + decoder.flush());
    }

    @Test
    void holdsAnUnfinishedCharacterUntilTheNextChunk() {
        Utf8Decoder decoder = new Utf8Decoder();
        assertEquals("a", decoder.decode(ByteBuffer.wrap(bytes(0x61, 0xF0, 0x9F))));
        assertTrue(decoder.hasPending());
        assertEquals("", decoder.decode(ByteBuffer.wrap(bytes(0x98))));
        assertEquals("😀", decoder.decode(ByteBuffer.wrap(bytes(0x80))));
        assertFalse(decoder.hasPending());
    }

    @Test
    void flushReplacesAnUnfinishedCharacterAndStartsAFreshStream() {
        Utf8Decoder decoder = new Utf8Decoder();
        assertEquals("", decoder.decode(ByteBuffer.wrap(bytes(0xE2, 0x82))));
        assertEquals("\uFFFD", decoder.flush());
        assertEquals("", decoder.flush());
        assertEquals("\u20AC", decoder.decode(ByteBuffer.wrap(bytes(0xE2, 0x82, 0xAC))));
    }

    @Test
    void leavesTheChunksPositionAndLimitAsTheyWere() {
        ByteBuffer chunk = ByteBuffer.allocateDirect(8).put(utf8("xxé€")).flip().position(2);
        assertEquals("é€", new Utf8Decoder().decode(chunk));
        assertEquals(2, chunk.position());
        assertEquals(7, chunk.limit());
    }

    private static String decodeInParts(byte[] sample, int i, int j) {
        Utf8Decoder decoder = new Utf8Decoder();
        // Direct and heap chunks alike; the middle one a direct buffer.
        ByteBuffer middle = ByteBuffer.allocateDirect(j - i).put(sample, i, j - i).flip();
        return decoder.decode(ByteBuffer.wrap(sample, 0, i))
                + decoder.decode(middle)
                + decoder.decode(ByteBuffer.wrap(sample, j, sample.length - j))
                + decoder.flush();
    }

    /**
     * The expected text: the JDK's decoding, which follows the standards except that it replaces an
     * encoded surrogate (ED A0..BF) as one unit; there, each byte is one U+FFFD (ED, then each
     * continuation byte on its own). Checked against Node's buffer.toString() on 50 000 random samples.
     */
    private static String standard(byte[] sample) {
        StringBuilder expected = new StringBuilder();
        int start = 0;
        for (int i = 0; i + 1 < sample.length; i++) {
            if ((sample[i] & 0xFF) == 0xED && (sample[i + 1] & 0xFF) >= 0xA0 && (sample[i + 1] & 0xFF) <= 0xBF) {
                expected.append(new String(sample, start, i - start, StandardCharsets.UTF_8)).append('\uFFFD');
                start = i + 1; // the continuation bytes that follow are stray: the JDK gives one U+FFFD each
            }
        }
        return expected.append(new String(sample, start, sample.length - start, StandardCharsets.UTF_8)).toString();
    }

    private static String describe(byte[] sample) {
        StringBuilder sb = new StringBuilder("bytes");
        for (byte b : sample) {
            sb.append(String.format(" %02X", b & 0xFF));
        }
        return sb.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
