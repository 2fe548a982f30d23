package io.jnet;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A connected stream socket with Node's {@code net.Socket} semantics: a duplex stream of bytes whose
 * events fire on one event-loop thread, in order.
 *
 * <pre>{@code
 * Socket socket = Net.createConnection(Endpoint.tcp("localhost", 9527), () -> log.info("connected"));
 * socket.on(Socket.DATA, chunk -> out.write(chunk));       // chunk is yours to keep
 * socket.on(Socket.END, () -> log.info("peer finished"));
 * socket.on(Socket.CLOSE, hadError -> log.info("closed"));
 * socket.write("hello\n");                                // queued until connected
 * }</pre>
 *
 * <h2>Life</h2>
 * {@link #CONNECT} → {@link #DATA}* → {@link #END} (the peer finished) → {@link #CLOSE}. A failure fires
 * {@link #ERROR} then {@code CLOSE(true)}. {@code CLOSE} fires exactly once, last; nothing fires after it.
 * With {@code allowHalfOpen} false (the default) our side ends by itself once the peer's {@code END}
 * listeners have run.
 *
 * <h2>Reading</h2>
 * As a Node stream, a socket starts reading when the first {@link #DATA} listener is added (or on
 * {@link #resume()}), so a listener added just after the socket is created misses nothing.
 * {@link #pause()} stops reading and lets TCP's flow control push back on the peer.
 *
 * <h2>Writing</h2>
 * {@link #write(ByteBuffer)} never blocks. It returns false once {@link #writableLength()} reaches the
 * high-water mark; {@link #DRAIN} fires when the queue has emptied. Honour it and memory stays bounded.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Listeners run on the socket's loop thread; calls made there take effect
 * at once, calls from other threads are handed to the loop. Never block in a listener.
 */
public interface Socket extends AutoCloseable {

    /** The connection is established. */
    Signal<Socket> CONNECT = Signal.of(Socket.class, "connect", 0);
    /** The peer ended its side (half-close or close); no more {@link #DATA}. */
    Signal<Socket> END = Signal.of(Socket.class, "end", 1);
    /** The write queue, which had reached the high-water mark, is empty again. */
    Signal<Socket> DRAIN = Signal.of(Socket.class, "drain", 2);
    /** The socket has been idle for the {@link #setTimeout} duration; it stays open. */
    Signal<Socket> TIMEOUT = Signal.of(Socket.class, "timeout", 3);
    /**
     * A chunk of bytes from the peer. The buffer is the listener's: nothing else holds it, it is not
     * reused, and it may be kept or changed. Every listener gets the same buffer, so a listener that
     * reads it (moves its position) should use {@code chunk.duplicate()} when others follow.
     */
    Event<Socket, ByteBuffer> DATA = Event.of(Socket.class, "data", 4);
    /** A failure; {@code CLOSE(true)} follows. Usually a {@link NetException}. */
    Event<Socket, Throwable> ERROR = Event.of(Socket.class, "error", 5);
    /** The socket is closed; the value says whether it closed because of an error. Fires once, last. */
    Event<Socket, Boolean> CLOSE = Event.of(Socket.class, "close", 6);
    /**
     * The same bytes as {@link #DATA}, lent instead of given: a read-only view of the loop's read buffer,
     * valid only until the listener returns. Nothing is allocated and nothing copied, so a listener
     * that consumes the bytes at once — a parser, a counter, a checksum, an echo or a proxy that calls
     * {@link #write} — reads at the speed of the bare channel. Node's counterpart is the {@code onread}
     * option of {@code net.Socket}.
     *
     * <p>Rules: copy what you keep ({@code ByteBuffer.allocate(n).put(view)}); handing the view to
     * {@link #write} is safe (see there). Adding the first listener starts reading, as {@code DATA}
     * does. With both kinds of listener, {@code DATA_BORROWED} listeners run first, then {@code DATA}
     * listeners receive their own copy.
     *
     * <pre>{@code
     * socket.on(Socket.DATA_BORROWED, view -> {      // an echo without a byte[] per read
     *     if (!socket.write(view)) {
     *         socket.pause();
     *     }
     * });
     * socket.on(Socket.DRAIN, socket::resume);
     * }</pre>
     */
    Event<Socket, ByteBuffer> DATA_BORROWED = Event.of(Socket.class, "data-borrowed", 7);
    /**
     * TCP: a host name was looked up (Node's {@code 'lookup'}); once per address found, or once with the
     * error when the lookup failed. Not fired for an IP literal, which is not looked up.
     */
    Event<Socket, LookupEvent> LOOKUP = Event.of(Socket.class, "lookup", 8);
    /** TCP: a connection attempt to one address starts (Node's {@code 'connectionAttempt'}). */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT = Event.of(Socket.class, "connectionAttempt", 9);
    /** TCP: an attempt failed; {@link ConnectionAttempt#error()} says why (Node's {@code 'connectionAttemptFailed'}). */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT_FAILED = Event.of(Socket.class, "connectionAttemptFailed", 10);
    /**
     * TCP, Happy Eyeballs: an attempt did not connect within {@code autoSelectFamilyAttemptTimeout}, so
     * the next address is tried (Node's {@code 'connectionAttemptTimeout'}). Unlike Node, which closes
     * it, the attempt goes on (RFC 8305): it may still win, or fail later with its own error.
     */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT_TIMEOUT = Event.of(Socket.class, "connectionAttemptTimeout", 11);

    // ---- listeners -------------------------------------------------------------------------------

    /** Adds a listener, called after those already added for the same event. */
    Socket on(Signal<Socket> event, Runnable listener);

    /** Adds a listener, called after those already added for the same event. */
    <T> Socket on(Event<Socket, T> event, Consumer<? super T> listener);

    /** Adds a listener that is removed before its first call. */
    Socket once(Signal<Socket> event, Runnable listener);

    /** Adds a listener that is removed before its first call. */
    <T> Socket once(Event<Socket, T> event, Consumer<? super T> listener);

    /** Removes the first registration of this exact listener object; no-op if absent. */
    Socket off(Signal<Socket> event, Runnable listener);

    /** Removes the first registration of this exact listener object; no-op if absent. */
    <T> Socket off(Event<Socket, T> event, Consumer<? super T> listener);

    // ---- connecting ------------------------------------------------------------------------------

    /**
     * Starts connecting a socket made by {@link Net#socket}; the outcome is {@link #CONNECT} or
     * {@link #ERROR}. Add listeners first: this is the way to miss no event when the socket is set up
     * from a thread other than its loop.
     *
     * @throws IllegalStateException if the socket is already connecting, connected, or was accepted
     */
    Socket connect();

    /**
     * TCP: every address a connection attempt was made to, as {@code ip:port} ({@code ::1:8080}), in
     * order; Node's {@code socket.autoSelectFamilyAttemptedAddresses}. Empty before the lookup and for
     * an accepted or IPC socket.
     */
    default java.util.List<String> autoSelectFamilyAttemptedAddresses() {
        return java.util.List.of();
    }

    /** {@link #connect()} with a one-time {@link #CONNECT} listener. */
    default Socket connect(Runnable onConnect) {
        if (onConnect != null) {
            once(CONNECT, onConnect);
        }
        return connect();
    }

    // ---- writing ---------------------------------------------------------------------------------

    /**
     * Queues the buffer's remaining bytes for sending. The socket takes the buffer: do not change it
     * until {@code callback} has run (or, without a callback, do not change it at all).
     *
     * <p>A read-only direct buffer — every {@link #DATA_BORROWED} view is one — is not taken but
     * copied: on the socket's loop with nothing queued, the bytes the kernel accepts at once go
     * straight from it and only the rest is copied; otherwise all of it is copied before
     * {@code write} returns.
     *
     * <p>A write after {@link #end()} fails with {@link ErrorCode#ERR_STREAM_WRITE_AFTER_END} (the
     * callback, then {@link #ERROR}, and the socket is destroyed); a write to a destroyed socket fails
     * the callback with {@link ErrorCode#ERR_STREAM_DESTROYED} and nothing else, as in Node.
     *
     * @param callback called exactly once on the loop: with null once every byte is handed to the kernel,
     *                 or with the error that means it never will be. May be null.
     * @return false once queued bytes have reached the high-water mark: wait for {@link #DRAIN}
     */
    boolean write(ByteBuffer data, WriteCallback callback);

    /** {@link #write(ByteBuffer, WriteCallback)} without a callback. */
    default boolean write(ByteBuffer data) {
        return write(data, null);
    }

    /** Writes the array's bytes; the socket takes the array (do not change it afterwards). */
    default boolean write(byte[] data) {
        return write(ByteBuffer.wrap(data), null);
    }

    /** Writes the string as UTF-8. */
    default boolean write(String text) {
        return write(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
    }

    /** Writes the string as UTF-8; {@code callback} as in {@link #write(ByteBuffer, WriteCallback)}. */
    default boolean write(String text, WriteCallback callback) {
        return write(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
    }

    /**
     * Half-closes: sends what is queued, then shuts down our sending side. The peer sees end-of-stream;
     * we may still receive. Calling it again is harmless. A write after it is an
     * {@link ErrorCode#ERR_STREAM_WRITE_AFTER_END} error.
     */
    void end();

    /**
     * Aborts the connection: a TCP socket closes with an RST (the peer sees {@code ECONNRESET}) and drops
     * what is queued (each queued write's callback gets {@link ErrorCode#ERR_STREAM_DESTROYED}); then
     * {@code CLOSE(false)}. Node's {@code resetAndDestroy()}. A socket still connecting is reset once it
     * connects.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_HANDLE_TYPE} on an IPC socket (Unix domain
     *                      sockets have no reset), as Node throws for a pipe
     */
    Socket resetAndDestroy();

    /** Writes {@code data}, then {@link #end()}. */
    default void end(ByteBuffer data) {
        write(data, null);
        end();
    }

    /** Writes {@code text} as UTF-8, then {@link #end()}. */
    default void end(String text) {
        write(text);
        end();
    }

    /** Closes now, dropping queued bytes; fires {@code CLOSE(false)}. Harmless if already closed. */
    void destroy();

    /** Closes now, dropping queued bytes; fires {@code ERROR(cause)} then {@code CLOSE(true)}. */
    void destroy(Throwable cause);

    /** {@link #destroy()}, for try-with-resources. */
    @Override
    default void close() {
        destroy();
    }

    // ---- flow control ----------------------------------------------------------------------------

    /** Stops reading: no {@link #DATA} until {@link #resume()}; the peer feels back-pressure. */
    Socket pause();

    /** Starts (or restarts) reading. */
    Socket resume();

    /** Whether reading is paused. */
    boolean isPaused();

    /** Bytes queued and not yet handed to the kernel. */
    long writableLength();

    /** The queue size at which {@link #write} starts returning false. */
    int writableHighWaterMark();

    // ---- options ---------------------------------------------------------------------------------

    /**
     * Fires {@link #TIMEOUT} after {@code idle} without reading or writing; the socket stays open
     * (destroy it in the listener if that is what you want). {@link Duration#ZERO} turns it off.
     */
    Socket setTimeout(Duration idle);

    /** Disables (true) or enables Nagle's algorithm; ignored by transports without it. */
    Socket setNoDelay(boolean noDelay);

    /** Turns TCP keep-alive on or off, with the idle time before the first probe (zero: system default). */
    Socket setKeepAlive(boolean enable, Duration initialDelay);

    /** Lets this socket keep the JVM alive (the default while it is open). */
    Socket ref();

    /** Lets the JVM exit even though this socket is open. */
    Socket unref();

    // ---- state -----------------------------------------------------------------------------------

    /** Where the socket is in its life. */
    ReadyState readyState();

    /** Whether the socket is still resolving or connecting. */
    default boolean connecting() {
        return readyState() == ReadyState.OPENING;
    }

    /** Whether the socket has been closed or destroyed. */
    boolean isDestroyed();

    /** Bytes received so far. */
    long bytesRead();

    /** Bytes handed to the kernel so far (a UTF-8 string counts its encoded bytes). */
    long bytesWritten();

    /** Our end of the connection, or null before it is connected. */
    Endpoint localAddress();

    /** The peer's end, or null before connected (and for unnamed IPC peers). */
    Endpoint remoteAddress();

    /** The peer's process credentials (IPC); empty for transports that cannot tell. */
    Optional<PeerCredentials> peerCredentials();

    /** Runs tasks on this socket's loop thread, in order with its events. */
    Executor executor();

    // ---- blocking views --------------------------------------------------------------------------

    /**
     * A blocking view of what the socket receives, for plain-Java code on its own thread. Reading it
     * slowly pauses the socket, so memory stays bounded. Use it instead of {@link #DATA} listeners,
     * not beside them; call it at most once. Must not be called or read on the loop thread.
     */
    InputStream inputStream();

    /**
     * A blocking view for sending: {@code write} blocks while the queue is above the high-water mark;
     * {@code close} ends the socket. Must not be used on the loop thread.
     */
    OutputStream outputStream();
}
