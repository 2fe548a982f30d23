package io.jnet.bench.client;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.bench.Addr;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * jnet as the client, against the fixed fast echo server (the bare NIO one): {@code pingpong} and
 * {@code stream}, with the same sizes and limits as the load generator, all driven from jnet's loop.
 * Prints {@code workload<TAB>metric<TAB>value} rows.
 */
public final class JnetClient {
    private JnetClient() {
    }

    /** {@code JnetClient tcp:HOST:PORT|unix:PATH pingpong,stream} */
    public static void main(String[] args) throws Exception {
        Endpoint endpoint = endpoint(args[0]);
        double seconds = Double.parseDouble(System.getProperty("seconds", "5"));
        long limit = (long) (seconds * 1e9);
        for (String w : args[1].split(",")) {
            try {
                if (w.equals("pingpong")) {
                    pingpong(endpoint, Integer.getInteger("pp.warmup", 20_000), Integer.getInteger("pp.count", 100_000), limit);
                } else if (w.equals("stream")) {
                    long bytes = Long.getLong("stream.bytes", 1L << 30);
                    stream(endpoint, Math.min(bytes / 8, 128L << 20), limit / 4);
                    long t0 = System.nanoTime();
                    long got = stream(endpoint, bytes, limit);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    print("stream", "MB_per_s", got / secs / 1e6);
                    print("stream", "MiB_echoed", got / 1048576.0);
                } else {
                    throw new IllegalArgumentException("unknown client workload " + w);
                }
            } catch (Exception e) {
                System.err.println(w + " failed: " + e);
            }
        }
        System.exit(0);
    }

    private static Endpoint endpoint(String spec) {
        if (spec.startsWith("unix:")) {
            return Endpoint.ipc(Path.of(spec.substring(5)));
        }
        InetSocketAddress in = (InetSocketAddress) Addr.parse(spec).address();
        return Endpoint.tcp(in.getHostString(), in.getPort());
    }

    /** Round trips of 64 bytes; each round-trip time in nanoseconds, warm-up dropped. */
    private static void pingpong(Endpoint endpoint, int warmup, int count, long limitNanos) throws Exception {
        long[] samples = new long[count];
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Socket s = Net.socket(endpoint, ConnectOptions.builder().noDelay(true).build());
        byte[] ping = new byte[64];
        long start = System.nanoTime();
        // State lives on the loop thread only: [round trips done, bytes of this echo, sent-at].
        long[] st = new long[3];
        s.on(Socket.DATA, chunk -> {
            st[1] += chunk.remaining();
            if (st[1] < 64) {
                return;
            }
            long now = System.nanoTime();
            st[1] -= 64;
            long i = st[0]++;
            if (i >= warmup) {
                samples[(int) (i - warmup)] = now - st[2];
            }
            boolean over = now - start > limitNanos;
            if (i + 1 >= warmup + (long) count || over) {
                done.complete((int) Math.max(0, i + 1 - warmup));
                s.destroy();
                return;
            }
            st[2] = now;
            s.write(ByteBuffer.wrap(ping));
        });
        s.on(Socket.ERROR, done::completeExceptionally);
        s.connect(() -> {
            st[2] = System.nanoTime();
            s.write(ByteBuffer.wrap(ping));
        });
        int n = done.get(limitNanos / 1_000_000 + 10_000, TimeUnit.MILLISECONDS);
        long[] m = Arrays.copyOf(samples, n);
        Arrays.sort(m);
        long sum = 0;
        for (long v : m) {
            sum += v;
        }
        print("pingpong", "median_us", m[n / 2] / 1000.0);
        print("pingpong", "p99_us", m[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000.0);
        print("pingpong", "rt_per_s", n / (sum / 1e9));
    }

    /**
     * Writes up to {@code bytes} in 64 KiB writes, honouring {@code write}'s false (continue on DRAIN),
     * then ends; returns the bytes echoed back once the server has ended too.
     */
    private static long stream(Endpoint endpoint, long bytes, long limitNanos) throws Exception {
        ByteBuffer payload = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
        CompletableFuture<Long> done = new CompletableFuture<>();
        // -Dclient.highWaterMark=N: a diagnostic knob (default: jnet's own, 64 KiB).
        ConnectOptions.Builder options = ConnectOptions.builder().noDelay(true);
        Integer hwm = Integer.getInteger("client.highWaterMark");
        if (hwm != null) {
            options.highWaterMark(hwm);
        }
        Socket s = Net.socket(endpoint, options.build());
        long deadline = System.nanoTime() + limitNanos;
        long[] st = new long[2]; // [sent, received], loop thread only
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                while (st[0] < bytes && System.nanoTime() < deadline) {
                    ByteBuffer b = payload.duplicate();
                    b.limit((int) Math.min(b.capacity(), bytes - st[0]));
                    st[0] += b.remaining();
                    if (!s.write(b)) {
                        s.once(Socket.DRAIN, this);
                        return;
                    }
                }
                s.end();
            }
        };
        s.on(Socket.DATA, chunk -> st[1] += chunk.remaining());
        s.on(Socket.END, () -> done.complete(st[1]));
        s.on(Socket.CLOSE, hadError -> done.complete(st[1]));
        s.on(Socket.ERROR, e -> System.err.println("stream: " + e));
        s.connect(pump);
        long got = done.get(limitNanos / 1_000_000 + 10_000, TimeUnit.MILLISECONDS);
        s.destroy();
        return got;
    }

    private static void print(String workload, String metric, double value) {
        System.out.println(workload + "\t" + metric + "\t" + String.format(Locale.ROOT, "%.2f", value));
    }
}
