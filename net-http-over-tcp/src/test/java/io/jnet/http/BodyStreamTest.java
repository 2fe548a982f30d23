package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop-to-reader hand-over: back-pressure calls and the end of the stream. */
class BodyStreamTest {
    private final List<String> calls = new ArrayList<>();
    private final BodyStream stream = new BodyStream(new BodyStream.Control() {
        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public void abandon() {
            calls.add("abandon");
        }
    });

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.allocate(n);
    }

    @Test
    void pausesPastTheHighWaterMarkAndResumesUnderTheLowOne() throws IOException {
        stream.offer(bytes(BodyStream.HIGH_WATER));
        assertEquals(List.of(), calls);
        stream.offer(bytes(1));
        assertEquals(List.of("pause"), calls);
        stream.offer(bytes(1000));
        assertEquals(List.of("pause"), calls, "paused once");
        byte[] buf = new byte[64 * 1024];
        long read = 0;
        while (calls.size() == 1) {
            read += stream.read(buf, 0, buf.length);
        }
        assertEquals(List.of("pause", "resume"), calls);
        assertTrue(BodyStream.HIGH_WATER + 1001 - read <= BodyStream.LOW_WATER);
    }

    @Test
    void finishingResumesAPausedSocketForTheNextExchange() {
        stream.offer(bytes(BodyStream.HIGH_WATER + 1));
        stream.finish(HttpHeaders.empty());
        assertEquals(List.of("pause", "resume"), calls);
    }

    @Test
    void readsToTheEndThenReportsEndOfStream() throws IOException {
        stream.offer(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        stream.finish(HttpHeaders.of("X-T", "1"));
        assertEquals(3, stream.readAllBytes().length);
        assertEquals(-1, stream.read());
        assertEquals("1", stream.trailers().first("x-t").orElseThrow());
    }

    @Test
    void deliversQueuedBytesBeforeTheFailure() throws IOException {
        stream.offer(ByteBuffer.wrap(new byte[] {7}));
        stream.fail(new HttpProtocolException("broken", 12));
        assertEquals(7, stream.read());
        IOException e = assertThrows(IOException.class, stream::read);
        assertEquals("broken at byte 12", e.getMessage());
    }

    @Test
    void closingBeforeTheEndAbandonsTheConnectionButNotAfter() {
        stream.close();
        assertEquals(List.of("abandon"), calls);
        BodyStream done = new BodyStream(new BodyStream.Control() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }

            @Override
            public void abandon() {
                throw new AssertionError("a finished body gives nothing up");
            }
        });
        done.finish(HttpHeaders.empty());
        done.close();
    }
}
