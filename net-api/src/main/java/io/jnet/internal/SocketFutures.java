package io.jnet.internal;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Socket;

import java.util.concurrent.CompletableFuture;

/**
 * The sticky outcomes behind {@code Socket.connected()} and {@code Socket.closed()}: a future asked for
 * after the event already happened is completed at once, so a caller on another thread cannot miss it
 * the way a listener added too late misses an event. Futures are made only when asked for, and completed
 * outside the lock (their dependents run on the completing thread). Thread-safe.
 */
final class SocketFutures {
    private CompletableFuture<Socket> connected;
    private CompletableFuture<Boolean> closed;
    /** Set once the socket connected. */
    private Socket connectedValue;
    /** Set once it closed without having connected. */
    private Throwable connectFailure;
    /** Set once CLOSE's listeners have run. */
    private Boolean hadError;

    synchronized CompletableFuture<Socket> connected() {
        if (connected == null) {
            connected = new CompletableFuture<>();
            if (connectedValue != null) {
                connected.complete(connectedValue);
            } else if (connectFailure != null) {
                connected.completeExceptionally(connectFailure);
            }
        }
        return connected;
    }

    synchronized CompletableFuture<Boolean> closed() {
        if (closed == null) {
            closed = new CompletableFuture<>();
            if (hadError != null) {
                closed.complete(hadError);
            }
        }
        return closed;
    }

    /** Synchronized with {@link #onClosed} by the lock, so a socket is connected or failed, never both. */
    void onConnected(Socket socket) {
        CompletableFuture<Socket> f;
        synchronized (this) {
            if (connectFailure != null || hadError != null) {
                return;
            }
            connectedValue = socket;
            f = connected;
        }
        if (f != null) {
            f.complete(socket);
        }
    }

    /**
     * The socket's CLOSE listeners have run. A socket that never connected fails {@code connected()} with
     * its error, or with {@link ErrorCode#ERR_SOCKET_CLOSED} when it was destroyed without one.
     */
    void onClosed(Throwable error, String address) {
        CompletableFuture<Socket> c;
        CompletableFuture<Boolean> f;
        Throwable failure = null;
        synchronized (this) {
            if (hadError != null) {
                return;
            }
            hadError = error != null;
            if (connectedValue == null) {
                failure = error != null ? error : new NetException(ErrorCode.ERR_SOCKET_CLOSED, "connect", address,
                        "Socket is closed: destroyed before it connected", null);
                connectFailure = failure;
            }
            c = connected;
            f = closed;
        }
        if (c != null && failure != null) {
            c.completeExceptionally(failure);
        }
        if (f != null) {
            f.complete(error != null);
        }
    }
}
