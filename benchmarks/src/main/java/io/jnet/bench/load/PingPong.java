package io.jnet.bench.load;

import io.jnet.bench.Addr;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * {@code pingpong}: one connection, a 64-byte message, wait for the whole echo, repeat. A fixed count
 * after a fixed warm-up, both cut short by a time limit.
 */
final class PingPong {
    static final int SIZE = 64;

    private PingPong() {
    }

    static void run(Addr target, int warmup, int count, double seconds) throws IOException {
        long limit = (long) (seconds * 1e9);
        Latency lat = new Latency();
        try (SocketChannel ch = target.connect();
             Watchdog dog = new Watchdog(ch, limit + 5_000_000_000L, "pingpong")) {
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
            ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
            long start = System.nanoTime();
            for (int i = 0; i < warmup && System.nanoTime() - start < limit / 4; i++) {
                roundTrip(ch, out, in);
            }
            lat.reset();
            long t0 = System.nanoTime();
            long now = t0;
            for (int i = 0; i < count && now - t0 < limit; i++) {
                roundTrip(ch, out, in);
                long t = System.nanoTime();
                lat.record(t - now);
                now = t;
            }
            double secs = (now - t0) / 1e9;
            Result.print("pingpong", "median_us", lat.quantileMicros(0.5));
            Result.print("pingpong", "p99_us", lat.quantileMicros(0.99));
            Result.print("pingpong", "rt_per_s", lat.count() / secs);
        }
    }

    static void roundTrip(SocketChannel ch, ByteBuffer out, ByteBuffer in) throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
            if (ch.read(in) < 0) {
                throw new EOFException("server closed during a round trip");
            }
        }
    }
}
