package io.jnet;

import java.util.Objects;

/**
 * A typed key for an event that carries a value, such as {@link Socket#DATA} (a {@code ByteBuffer}) or
 * {@link Socket#CLOSE} (whether the socket closed because of an error).
 *
 * <pre>{@code
 * socket.on(Socket.DATA, chunk -> System.out.println(chunk.remaining() + " bytes"));
 * socket.on(Socket.CLOSE, hadError -> log.info("closed, error: {}", hadError));
 * }</pre>
 *
 * <p>Events without a value are {@link Signal}s. Keys are compared by identity.
 *
 * @param <T> the type of the value handed to listeners
 */
public final class Event<T> {
    private final String name;
    private final int index;

    private Event(String name, int index) {
        this.name = Objects.requireNonNull(name, "name");
        this.index = index;
    }

    /** Creates a key; {@code index} is the listener slot, unique among the keys of one emitter type. */
    static <T> Event<T> of(String name, int index) {
        return new Event<>(name, index);
    }

    /** The event's name as Node spells it ({@code "data"}, {@code "close"}). */
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
