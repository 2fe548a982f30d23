package io.jnet.internal;

import io.jnet.AbortSignal;
import io.jnet.Socket;

import java.util.concurrent.atomic.AtomicReference;

/** Node's {@code signal} option on a socket: aborting destroys it with {@code ABORT_ERR}; its CLOSE unhooks the signal. */
final class AbortBinding {
    private AbortBinding() {
    }

    static void destroyOnAbort(AbortSignal signal, Socket socket) {
        AtomicReference<Runnable> unhook = new AtomicReference<>();
        Runnable closed = () -> { };
        // CLOSE unhooks: a long-lived signal must not keep every socket it ever guarded.
        socket.once(Socket.CLOSE, hadError -> {
            Runnable r = unhook.getAndSet(closed);
            if (r != null) {
                r.run();
            }
        });
        Runnable remover = signal.onAbort(() -> socket.destroy(signal.abortError()));
        if (!unhook.compareAndSet(null, remover)) {
            remover.run(); // closed already
        }
    }
}
