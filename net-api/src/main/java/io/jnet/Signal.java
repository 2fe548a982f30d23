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
 * <p>Keys are compared by identity.
 */
public final class Signal {
    private final String name;
    private final int index;

    private Signal(String name, int index) {
        this.name = Objects.requireNonNull(name, "name");
        this.index = index;
    }

    static Signal of(String name, int index) {
        return new Signal(name, index);
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
