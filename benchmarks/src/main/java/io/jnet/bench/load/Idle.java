package io.jnet.bench.load;

import io.jnet.bench.Addr;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code idle}: opens N connections, echoes one byte on each (so the server has accepted and set up
 * every one), prints {@code HOLDING N} on stderr and holds them open for a bounded time, while
 * {@code run.sh} measures the server's heap and RSS. The figures are the runner's, not this class's.
 */
final class Idle {
    private Idle() {
    }

    static void run(Addr target, int connections, double holdSeconds) throws IOException, InterruptedException {
        List<SocketChannel> open = new ArrayList<>(connections);
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        long deadline = System.nanoTime() + 60_000_000_000L;
        try {
            for (int i = 0; i < connections && System.nanoTime() < deadline; i++) {
                SocketChannel ch = target.connect();
                open.add(ch);
                one.clear();
                ch.write(one);
                one.clear();
                if (ch.read(one) < 0) {
                    throw new EOFException("idle: server closed connection " + i);
                }
            }
            System.err.println("HOLDING " + open.size());
            System.err.flush();
            Thread.sleep((long) (holdSeconds * 1000));
        } finally {
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
    }
}
