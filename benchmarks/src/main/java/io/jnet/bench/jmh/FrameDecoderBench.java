package io.jnet.bench.jmh;

import io.jnet.codec.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * jnet's two frame decoders ({@code FrameDecoder.lines}, {@code FrameDecoder.lengthPrefixed}) on a
 * stream of {@value #FRAMES} frames of {@code size} payload bytes, delivered in 16 KiB chunks (heap
 * buffers, as jnet's DATA chunks): frames straddle chunk boundaries wherever the sizes fall, as they
 * would off a socket. One op is one frame, so ops/s are frames/s and B/op bytes allocated per frame.
 *
 * <pre>{@code taskset -c 0 java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' org.openjdk.jmh.Main FrameDecoderBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class FrameDecoderBench {
    static final int FRAMES = 1024;
    private static final int CHUNK = 16 * 1024;

    /** Payload bytes per frame (a line's {@code \n} and a length prefix's 4 bytes come on top). */
    @Param({"64", "4096"})
    public int size;

    private ByteBuffer[] lineChunks;
    private ByteBuffer[] prefixChunks;
    private FrameDecoder lines;
    private FrameDecoder prefixed;
    private Consumer<ByteBuffer> sink;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        ByteBuffer lineStream = ByteBuffer.allocate(FRAMES * (size + 1));
        ByteBuffer prefixStream = ByteBuffer.allocate(FRAMES * (size + 4));
        for (int i = 0; i < FRAMES; i++) {
            lineStream.put(payload).put((byte) '\n');
            prefixStream.putInt(size).put(payload);
        }
        lineChunks = chunks(lineStream.array());
        prefixChunks = chunks(prefixStream.array());
        lines = FrameDecoder.lines(1 << 20);
        prefixed = FrameDecoder.lengthPrefixed(1 << 20);
        sink = bh::consume;
    }

    private static ByteBuffer[] chunks(byte[] stream) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int off = 0; off < stream.length; off += CHUNK) {
            out.add(ByteBuffer.wrap(stream, off, Math.min(CHUNK, stream.length - off)).slice());
        }
        return out.toArray(ByteBuffer[]::new);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void lines() {
        for (ByteBuffer c : lineChunks) {
            c.clear();
            lines.decode(c, sink);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void lengthPrefixed() {
        for (ByteBuffer c : prefixChunks) {
            c.clear();
            prefixed.decode(c, sink);
        }
    }
}
