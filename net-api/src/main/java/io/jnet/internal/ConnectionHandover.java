package io.jnet.internal;

import java.util.ArrayList;

/**
 * Holds what an accepted socket's {@code CONNECTION} listeners ask of it until they have returned.
 *
 * <p>{@code CONNECTION} fires on the server's loop, and the socket usually lives on another loop of
 * the group. Without the hold, a write made by the listener runs on the socket's loop at once, and can
 * empty the queue and fire {@code DRAIN} while the listener is still between its {@code write} and its
 * {@code once(DRAIN, ...)}: Node's own pattern, {@code if (!socket.write(b)) socket.once('drain', next)},
 * would then wait forever. In Node the listener always returns before anything it asked for happens
 * (a write's callback, 'drain'); holding its calls until then gives the same guarantee. Only the
 * thread running the listeners holds, and only for that socket; calls from any other thread, or for
 * any other socket, go to their loop at once.
 *
 * <p>One per server loop thread, reused for every accepted socket: an accept costs no allocation
 * here unless a listener calls the socket from the wrong loop. Listeners of one socket's
 * {@code CONNECTION} cannot start another's on the same thread, so holds never nest.
 */
final class ConnectionHandover {
    /** Set on a loop thread at its first accept; other threads never get one. */
    private static final ThreadLocal<ConnectionHandover> PER_THREAD = new ThreadLocal<>();

    private NioSocket socket;
    private ArrayList<Runnable> held;

    private ConnectionHandover() {
    }

    /** On the server's loop, before {@code socket}'s CONNECTION listeners run; pass the result to {@link #end}. */
    static ConnectionHandover begin(NioSocket socket) {
        ConnectionHandover handover = PER_THREAD.get();
        if (handover == null) {
            handover = new ConnectionHandover();
            PER_THREAD.set(handover);
        }
        handover.socket = socket;
        return handover;
    }

    /** Keeps {@code task} for later if the calling thread is running {@code socket}'s CONNECTION listeners. */
    static boolean hold(NioSocket socket, Runnable task) {
        ConnectionHandover handover = PER_THREAD.get();
        if (handover == null || handover.socket != socket) {
            return false;
        }
        if (handover.held == null) {
            handover.held = new ArrayList<>(4);
        }
        handover.held.add(task);
        return true;
    }

    /** Once the listeners have returned (or thrown): hands what they asked for, in order, to {@code loop}. */
    void end(EventLoop loop) {
        socket = null;
        ArrayList<Runnable> tasks = held;
        if (tasks != null && !tasks.isEmpty()) {
            tasks.forEach(loop::execute);
            tasks.clear();
        }
    }
}
