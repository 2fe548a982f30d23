package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fast writer that honours {@code write()}'s {@code false} (it stops until {@code DRAIN}) against a
 * reader that takes one read every {@link #TICK} (pause after each chunk, resume on a timer), for
 * {@code jnet.slowReader.seconds} (default 30 s, as the hardening issue asks), over TCP and IPC at
 * once so the whole class takes about that long. The writer's queue never holds more than the
 * high-water mark plus one chunk, heap and direct memory after GC stay within a few MiB of where they
 * began while some 80 MiB pass on each wire (the reader's pace, ~3 MB/s), and the reader gets every
 * byte in order (count and CRC32 at both ends; the bytes are random, so a lost or doubled chunk would
 * change the CRC).
 */
class SlowReaderTest {
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("jnet.slowReader.seconds", 30));
    private static final Duration TICK = Duration.ofMillis(20);
    private static final int CHUNK = 64 * 1024;
    /** Heap after GC may grow this much from start to any sample (noise of a JVM running tests, not a queue). */
    private static final long HEAP_SLACK = 16L << 20;
    /** Direct memory may grow this much (loop read buffers, junixsocket's own). */
    private static final long DIRECT_SLACK = 2L << 20;

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-reader-ticker");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void closeEverything() {
        ticker.shutdownNow();
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    @Test
    void aWriterHonouringBackPressureHoldsBoundedMemoryAgainstASlowReaderAndEveryByteArrives() throws Exception {
        Memory start = Memory.afterGc();
        AtomicReference<Memory> peak = new AtomicReference<>(start);
        // A sample after GC every few seconds while the transfers run: what is still reachable then is
        // what jnet holds (queues, buffers), not garbage waiting for a collection.
        ScheduledFuture<?> sampler = ticker.scheduleAtFixedRate(() -> peak.accumulateAndGet(Memory.afterGc(), Memory::max),
                5, 5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + RUN.toNanos();
        List<Transfer> transfers = new ArrayList<>();
        for (Wire wire : Wire.values()) {
            transfers.add(new Transfer(wire, deadline));
        }
        // After the deadline the writers end; the readers then drain what the kernel and the queue hold.
        try {
            CompletableFuture.allOf(transfers.stream().map(t -> t.done).toArray(CompletableFuture[]::new))
                    .get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not finished a minute after the writers' deadline: " + transfers, e);
        }
        sampler.cancel(false);
        Memory highest = peak.accumulateAndGet(Memory.afterGc(), Memory::max);
        StringBuilder report = new StringBuilder();
        for (Transfer t : transfers) {
            report.append(t).append('\n');
        }
        report.append(String.format("heap after GC %.1f MiB at start, peak %.1f MiB; direct %.2f MiB at start, peak %.2f MiB",
                start.heap / 1048576.0, highest.heap / 1048576.0, start.direct / 1048576.0, highest.direct / 1048576.0));
        System.out.println(report);
        for (Transfer t : transfers) {
            t.assertComplete();
        }
        assertTrue(highest.heap - start.heap < HEAP_SLACK, "heap grew while streaming: " + report);
        assertTrue(highest.direct - start.direct < DIRECT_SLACK, "direct memory grew while streaming: " + report);
    }

    /** Used heap and direct buffer memory, measured after a full GC. */
    private record Memory(long heap, long direct) {
        static Memory afterGc() {
            ManagementFactory.getMemoryMXBean().gc();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            return new Memory(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), direct);
        }

        Memory max(Memory o) {
            return new Memory(Math.max(heap, o.heap), Math.max(direct, o.direct));
        }
    }

    /** One writer and one slow reader on one wire; {@link #done} completes when both have closed. */
    private final class Transfer {
        final Wire wire;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        // Writer side: touched on the writer's loop thread only, read after CLOSE.
        private final CRC32 writtenCrc = new CRC32();
        private final Random random;
        private volatile long written;
        private volatile long maxQueued;
        private volatile int falses;
        private volatile int highWaterMark;
        // Reader side: the reader's loop thread only, read after CLOSE.
        private final CRC32 readCrc = new CRC32();
        private volatile long read;
        private volatile boolean readerEnded;
        private final List<String> closes = new CopyOnWriteArrayList<>();

        Transfer(Wire wire, long deadline) {
            this.wire = wire;
            this.random = new Random(wire.ordinal());
            Server server = Net.createServer(this::slowReader);
            servers.add(server);
            server.listen(wire.listenEndpoint(dir));
            Socket writer = Net.socket(server.address(), ConnectOptions.defaults());
            sockets.add(writer);
            highWaterMark = writer.writableHighWaterMark();
            Runnable pump = () -> {
                // Write until write() says false (DRAIN calls again); past the deadline, end instead.
                while (!writer.isDestroyed()) {
                    if (System.nanoTime() >= deadline) {
                        writer.end();
                        return;
                    }
                    byte[] chunk = new byte[CHUNK];
                    random.nextBytes(chunk);
                    writtenCrc.update(chunk);
                    written += CHUNK;
                    boolean more = writer.write(chunk);
                    maxQueued = Math.max(maxQueued, writer.writableLength());
                    if (!more) {
                        falses++;
                        return;
                    }
                }
            };
            writer.on(Socket.CONNECT, pump);
            writer.on(Socket.DRAIN, pump);
            writer.on(Socket.ERROR, done::completeExceptionally);
            // Reading, as a Node socket must, to see the reader's END and close: nothing is expected.
            writer.on(Socket.DATA, unexpected -> done.completeExceptionally(new AssertionError(wire + ": the reader sent bytes")));
            writer.on(Socket.CLOSE, hadError -> closed("writer", hadError));
            writer.connect();
        }

        /** Reads one chunk a tick: pauses after each, the ticker resumes. */
        private void slowReader(Socket reader) {
            sockets.add(reader);
            reader.on(Socket.DATA_BORROWED, chunk -> {
                read += chunk.remaining();
                readCrc.update(chunk);
                reader.pause();
            });
            reader.on(Socket.END, () -> readerEnded = true);
            reader.on(Socket.ERROR, done::completeExceptionally);
            reader.on(Socket.CLOSE, hadError -> closed("reader", hadError));
            ticker.scheduleAtFixedRate(() -> {
                if (!reader.isDestroyed()) {
                    reader.resume();
                }
            }, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void closed(String side, boolean hadError) {
            closes.add(side + ":" + hadError);
            if (closes.size() == 2) {
                done.complete(null);
            }
        }

        void assertComplete() {
            assertTrue(readerEnded, wire + ": the reader saw END");
            assertTrue(closes.containsAll(List.of("writer:false", "reader:false")), wire + ": " + closes);
            assertEquals(written, read, wire + ": bytes written and read");
            assertEquals(writtenCrc.getValue(), readCrc.getValue(), wire + ": CRC32 of the stream at both ends");
            assertTrue(falses >= 3, wire + ": the writer met back-pressure again and again: " + falses);
            assertTrue(maxQueued <= highWaterMark + CHUNK, wire + ": queued " + maxQueued + " > high-water mark "
                    + highWaterMark + " + one chunk");
        }

        @Override
        public String toString() {
            return String.format("%s: %.1f MiB in order (CRC32 %08x), write() false %d times, queue peak %d B (high-water mark %d B + chunk %d B)",
                    wire, read / 1048576.0, readCrc.getValue(), falses, maxQueued, highWaterMark, CHUNK)
                    + (done.isDone() ? "" : String.format(" [running: written %d, reader ended %s, closed %s]", written, readerEnded, closes));
        }
    }
}
