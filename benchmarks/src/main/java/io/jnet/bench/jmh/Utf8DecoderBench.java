package io.jnet.bench.jmh;

import io.jnet.codec.Utf8Decoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Utf8Decoder} on 16 KiB heap chunks (as jnet's DATA chunks) of ASCII text and of mixed text
 * (a third of the characters 2- to 4-byte, a character split across every chunk boundary), against
 * the JDK's {@code new String(bytes, UTF_8)} on the same bytes, the ceiling it borrows from. One op is
 * one chunk.
 *
 * <pre>{@code taskset -c 0 java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' org.openjdk.jmh.Main Utf8DecoderBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class Utf8DecoderBench {
    private static final int CHUNK = 16 * 1024;

    @Param({"ascii", "mixed"})
    public String text;

    private ByteBuffer[] chunks;
    private int next;
    private final Utf8Decoder decoder = new Utf8Decoder();

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder();
        String[] mixed = {"a", "b", "c", "é", "€", "😀", "x", "y", "z"};
        for (int i = 0; sb.length() < 8 * CHUNK; i++) {
            sb.append(text.equals("ascii") ? "the quick brown fox " : mixed[i % mixed.length]);
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        int count = all.length / CHUNK;
        chunks = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            chunks[i] = ByteBuffer.wrap(all, i * CHUNK, CHUNK).slice();
        }
    }

    @Benchmark
    public String jnet() {
        ByteBuffer c = chunks[next];
        next = (next + 1) % chunks.length;
        return decoder.decode(c);
    }

    @Benchmark
    public String jdkWholeChunk() {
        ByteBuffer c = chunks[next];
        next = (next + 1) % chunks.length;
        return new String(c.array(), c.arrayOffset(), c.remaining(), StandardCharsets.UTF_8);
    }
}
