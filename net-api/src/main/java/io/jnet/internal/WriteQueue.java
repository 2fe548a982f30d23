package io.jnet.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.Executor;

/**
 * The bytes a socket has accepted from {@code write} but the kernel has not taken yet: a ring of
 * buffers with their completion callbacks, flushed with gathering writes. Loop thread only.
 *
 * <p>The buffers are the caller's own (no copy); the socket's write contract says they must not change
 * until written.
 */
final class WriteQueue {
    /** Buffers handed to one gathering write; more gives the kernel more per call, at diminishing return. */
    private static final int MAX_GATHER = 64;

    private ByteBuffer[] buffers = new ByteBuffer[8];
    private Runnable[] callbacks = new Runnable[8];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(ByteBuffer buffer, Runnable onWritten) {
        if (size == buffers.length) {
            grow();
        }
        int tail = (head + size) & (buffers.length - 1);
        buffers[tail] = buffer;
        callbacks[tail] = onWritten;
        size++;
    }

    private void grow() {
        int n = buffers.length;
        ByteBuffer[] b = new ByteBuffer[n * 2];
        Runnable[] c = new Runnable[n * 2];
        for (int i = 0; i < size; i++) {
            b[i] = buffers[(head + i) & (n - 1)];
            c[i] = callbacks[(head + i) & (n - 1)];
        }
        buffers = b;
        callbacks = c;
        head = 0;
    }

    /**
     * Writes as much as the channel takes now; completed buffers leave the queue and their callbacks
     * are queued on {@code completed} (the loop), to run after the socket's own bookkeeping.
     *
     * @return the bytes written (0 when the kernel's send buffer is full)
     */
    long flush(GatheringByteChannel channel, Executor completed) throws IOException {
        long total = 0;
        while (size > 0) {
            long written;
            boolean drained;
            if (size == 1 || head + 1 >= buffers.length) {
                // One buffer (or the ring wraps here): a plain write avoids the JDK's iovec setup.
                ByteBuffer b = buffers[head];
                written = channel.write(b);
                drained = !b.hasRemaining();
            } else {
                int count = Math.min(Math.min(size, MAX_GATHER), buffers.length - head);
                written = channel.write(buffers, head, count);
                drained = !buffers[head + count - 1].hasRemaining();
            }
            total += written;
            popWritten(completed);
            if (!drained || written == 0) {
                break;
            }
        }
        return total;
    }

    private void popWritten(Executor completed) {
        while (size > 0 && !buffers[head].hasRemaining()) {
            Runnable cb = callbacks[head];
            buffers[head] = null;
            callbacks[head] = null;
            head = (head + 1) & (buffers.length - 1);
            size--;
            if (cb != null) {
                completed.execute(cb);
            }
        }
    }

    /** Drops everything queued (the socket is being destroyed); callbacks are not run. */
    void clear() {
        for (int i = 0; i < size; i++) {
            int idx = (head + i) & (buffers.length - 1);
            buffers[idx] = null;
            callbacks[idx] = null;
        }
        head = 0;
        size = 0;
    }

}
