package io.jnet.internal;

import io.jnet.Socket;
import io.jnet.WriteCallback;
import io.jnet.spi.AncillaryWrite;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

/**
 * Everything a socket has accepted from {@code write} and the kernel has not taken yet, and the one home
 * of back-pressure (Netty's {@code ChannelOutboundBuffer}): the queue of buffers with their callbacks,
 * the pending byte count against the high-water mark, when {@code DRAIN} is owed, the cork that holds
 * writes back until {@code uncork()}, the copy of lent views, and the completion of every write exactly once, with or without an error.
 *
 * <p>Loop thread only, except {@link #reserve} and {@link #pendingBytes}, which a writer on another
 * thread uses to answer {@code write()}'s boolean before its bytes reach the loop.
 */
final class OutboundBuffer {
    /** Buffers handed to one gathering write; more gives the kernel more per call, at diminishing return. */
    private static final int MAX_GATHER = 64;
    private static final VarHandle PENDING;
    private static final ByteBuffer[] NO_BUFFERS = {};
    private static final WriteCallback[] NO_CALLBACKS = {};

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(OutboundBuffer.class, "pending", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int highWaterMark;
    /** Where callbacks run: the loop, after the socket's own bookkeeping (as Node calls them on a later tick). */
    private final Executor completions;
    /** Accepted and not yet with the kernel, including writes still on their way to the loop. */
    @SuppressWarnings("unused") // through PENDING
    private volatile long pending;
    /** A write() answered false (or would have); DRAIN is owed once everything is written. */
    private boolean drainOwed;
    /**
     * cork() calls not yet matched by uncork() (Node's {@code writableCorked}): while above zero, writes
     * queue here and nothing goes to the kernel, so they leave together. Written on the loop only;
     * volatile for {@code writableCorked()}.
     */
    private volatile int corked;

    // Empty until the first write the kernel does not take at once: most sockets never queue anything,
    // and 10 000 idle connections should not carry 20 000 empty arrays.
    private ByteBuffer[] buffers = NO_BUFFERS;
    private WriteCallback[] callbacks = NO_CALLBACKS;
    private int head;
    private int size;

    OutboundBuffer(int highWaterMark, Executor completions) {
        this.highWaterMark = highWaterMark;
        this.completions = completions;
    }

    int highWaterMark() {
        return highWaterMark;
    }

    long pendingBytes() {
        return Math.max(0, pending);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether something queued may go to the kernel now: it is not held back by a cork. */
    boolean isSendable() {
        return size > 0 && corked == 0;
    }

    boolean isCorked() {
        return corked > 0;
    }

    int corked() {
        return corked;
    }

    void cork() {
        corked++;
    }

    /**
     * Undoes one {@link #cork()}; more than were made is harmless, as in Node.
     *
     * @return whether this released a queue that should be sent now
     */
    boolean uncork() {
        if (corked == 0) {
            return false;
        }
        corked--;
        return isSendable();
    }

    /** Undoes every {@link #cork()} at once, as Node's {@code end()} does; returns as {@link #uncork()}. */
    boolean uncorkAll() {
        if (corked == 0) {
            return false;
        }
        corked = 0;
        return isSendable();
    }

    /**
     * Any thread: counts {@code n} bytes a write is bringing to the loop, so the caller's answer sees them.
     *
     * @return {@code write()}'s answer: whether the count stays below the high-water mark
     */
    boolean reserve(int n) {
        return (long) PENDING.getAndAdd(this, (long) n) + n < highWaterMark;
    }

    /** Takes back a {@link #reserve}d count whose write will never be queued (refused, or written at once). */
    void unreserve(long n) {
        PENDING.getAndAdd(this, -n);
    }

    /** A write answered false: DRAIN is owed. */
    void owesDrain() {
        drainOwed = true;
    }

    /**
     * Queues what the kernel did not take. A lent view (a read-only direct buffer, such as a
     * {@code DATA_BORROWED} chunk) is copied, since its owner reuses it once its listener returns.
     *
     * @param reserved whether its bytes were already counted by {@link #reserve}
     * @return {@code write()}'s answer
     */
    boolean add(ByteBuffer data, WriteCallback callback, boolean reserved) {
        ByteBuffer kept = isLent(data) ? copyOf(data) : data;
        if (size == buffers.length) {
            grow();
        }
        int tail = (head + size) & (buffers.length - 1);
        buffers[tail] = kept;
        callbacks[tail] = callback;
        size++;
        long now = reserved ? pending : (long) PENDING.getAndAdd(this, (long) kept.remaining()) + kept.remaining();
        boolean ok = now < highWaterMark;
        if (!ok) {
            drainOwed = true;
        }
        return ok;
    }

    /**
     * Writes as much as the channel takes now; each write fully handed over completes with no error,
     * in order.
     *
     * @return the bytes written (0 when the kernel's send buffer is full)
     */
    long flush(SocketChannel channel) throws IOException {
        return flush(channel, null);
    }

    /**
     * As {@link #flush(SocketChannel)}; with a {@code stage}, for a channel that cannot gather, small
     * buffers at the head are copied into it and leave in one write instead of one write each.
     */
    long flush(SocketChannel channel, ByteBuffer stage) throws IOException {
        if (corked > 0) {
            return 0;
        }
        long total = 0;
        while (size > 0) {
            long written;
            boolean allOut;
            if (size > 1 && head + Math.min(size, MAX_GATHER) > buffers.length
                    && !(callbacks[head] instanceof AncillaryWrite)) {
                rebase(); // the ring wraps within what one write takes: in order from slot 0, so it takes them all
            }
            if (size == 1 || callbacks[head] instanceof AncillaryWrite) {
                // One buffer: a plain write avoids the JDK's iovec setup.
                ByteBuffer b = buffers[head];
                AncillaryWrite.prepare(callbacks[head], channel, b);
                written = channel.write(b);
                allOut = !b.hasRemaining();
            } else {
                int count = gatherable(Math.min(Math.min(size, MAX_GATHER), buffers.length - head));
                int staged = stage == null ? 0 : stageable(count, stage.capacity());
                if (staged >= 2) {
                    long copied = stage(stage, staged);
                    written = channel.write(stage);
                    advance(written);
                    allOut = written == copied;
                } else {
                    written = channel.write(buffers, head, count);
                    allOut = !buffers[head + count - 1].hasRemaining();
                }
            }
            total += written;
            PENDING.getAndAdd(this, -written);
            completeWritten();
            if (!allOut || written == 0) {
                break;
            }
        }
        return total;
    }

    /** How many whole buffers from the head (of {@code count}) fit in {@code room} bytes together. */
    private int stageable(int count, int room) {
        int n = 0;
        long bytes = 0;
        while (n < count && bytes + buffers[head + n].remaining() <= room) {
            bytes += buffers[head + n].remaining();
            n++;
        }
        return n;
    }

    /** Copies the first {@code n} buffers' bytes into {@code stage} (their positions unmoved); returns the count. */
    private long stage(ByteBuffer stage, int n) {
        stage.clear(); // absolute puts check the limit, which the last use left short
        int at = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer b = buffers[head + i];
            stage.put(at, b, b.position(), b.remaining()); // absolute: no duplicate() per buffer
            at += b.remaining();
        }
        stage.limit(at);
        return at;
    }

    /** Moves the head buffers' positions past {@code written} bytes that left through the stage. */
    private void advance(long written) {
        long left = written;
        for (int i = head; left > 0; i++) {
            ByteBuffer b = buffers[i];
            int step = (int) Math.min(left, b.remaining());
            b.position(b.position() + step);
            left -= step;
        }
    }

    /** How many buffers from the head one gathering write may take: up to the next {@link AncillaryWrite}, which goes alone. */
    private int gatherable(int count) {
        for (int i = 1; i < count; i++) {
            if (callbacks[head + i] instanceof AncillaryWrite) {
                return i;
            }
        }
        return count;
    }

    /** Whether DRAIN is due now: it was owed and nothing is pending any more. Clears the debt. */
    boolean takeDrain() {
        if (drainOwed && pending <= 0) {
            drainOwed = false;
            return true;
        }
        return false;
    }

    /** Completes every queued write with {@code error} (the socket is closing) and forgets the bytes. */
    void failAll(Throwable error) {
        while (size > 0) {
            WriteCallback cb = callbacks[head];
            buffers[head] = null;
            callbacks[head] = null;
            head = (head + 1) & (buffers.length - 1);
            size--;
            complete(cb, error);
        }
        head = 0;
        PENDING.setVolatile(this, 0L);
        drainOwed = false;
    }

    /**
     * Completes one write on a later turn of the loop, so a callback that writes, ends or destroys never
     * runs inside the buffer's own bookkeeping.
     */
    void complete(WriteCallback cb, Throwable error) {
        if (cb != null) {
            completions.execute(() -> run(cb, error));
        }
    }

    private static void run(WriteCallback cb, Throwable error) {
        try {
            cb.onWritten(error);
        } catch (RuntimeException | Error e) {
            LoggerFactory.getLogger(Socket.class).warn("a write callback threw", e);
        }
    }

    private void completeWritten() {
        while (size > 0 && !buffers[head].hasRemaining()) {
            WriteCallback cb = callbacks[head];
            buffers[head] = null;
            callbacks[head] = null;
            head = (head + 1) & (buffers.length - 1);
            size--;
            complete(cb, null);
        }
    }

    /**
     * Moves the queue to start at slot 0, so it no longer wraps: the ring rotated in place by three
     * reversals (no allocation; the empty slots are null and stay empty).
     */
    private void rebase() {
        int n = buffers.length;
        reverse(0, head);
        reverse(head, n);
        reverse(0, n);
        head = 0;
    }

    private void reverse(int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            ByteBuffer b = buffers[i];
            buffers[i] = buffers[j];
            buffers[j] = b;
            WriteCallback c = callbacks[i];
            callbacks[i] = callbacks[j];
            callbacks[j] = c;
        }
    }

    private void grow() {
        int n = buffers.length;
        ByteBuffer[] b = new ByteBuffer[n == 0 ? 4 : n * 2];
        WriteCallback[] c = new WriteCallback[b.length];
        for (int i = 0; i < size; i++) {
            b[i] = buffers[(head + i) & (n - 1)];
            c[i] = callbacks[(head + i) & (n - 1)];
        }
        buffers = b;
        callbacks = c;
        head = 0;
    }

    /** A {@code DATA_BORROWED} view, or any buffer the caller said we may not keep. */
    static boolean isLent(ByteBuffer data) {
        return data.isReadOnly() && data.isDirect();
    }

    static ByteBuffer copyOf(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data).flip();
    }
}
