package io.jnet;

import java.util.Objects;

/**
 * A typed key for an event that carries no value, such as {@link Socket#CONNECT} or {@link Socket#END}.
 * Listeners are plain {@link Runnable}s, so method references read naturally:
 *
 * <pre>{@code
 * socket.on(Socket.END, socket::end);   // reply to a half-close by ending our side too
 * }</pre>
 *
 * <p>The owner is part of the type ({@code server.on(Socket.END, ...)} does not compile). Keys are
 * compared by identity.
 *
 * @param <O> the type that emits the signal
 */
public final class Signal<O> {
    private final Class<O> owner;
    private final String name;
    private final int index;

    private Signal(Class<O> owner, String name, int index) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = Objects.requireNonNull(name, "name");
        this.index = index;
    }

    /** Declares a signal of {@code owner}'s; see {@link Event#of} for who may and what is refused. */
    public static <O> Signal<O> of(Class<O> owner, String name, int index) {
        return new Signal<>(owner, name, index);
    }

    /** The type that emits this signal. */
    public Class<O> owner() {
        return owner;
    }

    /** The event's name as Node spells it ({@code "connect"}, {@code "end"}). */
    public String name() {
        return name;
    }

    /** The listener slot of this key in its emitter; stable for the life of the program. */
    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
