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
    /** Records what the stream asks of its connection. */
    private final BodyStream.Control recording = new BodyStream.Control() {
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
    };
    private final BodyStream stream = new BodyStream(recording);

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
    void readAllBytesTakesALargeBodyAsItArrivesResumingThePausedSocketAndKeepsEveryByteInOrder() throws Exception {
        // The loop side: 1 MiB in 16 KiB slices, stopping while paused as a paused socket stops reading.
        java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(1);
        java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();
        BodyStream body = new BodyStream(new BodyStream.Control() {
            @Override
            public void pause() {
                pauses.incrementAndGet();
                running.drainPermits();
            }

            @Override
            public void resume() {
                running.release();
            }

            @Override
            public void abandon() {
            }
        });
        int total = 1 << 20;
        Thread loop = new Thread(() -> {
            try {
                for (int at = 0; at < total; at += 16 * 1024) {
                    if (!running.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        body.fail(new IOException("never resumed"));
                        return;
                    }
                    running.release();
                    byte[] slice = new byte[16 * 1024];
                    for (int i = 0; i < slice.length; i++) {
                        slice[i] = (byte) ((at + i) * 31);
                    }
                    body.offer(ByteBuffer.wrap(slice));
                }
                body.finish(HttpHeaders.empty());
            } catch (InterruptedException e) {
                body.fail(new IOException("interrupted"));
            }
        }, "body-stream-test-loop");
        loop.start();
        // Read only once the socket is paused, so readAllBytes is what must resume it.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> pauses.get() >= 1);
        byte[] all = body.readAllBytes();
        loop.join(10_000);
        assertEquals(total, all.length);
        for (int i = 0; i < total; i++) {
            if (all[i] != (byte) (i * 31)) {
                throw new AssertionError("byte " + i + " is " + all[i] + ", not " + (byte) (i * 31));
            }
        }
    }

    @Test
    void readAllBytesReportsTheFailureAfterWhatArrived() {
        stream.offer(ByteBuffer.wrap(new byte[] {7, 8}));
        stream.fail(new HttpProtocolException("broken", 12));
        IOException e = assertThrows(IOException.class, stream::readAllBytes);
        assertEquals("broken at byte 12", e.getMessage());
    }

    @Test
    void readAllBytesOfACompleteBodyIsExactlyItsBytes() throws IOException {
        stream.offer(ByteBuffer.wrap(new byte[] {1, 2}));
        stream.offer(ByteBuffer.wrap(new byte[] {3}));
        stream.finish(HttpHeaders.empty());
        assertEquals(List.of(1, 2, 3), toList(stream.readAllBytes()));
        assertEquals(0, stream.readAllBytes().length, "then nothing more");
    }

    private static List<Integer> toList(byte[] b) {
        List<Integer> out = new ArrayList<>();
        for (byte x : b) {
            out.add((int) x);
        }
        return out;
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

    private BodyStream knownLength(long length) {
        return new BodyStream(recording, length);
    }

    /** Offers {@code total} bytes of pattern through one reused buffer, as the loop lends its read buffer. */
    private static void offerThroughOneBuffer(BodyStream body, int total, int sliceSize) {
        ByteBuffer lent = ByteBuffer.allocate(sliceSize);
        for (int at = 0; at < total; at += sliceSize) {
            lent.clear();
            int n = Math.min(sliceSize, total - at);
            for (int i = 0; i < n; i++) {
                lent.put((byte) ((at + i) * 31));
            }
            body.offer(lent.flip());
            lent.clear();
            while (lent.hasRemaining()) {
                lent.put((byte) 0x5a); // the loop reuses its buffer: what was offered must have been copied
            }
        }
    }

    private static void assertPattern(byte[] all, int from, int total) {
        assertEquals(total - from, all.length);
        for (int i = 0; i < all.length; i++) {
            if (all[i] != (byte) ((from + i) * 31)) {
                throw new AssertionError("byte " + (from + i) + " is " + all[i] + ", not " + (byte) ((from + i) * 31));
            }
        }
    }

    @Test
    void aBodyOfKnownLengthIsCopiedOutOfTheLentBufferIntoOneArrayWithoutPausing() throws IOException {
        BodyStream body = knownLength(BodyStream.HIGH_WATER);
        offerThroughOneBuffer(body, BodyStream.HIGH_WATER, 16 * 1024 + 7);
        body.finish(HttpHeaders.empty());
        assertEquals(List.of(), calls, "a body of at most the high-water mark never pauses the socket");
        assertEquals(BodyStream.HIGH_WATER, body.available());
        assertPattern(body.readAllBytes(), 0, BodyStream.HIGH_WATER);
        assertEquals(-1, body.read());
        assertTrue(body.isFinished());
    }

    @Test
    void readAllBytesAfterSomeReadsOfAKnownLengthBodyGivesTheRest() throws IOException {
        BodyStream body = knownLength(70_000);
        offerThroughOneBuffer(body, 70_000, 1000);
        body.finish(HttpHeaders.empty());
        byte[] first = new byte[100];
        assertEquals(100, body.read(first, 0, 100));
        assertPattern(first, 0, 100);
        assertPattern(body.readAllBytes(), 100, 70_000);
        assertEquals(0, body.readAllBytes().length, "then nothing more");
    }

    @Test
    void aKnownLengthBodyThatFailsGivesWhatArrivedToReadThenTheFailureAndNeverAShortArray() throws IOException {
        BodyStream body = knownLength(10);
        body.offer(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        body.fail(new HttpProtocolException("connection closed after 3 of 10 body bytes (Content-Length)", 42));
        IOException all = assertThrows(IOException.class, body::readAllBytes);
        assertTrue(all.getMessage().contains("3 of 10"), all.getMessage());

        BodyStream streamed = knownLength(10);
        streamed.offer(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        streamed.fail(new HttpProtocolException("connection closed after 3 of 10 body bytes (Content-Length)", 42));
        assertEquals(3, streamed.read(new byte[10], 0, 10));
        assertThrows(IOException.class, streamed::read);
    }

    @Test
    void aKnownLengthBodyAboveTheHighWaterMarkIsQueuedAndPausesAsAnyOther() {
        BodyStream body = knownLength(BodyStream.HIGH_WATER + 1L);
        offerThroughOneBuffer(body, BodyStream.HIGH_WATER + 1, 64 * 1024);
        assertEquals(List.of("pause"), calls);
    }

    @Test
    void queuedSlicesAreCopiedSinceTheLoopReusesItsBuffer() throws IOException {
        offerThroughOneBuffer(stream, 100_000, 4096);
        stream.finish(HttpHeaders.empty());
        assertPattern(stream.readAllBytes(), 0, 100_000);
    }
}
