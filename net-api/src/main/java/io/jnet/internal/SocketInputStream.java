package io.jnet.internal;

import io.jnet.Socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking view of what a socket receives. Chunks are buffered up to the socket's high-water mark;
 * past it the socket is paused (so the peer feels TCP back-pressure) and resumed once the reader has
 * taken half of it. Thread-safe; must not be read on the loop thread (it would wait for itself). Waits
 * with a {@link ReentrantLock}, so a virtual thread blocked here does not pin its carrier.
 */
final class SocketInputStream extends InputStream {
    /** What the socket has told us about the stream's end. */
    private enum Ending { OPEN, END, CLOSED }

    private final Socket socket;
    private final EventLoop loop;
    private final long highWaterMark;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private long buffered;
    private boolean pausedByUs;
    private Ending ending = Ending.OPEN;
    private Throwable error;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();

    SocketInputStream(Socket socket, EventLoop loop) {
        this.socket = socket;
        this.loop = loop;
        this.highWaterMark = socket.writableHighWaterMark();
        socket.on(Socket.ERROR, this::onError);
        socket.on(Socket.END, () -> onEnding(Ending.END));
        socket.on(Socket.CLOSE, hadError -> onEnding(Ending.CLOSED));
        socket.on(Socket.DATA, this::onData);
    }

    private void onData(ByteBuffer chunk) {
        lock.lock();
        try {
            chunks.addLast(chunk);
            buffered += chunk.remaining();
            if (buffered >= highWaterMark && !pausedByUs) {
                pausedByUs = true;
                socket.pause();
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onError(Throwable t) {
        lock.lock();
        try {
            error = t;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onEnding(Ending e) {
        lock.lock();
        try {
            if (ending != Ending.CLOSED) {
                ending = e;
            }
            arrived.signalAll();
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
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (loop.inEventLoop()) {
            throw new IllegalStateException("Socket.inputStream() read on the socket's own event loop thread "
                    + loop.name() + " would block the loop forever; read it from another thread");
        }
        lock.lock();
        try {
            return readLocked(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    private int readLocked(byte[] b, int off, int len) throws IOException {
        while (chunks.isEmpty()) {
            if (error != null) {
                throw new IOException(error.getMessage(), error);
            }
            if (ending != Ending.OPEN) {
                return -1;
            }
            try {
                arrived.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading from " + socket);
            }
        }
        int n = 0;
        while (n < len && !chunks.isEmpty()) {
            ByteBuffer head = chunks.peekFirst();
            int take = Math.min(len - n, head.remaining());
            head.get(b, off + n, take);
            n += take;
            if (!head.hasRemaining()) {
                chunks.removeFirst();
            }
        }
        buffered -= n;
        if (pausedByUs && buffered <= highWaterMark / 2) {
            pausedByUs = false;
            socket.resume();
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, buffered);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket, as closing a {@code java.net.Socket}'s stream does. */
    @Override
    public void close() {
        socket.destroy();
    }
}
