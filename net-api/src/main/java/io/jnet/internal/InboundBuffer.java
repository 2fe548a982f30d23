package io.jnet.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * What a socket has read while nobody consumes it (Node's readable buffer before the first {@code data}
 * listener, or while paused with chunks left over). The socket reads into it up to its high-water mark
 * and then stops reading, so the kernel's buffers fill and TCP pushes back on the peer. Loop thread only.
 */
final class InboundBuffer {
    private ArrayDeque<ByteBuffer> chunks;
    /** Volatile for readableLength() from other threads; written on the loop only. */
    private volatile long length;

    boolean isEmpty() {
        return length == 0;
    }

    long length() {
        return length;
    }

    /** Keeps an owned copy of the {@code n} bytes at the start of {@code source}. */
    void add(ByteBuffer source, int n) {
        if (chunks == null) {
            chunks = new ArrayDeque<>(4);
        }
        ByteBuffer chunk = ByteBuffer.allocate(n);
        chunk.put(source.position(0).limit(n)).flip();
        chunks.addLast(chunk);
        length += n;
    }

    /** The oldest chunk, removed; null when empty. The caller owns it. */
    ByteBuffer poll() {
        ByteBuffer c = chunks == null ? null : chunks.pollFirst();
        if (c != null) {
            length -= c.remaining();
        }
        return c;
    }

    void clear() {
        chunks = null;
        length = 0;
    }
}
