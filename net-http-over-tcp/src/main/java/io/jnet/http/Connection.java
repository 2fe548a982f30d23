package io.jnet.http;

import io.jnet.ConnectOptions;
import io.jnet.Net;
import io.jnet.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One socket to an origin, carrying one exchange at a time. Routes the socket's events to the
 * current {@link Exchange}; between exchanges (idle in the pool) any byte or close from the server
 * means the connection is finished, and it is dropped before a request is ever sent on it.
 *
 * <p>Everything but {@link #start} and {@link #destroy} runs on the socket's loop thread.
 */
final class Connection implements ConnectionPool.Pooled {
    final Origin origin;
    final Socket socket;
    private final Duration idleTimeout;
    private final int maxHeaderSize;
    /** Loop thread only. */
    private Exchange exchange;
    private ResponseParser parser;
    private boolean connected;
    /** The socket's error, kept for an exchange that arrives after the socket died without one. */
    private Throwable failure;
    /** CLOSE has fired. Until then a destroyed socket still has its ERROR and CLOSE to deliver. */
    private boolean closed;

    /** Creates the socket and starts connecting; does not block. */
    Connection(Origin origin, ConnectOptions options, Duration idleTimeout, int maxHeaderSize, Consumer<Connection> onClosed) {
        this.origin = origin;
        this.idleTimeout = idleTimeout;
        this.maxHeaderSize = maxHeaderSize;
        this.socket = Net.socket(origin.endpoint(), options);
        socket.on(Socket.CONNECT, () -> connected = true);
        // Borrowed: the parser copies the head's bytes and the body stream the body's, each once, out of
        // the loop's read buffer; a DATA chunk would be one more allocation and copy per read.
        socket.on(Socket.DATA_BORROWED, this::onData);
        socket.on(Socket.END, this::onEnd);
        socket.on(Socket.TIMEOUT, this::onTimeout);
        socket.on(Socket.ERROR, this::onError);
        socket.on(Socket.CLOSE, hadError -> {
            closed = true;
            Exchange x = exchange;
            exchange = null;
            if (x != null) {
                x.onClose();
            }
            onClosed.accept(this);
        });
        // Idle HTTP connections must not keep the JVM alive; an exchange in progress has a waiting caller anyway.
        socket.unref();
        socket.connect();
    }

    /** Any thread: runs {@code x} on this connection, on the loop thread. */
    void start(Exchange x) {
        socket.executor().execute(() -> {
            if (closed) {
                if (failure != null) {
                    x.onError(failure);
                } else {
                    x.onClose();
                }
                return;
            }
            exchange = x;
            if (socket.isDestroyed()) {
                // A failed connect destroys the socket at once and delivers ERROR (ECONNREFUSED, ...) and
                // CLOSE a moment later, on this thread: the exchange hears them, with the real cause.
                return;
            }
            if (parser == null) {
                parser = new ResponseParser(maxHeaderSize, ResponseParser.DEFAULT_MAX_HEADER_FIELDS);
            }
            socket.setTimeout(Duration.ZERO);
            x.begin(parser);
        });
    }

    /** Loop thread: the exchange is over; the connection is idle until the pool hands it out again. */
    void detach() {
        exchange = null;
        socket.setTimeout(idleTimeout);
    }

    boolean connected() {
        return connected;
    }

    private void onData(ByteBuffer chunk) {
        Exchange x = exchange;
        if (x != null) {
            x.onData(chunk);
        } else {
            socket.destroy(); // bytes nobody asked for: the server is confused or closing; never reuse
        }
    }

    private void onEnd() {
        Exchange x = exchange;
        if (x != null) {
            x.onEnd();
        } else {
            socket.destroy(); // the server closed an idle connection: evicted by the CLOSE listener
        }
    }

    private void onTimeout() {
        Exchange x = exchange;
        if (x != null) {
            x.onTimeout();
        } else {
            socket.destroy(); // idle for the pool's idle timeout
        }
    }

    private void onError(Throwable t) {
        failure = t;
        Exchange x = exchange;
        if (x != null) {
            x.onError(t);
        }
        // Without an exchange the CLOSE that follows evicts the connection; nothing waits for the error.
    }

    @Override
    public void destroy() {
        socket.destroy();
    }

    @Override
    public String toString() {
        return "connection to " + origin + " (" + socket.localAddress() + ")";
    }
}
