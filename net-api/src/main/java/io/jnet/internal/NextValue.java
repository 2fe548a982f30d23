package io.jnet.internal;

import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.Signal;
import io.jnet.Socket;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code Socket.next(event)}: a future for the next firing of one event, failed with
 * {@link ErrorCode#ERR_SOCKET_CLOSED} if the socket closes first, so it never waits for ever. Built on
 * the socket's public API only. Thread-safe.
 *
 * <p>Closing is watched by a CLOSE listener, not by a stage on {@code closed()}: stages would pile up
 * on a long-lived socket, one per {@code next()}, while this listener leaves with its future. A listener
 * added after CLOSE fired never runs, so a check on the loop (which runs after the CLOSE task if that
 * task was already under way) fails the future of a socket that is already closed.
 */
final class NextValue {
    private NextValue() {
    }

    /** @param address the socket's name in the error */
    static <T> CompletableFuture<T> of(Socket socket, Event<Socket, T> event, String address) {
        CompletableFuture<T> next = new CompletableFuture<>();
        Consumer<T> listener = next::complete;
        failWhenClosedFirst(socket, address, next, event.name(), () -> socket.off(event, listener));
        socket.once(event, listener);
        return next;
    }

    static CompletableFuture<Void> of(Socket socket, Signal<Socket> signal, String address) {
        CompletableFuture<Void> next = new CompletableFuture<>();
        Runnable listener = () -> next.complete(null);
        failWhenClosedFirst(socket, address, next, signal.name(), () -> socket.off(signal, listener));
        socket.once(signal, listener);
        return next;
    }

    private static void failWhenClosedFirst(Socket socket, String address, CompletableFuture<?> next, String event,
                                            Runnable removeListener) {
        Consumer<Boolean> onClose = hadError -> next.completeExceptionally(new NetException(
                ErrorCode.ERR_SOCKET_CLOSED, event, address,
                "Socket is closed: it closed before '" + event + "'", null));
        socket.on(Socket.CLOSE, onClose);
        next.whenComplete((value, error) -> {
            socket.off(Socket.CLOSE, onClose);
            removeListener.run();
        });
        socket.executor().execute(() -> {
            if (socket.closed().isDone()) {
                onClose.accept(true);
            }
        });
    }
}
