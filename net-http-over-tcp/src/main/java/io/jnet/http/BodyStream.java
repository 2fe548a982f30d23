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
    /** Slices handed over by the parser; we own them (the socket's DATA chunks are the listener's). */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private State state = State.OPEN;
    private IOException failure;
    private HttpHeaders trailers;

    BodyStream(Control control) {
        this.control = control;
    }

    /** Loop thread: more body bytes. The buffer is kept, not copied; nobody may change it afterwards. */
    void offer(ByteBuffer slice) {
        boolean pause = false;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            queue.addLast(slice);
            queued += slice.remaining();
            if (queued > HIGH_WATER && !paused) {
                paused = pause = true;
            }
            changed.signalAll();
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
            return state == State.FINISHED && queue.isEmpty();
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

    /** Under the lock: waits until a slice is queued or the body will get no more. */
    private void awaitData() throws InterruptedIOException {
        try {
            while (queue.isEmpty() && state == State.OPEN) {
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the response body");
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
            return (int) Math.min(Integer.MAX_VALUE, queued);
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
            queue.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandon) {
            control.abandon();
        }
    }
}
