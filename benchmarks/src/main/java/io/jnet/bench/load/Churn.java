package io.jnet.bench.load;

import io.jnet.bench.Addr;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * {@code churn}: connect, send one byte, read it back, close; repeated up to a count or a time limit.
 * Reports connections per second.
 */
final class Churn {
    private Churn() {
    }

    static void run(Addr target, int maxConnections, double seconds) throws IOException {
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        long limit = (long) (seconds * 1e9);
        // Warm-up: a few hundred cycles.
        long w0 = System.nanoTime();
        for (int i = 0; i < 500 && System.nanoTime() - w0 < limit / 4; i++) {
            cycle(target, one);
        }
        long t0 = System.nanoTime();
        int done = 0;
        while (done < maxConnections && System.nanoTime() - t0 < limit) {
            cycle(target, one);
            done++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Result.print("churn", "conn_per_s", done / secs);
    }

    private static void cycle(Addr target, ByteBuffer one) throws IOException {
        try (SocketChannel ch = target.connect()) {
            one.clear();
            ch.write(one);
            one.clear();
            if (ch.read(one) < 0) {
                throw new EOFException("churn: server closed before echoing");
            }
        }
    }
}
