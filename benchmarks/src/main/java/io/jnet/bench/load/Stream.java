package io.jnet.bench.load;

import io.jnet.bench.Addr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * {@code stream}: one connection; a writer thread sends up to {@code totalBytes} in 64 KiB writes
 * while this thread reads the echo back. The writer stops at the byte count or the time limit and
 * then half-closes; the echo server ends its side after the last echoed byte, which is when this
 * thread stops the clock. Reports payload echoed per second, one direction (MB = 10^6 bytes).
 */
final class Stream {
    static final int CHUNK = 64 * 1024;

    private Stream() {
    }

    static void run(Addr target, long totalBytes, double seconds) throws IOException, InterruptedException {
        long limit = (long) (seconds * 1e9);
        // Warm-up on its own connection, so both sides have compiled their paths before the clock starts.
        pump(target, Math.min(totalBytes / 8, 128L * 1024 * 1024), limit / 4, "stream warm-up");
        long t0 = System.nanoTime();
        long got = pump(target, totalBytes, limit, "stream");
        double secs = (System.nanoTime() - t0) / 1e9;
        Result.print("stream", "MB_per_s", got / secs / 1e6);
        Result.print("stream", "MiB_echoed", got / 1048576.0);
    }

    /** Echoes up to {@code bytes} over a new connection; returns how many came back. */
    static long pump(Addr target, long bytes, long limitNanos, String name) throws IOException, InterruptedException {
        try (SocketChannel ch = target.connect();
             Watchdog dog = new Watchdog(ch, limitNanos + 5_000_000_000L, name)) {
            long deadline = System.nanoTime() + limitNanos;
            Thread writer = new Thread(() -> {
                ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
                long sent = 0;
                try {
                    while (sent < bytes && System.nanoTime() < deadline) {
                        out.clear();
                        out.limit((int) Math.min(CHUNK, bytes - sent));
                        while (out.hasRemaining()) {
                            ch.write(out);
                        }
                        sent += out.limit();
                    }
                    ch.shutdownOutput();
                } catch (IOException e) {
                    System.err.println(name + " writer: " + e);
                }
            }, name + "-writer");
            writer.start();
            ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
            long got = 0;
            try {
                while (got < bytes) {
                    in.clear();
                    int n = ch.read(in);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
            } catch (IOException e) {
                System.err.println(name + " reader: " + e);
            }
            writer.join();
            return got;
        }
    }
}
