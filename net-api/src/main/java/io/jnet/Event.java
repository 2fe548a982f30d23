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
 * <p>The owner is part of the type, so the compiler refuses a key of another emitter:
 * {@code socket.on(Server.ERROR, ...)} does not compile. Events without a value are {@link Signal}s.
 * Keys are compared by identity.
 *
 * @param <O> the type that emits the event ({@link Socket}, {@link Server}, ...)
 * @param <T> the type of the value handed to listeners
 */
public final class Event<O, T> {
    private final Class<O> owner;
    private final String name;
    private final int index;

    private Event(Class<O> owner, String name, int index) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = Objects.requireNonNull(name, "name");
        this.index = index;
    }

    /**
     * Declares a key of {@code owner}'s; for the emitter types of jnet's own packages. An emitter accepts
     * only the keys its type declares ({@code on()} refuses any other with an
     * {@link IllegalArgumentException}), so a key made here for someone else's type is never delivered.
     *
     * @param index the listener slot, unique among the keys of {@code owner}
     */
    public static <O, T> Event<O, T> of(Class<O> owner, String name, int index) {
        return new Event<>(owner, name, index);
    }

    /** The type that emits this event. */
    public Class<O> owner() {
        return owner;
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
