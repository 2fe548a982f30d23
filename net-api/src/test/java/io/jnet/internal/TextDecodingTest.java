package io.jnet.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decoding behind {@code Socket.TEXT}. The UTF-8 expectations were taken from Node v20's
 * {@code StringDecoder} fed the same chunks ({@code d.write(...) + ... + d.end()}).
 */
class TextDecodingTest {

    /** Chunks as hex separated by '|'; expected text as code points separated by ' '. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "threeByteSplitTwoOne,       e282|ac,            20ac",
            "fourByteSplitOneTwoOne,     f0|9f98|80,         1f600",
            "unfinishedThenAscii,        e282|41,            fffd 41",
            "strayContinuationByte,      8041,               fffd 41",
            "encodedSurrogateByteByByte, ed|a0|80,           fffd fffd fffd",
            "overlongTwoByte,            c0af,               fffd fffd",
            "unfinishedAtEnd,            41f0|9f,            41 fffd",
            "overU10FFFF,                f4908080,           fffd fffd fffd fffd",
    })
    void utf8AsNodesStringDecoder(String name, String chunks, String expected) {
        assertEquals(codePoints(expected), decodeAll(StandardCharsets.UTF_8, chunks));
    }

    @Test
    void anotherCharsetHoldsASplitCharacterForTheNextChunk() {
        Charset sjis = Charset.forName("Shift_JIS");
        byte[] bytes = "日本".getBytes(sjis); // two bytes each
        TextDecoding d = TextDecoding.of(sjis);
        assertEquals("", d.decode(ByteBuffer.wrap(bytes, 0, 1)));
        assertEquals("日", d.decode(ByteBuffer.wrap(bytes, 1, 2)));
        assertEquals("本", d.decode(ByteBuffer.wrap(bytes, 3, 1)));
        assertEquals("", d.flush());
    }

    @Test
    void anotherCharsetReplacesWhatIsLeftUnfinishedAtTheEnd() {
        TextDecoding d = TextDecoding.of(StandardCharsets.UTF_16BE);
        assertEquals("", d.decode(ByteBuffer.wrap(new byte[] {0x20})));
        assertEquals("\uFFFD", d.flush());
    }

    @Test
    void decodingLeavesTheChunkAsItWas() {
        ByteBuffer chunk = ByteBuffer.wrap("héllo".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("héllo", TextDecoding.of(StandardCharsets.ISO_8859_1).decode(chunk));
        assertEquals(0, chunk.position());
        assertEquals(5, chunk.limit());
    }

    private static String decodeAll(Charset charset, String chunks) {
        TextDecoding d = TextDecoding.of(charset);
        StringBuilder text = new StringBuilder();
        for (String hex : chunks.split("\\|")) {
            byte[] b = new byte[hex.length() / 2];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            text.append(d.decode(ByteBuffer.wrap(b)));
        }
        return text.append(d.flush()).toString();
    }

    private static String codePoints(String hex) {
        StringBuilder s = new StringBuilder();
        for (String cp : hex.trim().split(" ")) {
            s.appendCodePoint(Integer.parseInt(cp, 16));
        }
        return s.toString();
    }
}
