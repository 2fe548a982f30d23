package io.jnet.bench.load;

import io.jnet.bench.Addr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code fanin}: C connections from one selector thread, each doing 64-byte ping-pong, for a fixed
 * time after a short warm-up. Reports total round trips per second and the p99 round trip.
 */
final class FanIn {

    /** Per-connection state: bytes of the current echo still to come and when the ping left. */
    private static final class Conn {
        final ByteBuffer in = ByteBuffer.allocate(PingPong.SIZE);
        long sentAt;
    }

    private FanIn() {
    }

    static void run(Addr target, int connections, double seconds) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(connections);
        try (Selector selector = Selector.open()) {
            long connectDeadline = System.nanoTime() + 20_000_000_000L;
            for (int i = 0; i < connections && System.nanoTime() < connectDeadline; i++) {
                SocketChannel ch = target.connect();
                channels.add(ch);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, new Conn());
            }
            if (channels.size() < connections) {
                System.err.println("fanin: only " + channels.size() + " of " + connections + " connected in time");
            }
            ByteBuffer ping = ByteBuffer.allocateDirect(PingPong.SIZE);
            Latency lat = new Latency();
            long now = System.nanoTime();
            for (SelectionKey k : selector.keys()) {
                send(k, ping, now);
            }
            long warmEnd = now + (long) (Math.min(1.0, seconds / 4) * 1e9);
            long end = warmEnd + (long) (seconds * 1e9);
            boolean measuring = false;
            long t0 = warmEnd;
            while (true) {
                now = System.nanoTime();
                if (!measuring && now >= warmEnd) {
                    lat.reset();
                    measuring = true;
                    t0 = now;
                }
                if (now >= end) {
                    break;
                }
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    SocketChannel ch = (SocketChannel) k.channel();
                    int n = ch.read(c.in);
                    if (n < 0) {
                        throw new IOException("fanin: server closed a connection");
                    }
                    if (!c.in.hasRemaining()) {
                        long t = System.nanoTime();
                        lat.record(t - c.sentAt);
                        c.in.clear();
                        send(k, ping, t);
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            String w = "fanin" + connections;
            Result.print(w, "rt_per_s", lat.count() / secs);
            Result.print(w, "p99_us", lat.quantileMicros(0.99));
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
        }
    }

    private static void send(SelectionKey k, ByteBuffer ping, long now) throws IOException {
        ((Conn) k.attachment()).sentAt = now;
        ping.clear();
        // 64 bytes into an empty send buffer: the kernel takes them whole.
        int n = ((SocketChannel) k.channel()).write(ping);
        if (n != PingPong.SIZE) {
            throw new IOException("fanin: a 64-byte ping was not taken whole (" + n + ")");
        }
    }
}
