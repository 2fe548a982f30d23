package io.jnet.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ResponseParser} on any bytes: it reports a head, body and completion, or throws
 * {@link HttpProtocolException} saying what was wrong and at which byte; nothing else escapes. The
 * outcome (head, body bytes, trailers, bytes left after the message, or the error message) is the same
 * whether the input arrives whole, one byte at a time or cut where the fuzzer says. Body bytes are
 * slices of the input (streamed, never gathered into a buffer sized from a declared length), and a
 * parse allocates a bounded amount however large a {@code Content-Length} or chunk size it reads.
 *
 * <p>Input layout (seed files in {@code ResponseParserFuzzTestInputs/parsesTheSameWhateverTheSplit},
 * one realistic response each): the response bytes, then control bytes read backwards from the end by
 * {@link FuzzedDataProvider}: the last byte is the flags ({@code b % 32}: bit 0 the request was HEAD
 * rather than GET, bit 1 the connection closes after the response, bit 2 the request asked for an
 * upgrade, bits 3-4 the header limit 16384, 64, 256 or 1024 bytes), then the chunk count {@code b % 33},
 * then each chunk's size {@code b % 65}, first chunk last; what the chunks leave is one final chunk.
 */
class ResponseParserFuzzTest {
    private static final int[] HEADER_LIMITS = {ResponseParser.DEFAULT_MAX_HEADER_SIZE, 64, 256, 1024};
    private static final int MAX_CHUNKS = 32;
    /** What a parse may allocate beyond a small multiple of the input's length: a declared length is not a budget. */
    private static final long ALLOCATION_ALLOWANCE = 1L << 20;

    @FuzzTest(maxDuration = "8s")
    void parsesTheSameWhateverTheSplit(FuzzedDataProvider data) {
        int flags = data.consumeInt(0, 31);
        String method = (flags & 1) != 0 ? "HEAD" : "GET";
        boolean eof = (flags & 2) != 0;
        boolean upgrade = (flags & 4) != 0;
        int maxHeaderSize = HEADER_LIMITS[(flags >> 3) & 3];
        int[] sizes = new int[data.consumeInt(0, MAX_CHUNKS)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(0, 64);
        }
        byte[] response = data.consumeRemainingAsBytes();

        List<ByteBuffer> whole = List.of(ByteBuffer.wrap(response.clone()));
        List<ByteBuffer> bytes = new ArrayList<>(response.length);
        for (byte b : response) {
            bytes.add(ByteBuffer.wrap(new byte[] {b}));
        }
        List<ByteBuffer> cuts = cut(response, sizes);

        // The first parse may load (and Jazzer instrument) classes; the second is the one to measure.
        parse(whole, method, upgrade, eof, maxHeaderSize, response.length);
        long before = allocatedBytes();
        Outcome once = parse(whole, method, upgrade, eof, maxHeaderSize, response.length);
        long allocated = allocatedBytes() - before;
        Outcome byByte = parse(bytes, method, upgrade, eof, maxHeaderSize, response.length);
        Outcome byCuts = parse(cuts, method, upgrade, eof, maxHeaderSize, response.length);

        String where = method + (eof ? ", then close" : "") + (upgrade ? ", upgrade" : "") + ", header limit "
                + maxHeaderSize + ": " + Tokens.escape(new String(response, StandardCharsets.ISO_8859_1));
        assertEquals(once, byByte, "whole vs one byte at a time; " + where);
        assertEquals(once, byCuts, "whole vs chunks of " + Arrays.toString(sizes) + "; " + where);
        if (before >= 0) {
            assertTrue(allocated < ALLOCATION_ALLOWANCE + 32L * response.length,
                    () -> allocated + " bytes allocated for a " + response.length + "-byte response; " + where);
        }
    }

    /** Everything a parse reports, comparable across splits. */
    record Outcome(ResponseHead head, String body, HttpHeaders trailers, String leftover, long consumed,
                   boolean reusable, String error) {
    }

    private static Outcome parse(List<ByteBuffer> chunks, String method, boolean upgrade, boolean eof,
                                 int maxHeaderSize, int length) {
        ResponseParser parser = new ResponseParser(maxHeaderSize, ResponseParser.DEFAULT_MAX_HEADER_FIELDS);
        Recorder recorder = new Recorder();
        parser.expect(method, upgrade, recorder);
        ByteArrayOutputStream leftover = new ByteArrayOutputStream();
        try {
            for (ByteBuffer chunk : chunks) {
                ByteBuffer in = chunk.duplicate();
                if (parser.state() != ResponseParser.State.DONE) {
                    recorder.input = in;
                    parser.feed(in);
                }
                leftover.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
            }
            if (eof) {
                parser.endOfInput();
            }
        } catch (HttpProtocolException e) {
            String message = e.getMessage();
            assertTrue(e.offset() >= 0 && e.offset() <= length, () -> "offset " + e.offset() + " of " + length + ": " + message);
            assertTrue(message.endsWith(" at byte " + e.offset()) && message.length() > (" at byte " + e.offset()).length() + 8,
                    () -> "says too little: " + message);
            assertEquals(ResponseParser.State.FAILED, parser.state(), message);
            assertEquals(0, recorder.completions, () -> "completed, then failed: " + message);
            return new Outcome(recorder.head, recorder.body(), null, null, -1, false, message);
        }
        ResponseParser.State state = parser.state();
        assertTrue(recorder.completions == (state == ResponseParser.State.DONE ? 1 : 0), "completions in " + state);
        assertTrue(state != ResponseParser.State.DONE || recorder.head != null, "done without a head");
        return new Outcome(recorder.head, recorder.body(), recorder.trailers, leftover.toString(StandardCharsets.ISO_8859_1),
                state == ResponseParser.State.DONE ? parser.position() : -1, parser.reusable(), state.name());
    }

    /** Records what the parser reports and checks the order: one head, body slices of the input, one completion. */
    private static final class Recorder implements ResponseListener {
        ResponseHead head;
        HttpHeaders trailers;
        int completions;
        ByteBuffer input;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void onHead(ResponseHead h) {
            assertTrue(head == null, "second head");
            assertTrue(h.status() >= 200 || h.status() == 101, () -> "interim head reported: " + h.status());
            head = h;
        }

        @Override
        public void onBody(ByteBuffer slice) {
            assertTrue(head != null && completions == 0, "body outside head..complete");
            assertTrue(slice.hasRemaining(), "empty body slice");
            // Streamed: a view of the bytes just fed, not a copy into a buffer the parser sized itself.
            assertSame(input.array(), slice.array(), "body slice is not a view of the input");
            byte[] b = new byte[slice.remaining()];
            slice.duplicate().get(b);
            body.write(b, 0, b.length);
        }

        @Override
        public void onComplete(HttpHeaders t) {
            assertFalse(completions > 0, "second completion");
            assertTrue(head != null, "completion before head");
            trailers = t;
            completions++;
        }

        String body() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The fuzzer's chunk sizes while the response lasts (empty chunks included), then the rest as one chunk. */
    private static List<ByteBuffer> cut(byte[] response, int[] sizes) {
        List<ByteBuffer> chunks = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            int end = Math.min(response.length, at + size);
            chunks.add(ByteBuffer.wrap(Arrays.copyOfRange(response, at, end)));
            at = end;
        }
        if (at < response.length) {
            chunks.add(ByteBuffer.wrap(Arrays.copyOfRange(response, at, response.length)));
        }
        return chunks;
    }

    /** Bytes this thread has allocated so far, or -1 where the JVM cannot tell. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled()) {
            return mx.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
