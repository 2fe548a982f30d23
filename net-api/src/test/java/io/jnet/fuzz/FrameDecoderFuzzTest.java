package io.jnet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jnet.codec.FrameDecoder;
import io.jnet.codec.FrameTooLargeException;
import io.jnet.NetException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FrameDecoder#lines} and {@link FrameDecoder#lengthPrefixed} on any bytes, cut into chunks at
 * fuzzer-chosen points, against {@link Reference}, a decoder too simple to be wrong that sees the whole
 * stream at once. For every chunk the real decoder must hand out exactly the frames that end inside
 * it, refuse an over-long frame in exactly the chunk where the stream first proves it over the limit
 * (with the limit and the length, exact or lower bound, in the exception), hold no more than the limit
 * plus a line's possible {@code \r} (or a length header), and leave the chunk's position and limit alone.
 * At the end, {@code finish()} must complain exactly when a frame was left unfinished.
 *
 * <p>Input layout (seed files in {@code FrameDecoderFuzzTestInputs/decodesLikeTheReference}): the
 * stream, then control bytes read backwards from the end by {@link FuzzedDataProvider}: the last byte
 * is the flags ({@code b % 8}: bit 0 length-prefixed instead of lines, bits 1-2 the chunk buffer kind:
 * heap, heap with an offset, direct), then {@code maxFrameSize = 1 + b % 64}, then the chunk count
 * {@code b % 33}, then each chunk's size {@code b % 65}, first chunk last; what the chunks leave is one
 * final chunk.
 */
class FrameDecoderFuzzTest {
    private static final int MAX_CHUNKS = 32;

    @FuzzTest(maxDuration = "6s")
    void decodesLikeTheReference(FuzzedDataProvider data) {
        int flags = data.consumeInt(0, 7);
        boolean lengthPrefixed = (flags & 1) != 0;
        int bufferKind = (flags >> 1) % 3;
        int max = data.consumeInt(1, 64);
        int[] sizes = new int[data.consumeInt(0, MAX_CHUNKS)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(0, 64);
        }
        byte[] stream = data.consumeRemainingAsBytes();

        Reference expected = lengthPrefixed ? Reference.lengthPrefixed(stream, max) : Reference.lines(stream, max);
        FrameDecoder decoder = lengthPrefixed ? FrameDecoder.lengthPrefixed(max) : FrameDecoder.lines(max);
        long heldLimit = lengthPrefixed ? 4L + max : max + 1L;
        String where = (lengthPrefixed ? "length-prefixed" : "lines") + ", max " + max + ", stream "
                + HexFormat.of().formatHex(stream);

        List<int[]> chunks = cut(stream.length, sizes);
        int nextFrame = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int from = chunks.get(c)[0];
            int to = chunks.get(c)[1];
            String at = where + ", chunk [" + from + ", " + to + ")";
            ByteBuffer chunk = chunk(stream, from, to, bufferKind);
            int position = chunk.position();
            int limit = chunk.limit();
            List<byte[]> got = new ArrayList<>();
            boolean refusedHere = expected.errorAt >= from && expected.errorAt < to;
            if (refusedHere) {
                FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                        () -> decoder.decode(chunk, f -> got.add(take(f))), at);
                assertRefusal(expected, to, e, at);
            } else {
                decoder.decode(chunk, f -> got.add(take(f)));
            }
            long frameEnd = refusedHere ? expected.errorAt : to;
            for (byte[] frame : got) {
                assertTrue(nextFrame < expected.frames.size() && expected.frameEnds.get(nextFrame) < frameEnd,
                        () -> at + ": unexpected frame " + HexFormat.of().formatHex(frame));
                assertArrayEquals(expected.frames.get(nextFrame), frame, at + ": frame " + nextFrame);
                nextFrame++;
            }
            assertTrue(nextFrame == expected.frames.size() || expected.frameEnds.get(nextFrame) >= frameEnd,
                    () -> at + ": frame missing");
            assertEquals(position, chunk.position(), at + ": chunk position");
            assertEquals(limit, chunk.limit(), at + ": chunk limit");
            if (refusedHere) {
                assertEquals(0, decoder.bufferedBytes(), at + ": a failed decoder holds nothing");
                if (c + 1 < chunks.size()) {
                    ByteBuffer next = chunk(stream, chunks.get(c + 1)[0], chunks.get(c + 1)[1], bufferKind);
                    assertThrows(IllegalStateException.class, () -> decoder.decode(next, f -> { }), at + ": after failure");
                }
                decoder.finish(); // a failed decoder has nothing more to say
                return;
            }
            assertEquals(expected.heldAfter(to), decoder.bufferedBytes(), at + ": bytes held");
            assertTrue(decoder.bufferedBytes() <= heldLimit, at + ": held more than the limit allows");
        }
        assertEquals(expected.frames.size(), nextFrame, where + ": frames");
        if (expected.heldAfter(stream.length) > 0) {
            NetException e = assertThrows(NetException.class, decoder::finish, where + ": finish inside a frame");
            assertTrue(!(e instanceof FrameTooLargeException), where + ": " + e);
            assertTrue(e.getMessage().contains(expected.heldAfter(stream.length) + " bytes held"), e.getMessage());
        } else {
            decoder.finish();
        }
    }

    private static void assertRefusal(Reference expected, int chunkEnd, FrameTooLargeException e, String at) {
        boolean exact = expected.frameEndOfRefused >= 0 && expected.frameEndOfRefused < chunkEnd;
        long length = exact ? expected.refusedLength : chunkEnd - expected.refusedStart;
        assertEquals(length, e.length(), at + ": " + e.getMessage());
        assertEquals(!exact, e.isLowerBound(), at + ": " + e.getMessage());
        assertEquals(expected.max, e.maxFrameSize(), at);
        assertTrue(e.getMessage().contains((exact ? "frame of " : "frame of at least ") + length + " bytes")
                && e.getMessage().contains("maximum frame size of " + expected.max + " bytes"), e.getMessage());
    }

    /** Copies the frame out, then scribbles over it: the receiver owns it and the decoder must not read it again. */
    private static byte[] take(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        if (!frame.isReadOnly()) {
            for (int i = frame.position(); i < frame.limit(); i++) {
                frame.put(i, (byte) 0x5A);
            }
        }
        return copy;
    }

    /** Chunk bounds: the fuzzer's sizes while the stream lasts, then whatever is left as one chunk. */
    private static List<int[]> cut(int length, int[] sizes) {
        List<int[]> chunks = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            int end = Math.min(length, at + size);
            chunks.add(new int[] {at, end});
            at = end;
        }
        if (at < length || chunks.isEmpty()) {
            chunks.add(new int[] {at, length});
        }
        return chunks;
    }

    /** {@code stream[from, to)} as a heap buffer, a heap buffer inside a larger array, or a direct buffer. */
    private static ByteBuffer chunk(byte[] stream, int from, int to, int kind) {
        int n = to - from;
        return switch (kind) {
            case 0 -> ByteBuffer.wrap(Arrays.copyOfRange(stream, from, to));
            case 1 -> {
                byte[] padded = new byte[n + 5];
                Arrays.fill(padded, (byte) '\n');
                System.arraycopy(stream, from, padded, 3, n);
                yield ByteBuffer.wrap(padded, 1, n + 3).slice().position(2).limit(n + 2);
            }
            default -> ByteBuffer.allocateDirect(n).put(stream, from, n).flip();
        };
    }

    /**
     * The frames of a whole stream the plain way, each with the offset of the byte that ends it, and the
     * first over-long frame: the offset where the stream first proves it over the limit, its start, and
     * (if its end is in the stream) its exact length and the offset of the byte that ends it.
     */
    static final class Reference {
        final int max;
        final List<byte[]> frames = new ArrayList<>();
        final List<Long> frameEnds = new ArrayList<>();
        /** Bytes held after each offset: the start of the unfinished frame, or -1 when between frames. */
        private final long[] unfinishedFrom;
        long errorAt = -1;
        long refusedStart = -1;
        long refusedLength = -1;
        long frameEndOfRefused = -1;

        private Reference(int max, int length) {
            this.max = max;
            this.unfinishedFrom = new long[length + 1];
        }

        long heldAfter(int offset) {
            return unfinishedFrom[offset] < 0 ? 0 : offset - unfinishedFrom[offset];
        }

        static Reference lines(byte[] s, int max) {
            Reference r = new Reference(max, s.length);
            int start = 0;
            r.unfinishedFrom[0] = -1;
            for (int i = 0; i < s.length; i++) {
                int count = i - start + 1;
                if (s[i] == '\n') {
                    int end = i > start && s[i - 1] == '\r' ? i - 1 : i;
                    if (end - start > max) {
                        if (r.errorAt < 0) {
                            r.refuse(i, start);
                        }
                        r.refusedLength = end - start;
                        r.frameEndOfRefused = i;
                        return r;
                    }
                    r.frames.add(Arrays.copyOfRange(s, start, end));
                    r.frameEnds.add((long) i);
                    start = i + 1;
                    r.unfinishedFrom[i + 1] = -1;
                    continue;
                }
                // Over the limit once it is longer than max + 1, or max + 1 long and not ending in a CR
                // that a LF may yet turn into a line ending.
                if (r.errorAt < 0 && (count > max + 1 || (count == max + 1 && s[i] != '\r'))) {
                    r.refuse(i, start);
                }
                r.unfinishedFrom[i + 1] = start;
            }
            return r;
        }

        static Reference lengthPrefixed(byte[] s, int max) {
            Reference r = new Reference(max, s.length);
            int at = 0;
            r.unfinishedFrom[0] = -1;
            while (at < s.length) {
                int headerEnd = Math.min(s.length, at + 4);
                for (int i = at; i < headerEnd; i++) {
                    r.unfinishedFrom[i + 1] = at;
                }
                if (headerEnd - at < 4) {
                    return r;
                }
                long length = ((s[at] & 0xFFL) << 24) | ((s[at + 1] & 0xFF) << 16) | ((s[at + 2] & 0xFF) << 8) | (s[at + 3] & 0xFF);
                if (length > max) {
                    r.refuse(at + 3, at);
                    r.refusedLength = length;
                    r.frameEndOfRefused = at + 3;
                    return r;
                }
                long end = headerEnd + length; // one past the payload
                for (int i = headerEnd; i < Math.min(end, s.length); i++) {
                    r.unfinishedFrom[i + 1] = at;
                }
                if (end > s.length) {
                    return r;
                }
                r.frames.add(Arrays.copyOfRange(s, headerEnd, (int) end));
                r.frameEnds.add(end - 1);
                r.unfinishedFrom[(int) end] = -1;
                at = (int) end;
            }
            return r;
        }

        private void refuse(long offset, long start) {
            errorAt = offset;
            refusedStart = start;
        }
    }
}
