package io.jnet.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The HTTP client's response parser on its own: a response is fed in the slices a socket would hand
 * over (at most 16 KiB each, heap buffers like jnet's owned DATA chunks) to a reused
 * {@link ResponseParser}, the body slices go to a {@link Blackhole}. One op is one whole response
 * ({@code mix}: the four in a row); the {@code bytes} counter is the response bytes parsed per second.
 *
 * <p>In package {@code io.jnet.http} because the parser is package-private: the benchmarks run on the
 * class path, where a package split across two jars is one runtime package.
 *
 * <pre>{@code taskset -c 0 java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' org.openjdk.jmh.Main ResponseParserBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class ResponseParserBench {
    private static final int SLICE = 16 * 1024;

    /** {@code small}: nginx's 13-byte reply; {@code chunked}: 4 chunks of 1 KiB with extensions and 2 trailers; {@code large}: a 64 KiB Content-Length body; {@code headers}: 40 header fields, small body; {@code mix}: all four. */
    @Param({"small", "chunked", "large", "headers", "mix"})
    public String response;

    private final ResponseParser parser = new ResponseParser(ResponseParser.DEFAULT_MAX_HEADER_SIZE, ResponseParser.DEFAULT_MAX_HEADER_FIELDS);
    private final Sink sink = new Sink();
    /** Per response: its slices (reset before each use). */
    private ByteBuffer[][] responses;
    private long bytesPerOp;

    /** Response bytes parsed, as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    /** A listener that only hands what it gets to the blackhole. */
    static final class Sink implements ResponseListener {
        Blackhole bh;
        long bodyBytes;

        @Override
        public void onHead(ResponseHead head) {
            bh.consume(head);
        }

        @Override
        public void onBody(ByteBuffer slice) {
            bodyBytes += slice.remaining();
            bh.consume(slice);
        }

        @Override
        public void onComplete(HttpHeaders trailers) {
            bh.consume(trailers);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        List<String> names = response.equals("mix") ? List.of("small", "chunked", "large", "headers") : List.of(response);
        responses = new ByteBuffer[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            byte[] wire = wire(names.get(i));
            bytesPerOp += wire.length;
            List<ByteBuffer> slices = new ArrayList<>();
            for (int off = 0; off < wire.length; off += SLICE) {
                slices.add(ByteBuffer.wrap(wire, off, Math.min(SLICE, wire.length - off)).slice());
            }
            responses[i] = slices.toArray(ByteBuffer[]::new);
        }
    }

    @Benchmark
    public void parse(Bytes counter, Blackhole bh) throws HttpProtocolException {
        sink.bh = bh;
        for (ByteBuffer[] slices : responses) {
            parser.expect("GET", false, sink);
            for (ByteBuffer s : slices) {
                s.clear();
                parser.feed(s);
            }
            if (parser.state() != ResponseParser.State.DONE) {
                throw new IllegalStateException("response not complete: " + parser.state());
            }
        }
        counter.bytes += bytesPerOp;
    }

    static byte[] wire(String kind) {
        String common = "Server: nginx/1.22.1\r\nDate: Thu, 03 Dec 2026 06:30:00 GMT\r\n";
        return switch (kind) {
            case "small" -> ascii("HTTP/1.1 200 OK\r\n" + common + "Content-Type: text/plain\r\nContent-Length: 13\r\n"
                    + "Last-Modified: Thu, 03 Dec 2026 06:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"692fd1e0-d\"\r\n"
                    + "Accept-Ranges: bytes\r\n\r\nHello, World!");
            case "chunked" -> {
                StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n" + common
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: Checksum, Expires\r\n\r\n");
                String data = "x".repeat(1024);
                for (int i = 0; i < 4; i++) {
                    sb.append("400;part=").append(i).append("\r\n").append(data).append("\r\n");
                }
                sb.append("0\r\nChecksum: 3f2a9c\r\nExpires: Thu, 03 Dec 2026 07:30:00 GMT\r\n\r\n");
                yield ascii(sb.toString());
            }
            case "large" -> ascii("HTTP/1.1 200 OK\r\n" + common + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: 65536\r\nConnection: keep-alive\r\nAccept-Ranges: bytes\r\n\r\n" + "x".repeat(65536));
            case "headers" -> {
                StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n" + common);
                for (int i = 0; i < 36; i++) {
                    sb.append("X-Header-").append(i).append(": value-").append(i).append("; some=thing, other=\"quoted\"\r\n");
                }
                sb.append("Set-Cookie: session=abcdef0123456789; Path=/; HttpOnly\r\nCache-Control: no-cache\r\n");
                yield ascii(sb.append("Content-Length: 2\r\n\r\n{}").toString());
            }
            default -> throw new IllegalArgumentException("unknown response kind " + kind);
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
