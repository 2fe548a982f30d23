package io.jnet.internal;

import io.jnet.Socket;
import io.jnet.spi.EventLoop;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A blocking view for sending: {@code write} copies the caller's bytes (the array is theirs to reuse)
 * and blocks while the socket's queue is at or above its high-water mark. {@code flush} waits until
 * everything written so far is handed to the kernel; {@code close} ends the socket. Thread-safe; must
 * not be used on the loop thread.
 */
final class SocketOutputStream extends OutputStream {
    private final Socket socket;
    private final EventLoop loop;
    private final Object lock = new Object();

    SocketOutputStream(Socket socket, EventLoop loop) {
        this.socket = socket;
        this.loop = loop;
        socket.on(Socket.DRAIN, this::wake);
        socket.on(Socket.CLOSE, hadError -> wake());
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        checkThread();
        ensureOpen();
        if (len == 0) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
        if (!socket.write(ByteBuffer.wrap(copy))) {
            synchronized (lock) {
                while (socket.writableLength() >= socket.writableHighWaterMark() && !socket.isDestroyed()) {
                    await();
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        checkThread();
        ensureOpen();
        boolean[] done = new boolean[1];
        socket.write(ByteBuffer.allocate(0), () -> {
            synchronized (lock) {
                done[0] = true;
                lock.notifyAll();
            }
        });
        synchronized (lock) {
            while (!done[0] && !socket.isDestroyed()) {
                await();
            }
        }
        ensureOpen();
    }

    /** Ends our side of the socket after what is queued; the socket stays readable. */
    @Override
    public void close() {
        socket.end();
    }

    private void await() throws InterruptedIOException {
        try {
            // Woken by DRAIN, CLOSE or a write callback; the bound only guards against a missed wake-up.
            lock.wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to " + socket);
        }
    }

    private void ensureOpen() throws IOException {
        if (socket.isDestroyed()) {
            throw new IOException("cannot write: " + socket + " is closed");
        }
    }

    private void checkThread() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("Socket.outputStream() used on the socket's own event loop thread "
                    + loop.name() + " would block the loop; use write() there");
        }
    }
}
