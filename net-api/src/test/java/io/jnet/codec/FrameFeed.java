package io.jnet.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers: feed a decoder a wire image cut at chosen points; frames come back as Latin-1 strings. */
final class FrameFeed {
    private FrameFeed() {
    }

    /** Bytes of a Latin-1 string: one char, one byte, so tests can write frames as text. */
    static byte[] wire(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code wire} cut at {@code cuts} (ascending), every chunk a fresh heap buffer of its own. */
    static List<String> feed(FrameDecoder decoder, byte[] wire, int... cuts) {
        List<String> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            decoder.decode(chunk(wire, from, to), f -> frames.add(text(f)));
            from = to;
        }
        return frames;
    }

    /** Feeds {@code wire} in random chunks of 1 to {@code maxChunk} bytes, some direct, some heap. */
    static List<String> feedRandomly(FrameDecoder decoder, byte[] wire, Random random, int maxChunk) {
        List<String> frames = new ArrayList<>();
        int from = 0;
        while (from < wire.length) {
            int to = Math.min(wire.length, from + 1 + random.nextInt(maxChunk));
            ByteBuffer chunk = random.nextBoolean()
                    ? chunk(wire, from, to)
                    : ByteBuffer.allocateDirect(to - from).put(wire, from, to - from).flip();
            decoder.decode(chunk, f -> frames.add(text(f)));
            from = to;
        }
        return frames;
    }

    /** A chunk with bytes before its position and after its limit, so offsets are exercised. */
    static ByteBuffer chunk(byte[] wire, int from, int to) {
        byte[] padded = new byte[to - from + 6];
        java.util.Arrays.fill(padded, (byte) '\n');
        System.arraycopy(wire, from, padded, 3, to - from);
        return ByteBuffer.wrap(padded, 3, to - from);
    }
}
