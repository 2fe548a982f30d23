package io.jnet.internal;

import io.jnet.Socket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking view for sending: {@code write} copies the caller's bytes (the array is theirs to reuse)
 * and blocks while the socket's queue is at or above its high-water mark. {@code flush} waits until
 * every byte written through this stream is with the kernel, and throws only if some of them never
 * will be: a socket the peer closed after taking everything flushes cleanly. {@code close} ends the
 * socket. Thread-safe; must not be used on the loop thread. Waits with a {@link ReentrantLock}, so a
 * virtual thread blocked here does not pin its carrier.
 */
final class SocketOutputStream extends OutputStream {
    private final Socket socket;
    private final EventLoop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Writes through this stream whose callback has not run yet. Guarded by lock. */
    private long outstanding;
    /** Why a write through this stream failed, if one did. Guarded by lock. */
    private Throwable failure;

    SocketOutputStream(Socket socket, EventLoop loop) {
        this.socket = socket;
        this.loop = loop;
        socket.on(Socket.DRAIN, this::wake);
        socket.on(Socket.CLOSE, hadError -> wake());
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void written(Throwable error) {
        lock.lock();
        try {
            outstanding--;
            if (error != null && failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkThread();
        lock.lock();
        try {
            throwIfFailed();
            if (socket.isDestroyed()) {
                throw new IOException("cannot write: " + socket + " is closed");
            }
            if (len == 0) {
                return;
            }
            outstanding++;
        } finally {
            lock.unlock();
        }
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        if (!socket.write(ByteBuffer.wrap(copy), this::written)) {
            lock.lock();
            try {
                while (socket.writableLength() >= socket.writableHighWaterMark() && !socket.isDestroyed()) {
                    await();
                }
                throwIfFailed();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        checkThread();
        lock.lock();
        try {
            while (outstanding > 0) {
                await();
            }
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    /** Ends our side of the socket after what is queued; the socket stays readable. */
    @Override
    public void close() {
        socket.end();
    }

    private void await() throws InterruptedIOException {
        try {
            // Woken by DRAIN, CLOSE or a write callback; the bound only guards against a missed wake-up.
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to " + socket);
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException("write to " + socket + " failed: " + failure.getMessage(), failure);
        }
    }

    private void checkThread() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("Socket.outputStream() used on the socket's own event loop thread "
                    + loop.name() + " would block the loop; use write() there");
        }
    }
}
