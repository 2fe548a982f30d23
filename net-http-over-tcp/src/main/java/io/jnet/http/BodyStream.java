package io.jnet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bridge from a connection's loop thread, which pushes body slices as they arrive, to the
 * caller's thread, which reads them as an {@link InputStream}. Back-pressure: past
 * {@link #HIGH_WATER} queued bytes the socket is paused (TCP then pushes back on the server), and
 * resumed once the reader has brought the queue under {@link #LOW_WATER}; memory stays bounded
 * however large the body.
 *
 * <p>A body of known length up to {@link #HIGH_WATER} bytes is copied as it arrives into one array of
 * exactly that length, which {@link #readAllBytes()} then returns as it is: the body's bytes are
 * copied once, out of the loop's read buffer, and the reader is woken once, at the end. Such a body
 * never reaches the high-water mark, so its socket is never paused.
 *
 * <p>Thread-safe: {@link #offer}, {@link #finish} and {@link #fail} are called on the loop thread,
 * reads on any one thread but a loop thread (refused there: the loop would wait for itself). A lock
 * and condition rather than a monitor, so a virtual thread waiting for the body releases its carrier
 * on JDK 21 to 23 too, where waiting inside {@code synchronized} pins it.
 */
final class BodyStream extends InputStream {
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    /** What the stream needs from its connection. */
    interface Control {
        void pause();

        void resume();

        /** The reader gave up before the end: the connection cannot be reused. */
        void abandon();
    }

    private enum State { OPEN, FINISHED, FAILED, CLOSED }

    private final Control control;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a slice arrives or the state leaves OPEN. */
    private final Condition changed = lock.newCondition();
    /** Copies of the slices handed over by the parser (unknown or large length); null with {@link #whole}. */
    private final ArrayDeque<ByteBuffer> queue;
    private long queued;
    /** A body of known length up to HIGH_WATER: its bytes, [readPos, filled) not read yet; null otherwise. */
    private byte[] whole;
    private int filled;
    private int readPos;
    /** A reader waits in {@link #read}: only then does each slice need a signal. */
    private boolean readerWaiting;
    private boolean paused;
    private State state = State.OPEN;
    private IOException failure;
    private HttpHeaders trailers;

    /** A body of unknown length. */
    BodyStream(Control control) {
        this(control, -1);
    }

    /**
     * @param length the body's length when known ({@code Content-Length}), else -1: up to
     *               {@link #HIGH_WATER} it is read into one array of that size
     */
    BodyStream(Control control, long length) {
        this.control = control;
        if (length >= 0 && length <= HIGH_WATER) {
            whole = new byte[(int) length];
            queue = null;
        } else {
            queue = new ArrayDeque<>();
        }
    }

    /**
     * Loop thread: more body bytes. The slice is valid only during the call (a view of the loop's read
     * buffer): its bytes are copied, into the body's array when its length is known.
     */
    void offer(ByteBuffer slice) {
        boolean pause = false;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            int n = slice.remaining();
            if (whole != null) {
                if (n > whole.length - filled) {
                    // The parser never hands over more than Content-Length: this is a bug, not the server's.
                    throw new IllegalStateException(n + " body bytes offered with " + (whole.length - filled)
                            + " left of " + whole.length);
                }
                slice.get(slice.position(), whole, filled, n);
                filled += n;
            } else {
                byte[] copy = new byte[n];
                slice.get(slice.position(), copy, 0, n);
                queue.addLast(ByteBuffer.wrap(copy));
                queued += n;
                if (queued > HIGH_WATER && !paused) {
                    paused = pause = true;
                }
            }
            if (readerWaiting) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (pause) {
            control.pause();
        }
    }

    /** Loop thread: the body is complete. */
    void finish(HttpHeaders trailers) {
        boolean resume;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            this.trailers = trailers;
            state = State.FINISHED;
            // Nothing more will come for this exchange; the socket must not stay paused for the next.
            resume = paused;
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (resume) {
            control.resume();
        }
    }

    /** Any thread: the body cannot complete; readers get {@code cause} once the queue is empty. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (state == State.OPEN) {
                failure = cause;
                state = State.FAILED;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The trailers, or null until the body is complete. */
    HttpHeaders trailers() {
        lock.lock();
        try {
            return trailers;
        } finally {
            lock.unlock();
        }
    }

    boolean isFinished() {
        lock.lock();
        try {
            return state == State.FINISHED && unread() == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        refuseOnLoop();
        boolean resume = false;
        int n;
        lock.lock();
        try {
            awaitData();
            if (whole != null) {
                n = Math.min(len, filled - readPos);
                if (n == 0) {
                    endOfBody();
                    return -1;
                }
                System.arraycopy(whole, readPos, b, off, n);
                readPos += n;
                return n;
            }
            if (queue.isEmpty()) {
                endOfBody();
                return -1;
            }
            ByteBuffer head = queue.peekFirst();
            n = Math.min(len, head.remaining());
            head.get(b, off, n);
            if (!head.hasRemaining()) {
                queue.pollFirst();
            }
            queued -= n;
            if (paused && queued <= LOW_WATER) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            control.resume();
        }
        return n;
    }

    /**
     * The rest of the body in one array, sized from what has arrived: a body that is complete when the
     * reader gets here (most small responses) is copied once into an array of its exact length, where
     * {@link InputStream#readAllBytes()} would read through 8 KiB buffers and copy again. Slices are
     * taken as they come, so back-pressure still holds for a large body.
     */
    @Override
    public byte[] readAllBytes() throws IOException {
        refuseOnLoop();
        if (whole != null) {
            return readWhole();
        }
        byte[] all = new byte[0];
        int size = 0;
        while (true) {
            boolean resume = false;
            lock.lock();
            try {
                awaitData();
                if (queue.isEmpty()) {
                    endOfBody(); // throws unless the body is finished
                    return size == all.length ? all : Arrays.copyOf(all, size);
                }
                if (size + queued > Integer.MAX_VALUE - 8) {
                    throw new IOException("response body too large for one array (over 2 GiB); read it as a stream");
                }
                int needed = size + (int) queued;
                if (needed > all.length) {
                    // Exact when the body is complete; otherwise leave room to grow without copying each time.
                    int room = state == State.FINISHED ? needed : Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2 * all.length));
                    all = Arrays.copyOf(all, room);
                }
                for (ByteBuffer slice; (slice = queue.pollFirst()) != null; ) {
                    int n = slice.remaining();
                    slice.get(all, size, n);
                    size += n;
                }
                queued = 0;
                if (paused) {
                    paused = false;
                    resume = true;
                }
            } finally {
                lock.unlock();
            }
            if (resume) {
                control.resume();
            }
        }
    }

    /** A body of known length: waits for its end (one wake-up), then hands out the array itself when nothing was read. */
    private byte[] readWhole() throws IOException {
        lock.lock();
        try {
            try {
                while (state == State.OPEN) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the response body");
            }
            endOfBody(); // throws unless the body is complete
            byte[] all = whole;
            if (all == null) {
                return new byte[0]; // closed after its end: discarded
            }
            int from = readPos;
            int to = filled;
            readPos = filled;
            return from == 0 && to == all.length ? all : Arrays.copyOfRange(all, from, to);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: bytes arrived and not read yet. */
    private long unread() {
        return whole != null ? filled - readPos : queued;
    }

    /** Under the lock: waits until there are bytes to read or the body will get no more. */
    private void awaitData() throws InterruptedIOException {
        readerWaiting = true;
        try {
            while (unread() == 0 && state == State.OPEN) {
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the response body");
        } finally {
            readerWaiting = false;
        }
    }

    /** Under the lock, queue empty and no more coming: returns at a clean end, throws otherwise. */
    private void endOfBody() throws IOException {
        switch (state) {
            case FINISHED -> { }
            case FAILED -> throw new IOException(failure.getMessage(), failure);
            case CLOSED -> throw new IOException("response body stream closed");
            case OPEN -> throw new AssertionError("no data and still open after awaitData");
        }
    }

    static void refuseOnLoop() {
        LoopThreads.refuseBlocking("reading an HTTP response body",
                "read it on another thread (HttpClient.sendAsync completes on the client's executor)");
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, unread());
        } finally {
            lock.unlock();
        }
    }

    /** Discards the rest; if the body was not complete, the connection is given up (not reused). */
    @Override
    public void close() {
        boolean abandon;
        lock.lock();
        try {
            abandon = state == State.OPEN;
            state = state == State.FINISHED ? State.FINISHED : State.CLOSED;
            if (queue != null) {
                queue.clear();
            }
            queued = 0;
            whole = null;
            filled = readPos = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandon) {
            control.abandon();
        }
    }
}
