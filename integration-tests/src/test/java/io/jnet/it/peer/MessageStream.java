package io.jnet.it.peer;

import io.jnet.codec.MessageChannel;
import io.jnet.Socket;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A reproducible stream of messages that both ends of a test can generate and check without keeping
 * them: message {@code i} has a size drawn log-uniformly from 1 B to 1 MiB (most small, some huge; the
 * first is 1 B and the second 1 MiB) and bytes computed from the seed and {@code i}, so a lost,
 * repeated, reordered or corrupted message is caught at its first wrong byte.
 */
public final class MessageStream {
    public static final int MAX_SIZE = 1 << 20;

    private final long seed;
    private final int count;
    private final Random sizes;
    private int next;

    public MessageStream(long seed, int count) {
        this.seed = seed;
        this.count = count;
        this.sizes = new Random(seed);
    }

    public int count() {
        return count;
    }

    /** The size of the next message in order; call once per message. */
    private int nextSize() {
        int i = next++;
        if (i == 0) {
            return 1;
        }
        if (i == 1) {
            return MAX_SIZE;
        }
        return (int) Math.min(MAX_SIZE, Math.max(1, Math.round(Math.exp(sizes.nextDouble() * Math.log(MAX_SIZE)))));
    }

    private byte at(int message, int offset) {
        return (byte) (seed + message * 131 + offset * 7 + (offset >>> 8));
    }

    /** Message {@code i}, which must be the next one; {@code i} counts from 0. */
    public ByteBuffer message(int i) {
        byte[] b = new byte[nextSize()];
        for (int j = 0; j < b.length; j++) {
            b[j] = at(i, j);
        }
        return ByteBuffer.wrap(b);
    }

    /** Checks that {@code m} is message {@code i} (the next one); the problem in words, or null. */
    public String check(int i, ByteBuffer m) {
        int size = nextSize();
        if (m.remaining() != size) {
            return "message " + i + " has " + m.remaining() + " bytes, expected " + size;
        }
        int p = m.position();
        for (int j = 0; j < size; j++) {
            if (m.get(p + j) != at(i, j)) {
                return "message " + i + " differs at byte " + j + " of " + size;
            }
        }
        return null;
    }

    /**
     * Sends all messages on {@code channel} honouring back-pressure, then {@code last} if not null.
     * Call on the socket's loop (from CONNECT or a CONNECTION listener).
     */
    public static void sendAll(MessageChannel channel, MessageStream stream, Runnable last) {
        Socket socket = channel.socket();
        int[] sent = {0};
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                while (sent[0] < stream.count()) {
                    boolean more = channel.send(stream.message(sent[0]++));
                    if (!more) {
                        socket.once(Socket.DRAIN, this);
                        return;
                    }
                }
                if (last != null) {
                    last.run();
                }
            }
        };
        pump.run();
    }
}
