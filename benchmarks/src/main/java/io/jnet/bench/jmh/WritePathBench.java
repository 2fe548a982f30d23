package io.jnet.bench.jmh;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * jnet's socket write path through the public API, against a loopback peer that reads and discards:
 * {@code offLoop} is {@code write()} from an application thread (the hop onto the loop, the pending
 * count, back-pressure); {@code onLoop} is a burst of writes made on the loop thread itself (the
 * try-the-channel-first path, and the write queue once the kernel's buffer fills). Both honour
 * {@code write()}'s false by waiting for DRAIN. Ops are single writes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class WritePathBench {
    private static final int BURST = 256;

    @Param({"64", "16384"})
    public int size;

    private ServerSocketChannel sink;
    private Thread discarder;
    private Socket socket;
    private ByteBuffer payload;
    private final Semaphore drained = new Semaphore(0);

    /** Starts the discarding peer and connects a jnet socket to it. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sink = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        discarder = new Thread(this::discard, "discard");
        discarder.setDaemon(true);
        discarder.start();
        InetSocketAddress at = (InetSocketAddress) sink.getLocalAddress();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket = Net.socket(Endpoint.tcp("127.0.0.1", at.getPort()), ConnectOptions.builder().noDelay(true).build());
        socket.on(Socket.DRAIN, drained::release);
        socket.on(Socket.ERROR, connected::completeExceptionally);
        socket.connect(() -> connected.complete(null));
        connected.get(10, TimeUnit.SECONDS);
        payload = ByteBuffer.allocateDirect(size).asReadOnlyBuffer();
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        socket.destroy();
        sink.close();
    }

    private void discard() {
        try (SocketChannel ch = sink.accept()) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException e) {
            // The trial is over.
        }
    }

    /** One write from the benchmark thread. */
    @Benchmark
    public boolean offLoop() throws InterruptedException {
        boolean ok = socket.write(payload.duplicate());
        if (!ok) {
            awaitDrain();
        }
        return ok;
    }

    /** {@value #BURST} writes made on the loop thread in one task; ops are counted per write. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BURST)
    public void onLoop() throws Exception {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        socket.executor().execute(() -> {
            boolean ok = true;
            for (int i = 0; i < BURST; i++) {
                ok = socket.write(payload.duplicate());
            }
            done.complete(ok);
        });
        if (!done.get(10, TimeUnit.SECONDS)) {
            awaitDrain();
        }
    }

    private void awaitDrain() throws InterruptedException {
        if (!drained.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no DRAIN within 10 s; writableLength=" + socket.writableLength());
        }
    }
}
