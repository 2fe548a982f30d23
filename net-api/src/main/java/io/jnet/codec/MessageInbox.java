package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Socket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The blocking side of {@link MessageChannel#receive(Duration)}: messages the loop delivers wait here
 * for a plain thread to take them. At most {@value #PAUSE_AT} are held; then the socket is paused until
 * the taker has brought the queue down to half that, so a slow taker pushes back on the peer instead of
 * growing memory.
 *
 * <p>A {@link ReentrantLock} and a {@link Condition}, not {@code synchronized}: a virtual thread waiting
 * here does not pin its carrier.
 */
final class MessageInbox implements Consumer<ByteBuffer> {
    static final int PAUSE_AT = 64;

    private enum State {
        OPEN,
        /** The peer ended its side, or the socket closed without an error: what is queued is the rest. */
        ENDED,
        /** The socket failed: what is queued is still handed out, then {@link #error}. */
        FAILED
    }

    private final Socket socket;
    private final Supplier<String> peer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private State state = State.OPEN;
    private Throwable error;
    private boolean pausedByUs;

    MessageInbox(Socket socket, Supplier<String> peer) {
        this.socket = socket;
        this.peer = peer;
        socket.on(Socket.END, () -> end(State.ENDED, null));
        socket.on(Socket.ERROR, e -> end(State.FAILED, e));
        socket.on(Socket.CLOSE, hadError -> end(State.ENDED, null));
    }

    /** Loop thread: one message from the channel. */
    @Override
    public void accept(ByteBuffer message) {
        lock.lock();
        try {
            queue.add(message);
            if (queue.size() >= PAUSE_AT && !pausedByUs) {
                pausedByUs = true;
                socket.pause();
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void end(State how, Throwable cause) {
        lock.lock();
        try {
            // An error after END still wins: the channel's own END listener may find a truncated frame and
            // destroy the socket after ours has run.
            if (state == State.OPEN || (state == State.ENDED && how == State.FAILED)) {
                state = how;
                error = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** See {@link MessageChannel#receive(Duration)}. */
    ByteBuffer receive(Duration timeout) throws InterruptedException, TimeoutException {
        if (onEventThread()) {
            throw new IllegalStateException("MessageChannel.receive() called on the thread that runs the socket's events ("
                    + Thread.currentThread().getName() + "): it would wait for itself forever; add a MESSAGE listener"
                    + " there, or receive from another thread");
        }
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                if (state == State.ENDED) {
                    return null;
                }
                if (state == State.FAILED) {
                    ErrorCode code = error instanceof NetException ne ? ne.code() : ErrorCode.EIO;
                    throw new NetException(code, "receive", peer.get(), "the channel failed: " + error.getMessage(), error);
                }
                if (nanos <= 0) {
                    throw new TimeoutException("no message from " + peer.get() + " within " + timeout.toMillis() + " ms");
                }
                nanos = changed.awaitNanos(nanos);
            }
            ByteBuffer message = queue.poll();
            if (pausedByUs && queue.size() <= PAUSE_AT / 2) {
                pausedByUs = false;
                socket.resume();
            }
            return message;
        } finally {
            lock.unlock();
        }
    }

    private boolean onEventThread() {
        return socket.executor().inEventLoop();
    }
}
