package io.jnet;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * {@link #pause()} stops reading and lets TCP's flow control push back on the peer. For text, listen to
 * {@link #TEXT} (whole characters, however the bytes were split); to forward bytes, {@link #pipe(Socket)}.
 *
 * <h2>Writing</h2>
 * {@link #write(ByteBuffer)} never blocks. It returns false once {@link #writableLength()} reaches the
 * high-water mark; {@link #DRAIN} fires when the queue has emptied. Honour it and memory stays bounded.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Listeners run on the socket's loop thread; calls made there take effect
 * at once, calls from other threads are handed to the loop. Never block in a listener.
 *
 * <h2>Listeners added from another thread can be late</h2>
 * Node runs events on a later tick of the caller's own loop, so listeners added right after
 * {@code net.createConnection()} never miss {@code 'connect'}. Here the loop is another thread: after
 * {@link Net#createConnection}, a {@code socket.on(CONNECT, ...)} made by the caller may come after the
 * socket has connected (on loopback it often does), and that listener never runs. Two ways never miss:
 * set the socket up before it connects ({@link Net#socket}, listeners, then {@link #connect()}), or ask
 * the sticky futures {@link #connected()} and {@link #closed()}, which complete even when asked late.
 *
 * <pre>{@code
 * Socket socket = Net.createConnection(endpoint);
 * socket.connected().thenRun(() -> socket.write("hello\n"));   // never missed, however fast it connects
 * socket.closed().thenAccept(hadError -> log.info("closed, error: {}", hadError));
 * }</pre>
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
     * What the peer sent, as text in the charset given to {@link #setEncoding} (UTF-8 if none was): Node's
     * {@code 'data'} after {@code setEncoding()}. A character whose bytes arrive in two chunks arrives whole,
     * in the second piece of text; malformed bytes become U+FFFD as Node's {@code StringDecoder} makes them,
     * and a character left unfinished when the peer ends arrives as U+FFFD just before {@link #END}. Adding
     * the first listener starts reading, as {@link #DATA} does; {@code DATA} listeners still get the bytes.
     *
     * <pre>{@code
     * socket.setEncoding(StandardCharsets.UTF_8);
     * socket.on(Socket.TEXT, text -> transcript.append(text));
     * }</pre>
     */
    Event<Socket, String> TEXT = Event.of(Socket.class, "text", 8);
    /**
     * TCP: a host name was looked up (Node's {@code 'lookup'}); once per address found, or once with the
     * error when the lookup failed. Not fired for an IP literal, which is not looked up.
     */
    Event<Socket, LookupEvent> LOOKUP = Event.of(Socket.class, "lookup", 9);
    /** TCP: a connection attempt to one address starts (Node's {@code 'connectionAttempt'}). */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT = Event.of(Socket.class, "connectionAttempt", 10);
    /** TCP: an attempt failed; {@link ConnectionAttempt#error()} says why (Node's {@code 'connectionAttemptFailed'}). */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT_FAILED = Event.of(Socket.class, "connectionAttemptFailed", 11);
    /**
     * TCP, Happy Eyeballs: an attempt did not connect within {@code autoSelectFamilyAttemptTimeout}, so
     * the next address is tried (Node's {@code 'connectionAttemptTimeout'}). Unlike Node, which closes
     * it, the attempt goes on (RFC 8305): it may still win, or fail later with its own error.
     */
    Event<Socket, ConnectionAttempt> CONNECTION_ATTEMPT_TIMEOUT = Event.of(Socket.class, "connectionAttemptTimeout", 12);

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
     * <p>A socket connects once. Node lets a closed {@code net.Socket} connect again (its listeners kept,
     * its byte counts started again); in jnet that is a new socket from {@link Net#socket} with its
     * listeners added again, or {@link Net#connectAsync} with {@code ConnectOptions.retry} to retry a refused connect.
     *
     * @throws IllegalStateException if the socket is already connecting, connected or closed, or was accepted
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
     * <p>From a thread that is not the socket's loop, the loop may drain the queue and fire
     * {@link #DRAIN} before a {@code once(DRAIN, ...)} added after a false answer is in place: there,
     * listen with {@code on(DRAIN, ...)} before writing. A {@link Server#CONNECTION} listener needs no
     * care: as in Node, what it asks of the socket (its writes, their callbacks, DRAIN) waits until it
     * returns.
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

    /** Writes the string in {@code charset} (Node's {@code write(string, encoding)}). */
    default boolean write(String text, Charset charset) {
        return write(ByteBuffer.wrap(text.getBytes(charset)), null);
    }

    /**
     * Sends everything read from this socket to {@code destination}, with back-pressure, and ends
     * {@code destination} when this socket ends: {@code pipe(destination, true)}.
     *
     * <pre>{@code
     * Net.createServer(client -> {                       // a TCP proxy
     *     Socket upstream = Net.createConnection(backend);
     *     client.pipe(upstream);
     *     upstream.pipe(client);
     *     client.on(Socket.CLOSE, e -> upstream.destroy());
     *     upstream.on(Socket.CLOSE, e -> client.destroy());
     * }).listen(Endpoint.tcp("127.0.0.1", 8080));
     * Net.createServer(socket -> socket.pipe(socket));  // an echo server
     * }</pre>
     *
     * @return {@code destination}
     */
    default Socket pipe(Socket destination) {
        return pipe(destination, true);
    }

    /**
     * Node's {@code readable.pipe(destination, {end})}: every chunk read is written to {@code destination};
     * when a write returns false this socket pauses, and resumes on the destination's {@link #DRAIN}, so
     * the destination's queue stays near its high-water mark however slow it is. Reads go through
     * {@link #DATA_BORROWED}: on one loop, what the destination's kernel takes at once is never copied.
     * When this socket ends, {@code destination} is ended too unless {@code end} is false. When
     * {@code destination} closes, the pipe comes apart and this socket pauses (Node's {@code unpipe});
     * closing one side of a proxy when the other closes is the caller's choice, as in Node.
     *
     * @return {@code destination}
     */
    Socket pipe(Socket destination, boolean end);

    /**
     * Half-closes: sends what is queued, then shuts down our sending side. The peer sees end-of-stream;
     * we may still receive. Calling it again is harmless. A write after it is an
     * {@link ErrorCode#ERR_STREAM_WRITE_AFTER_END} error.
     */
    void end();

    /**
     * Aborts the connection: a TCP socket closes with an RST (the peer sees {@code ECONNRESET}) and drops
     * what is queued (each queued write's callback gets {@link ErrorCode#ERR_STREAM_DESTROYED}); then
     * {@code CLOSE(false)}. Node's {@code resetAndDestroy()}. A socket still connecting fires
     * {@link #CONNECT} once connected and is reset right after it. A socket never connected (no
     * {@link #connect()} yet) has nothing to reset: it is destroyed with
     * {@link ErrorCode#ERR_SOCKET_CLOSED} "Socket is closed" on {@link #ERROR}, then {@code CLOSE(true)},
     * whatever the transport; on a closed socket it does nothing.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_HANDLE_TYPE} on an IPC socket that is connecting or
     *                      connected (Unix domain sockets have no reset), as Node throws for a pipe
     */
    Socket resetAndDestroy();

    /**
     * {@link #end()}, and tells {@code onFinished} once: with null when our FIN has been handed to the
     * kernel (Node's {@code 'finish'}: every byte written before is sent), or with the error that means
     * it never will be — the socket was destroyed ({@link ErrorCode#ERR_STREAM_DESTROYED}) or failed (its
     * own error). Called on the loop thread; at once (on a later turn) if the FIN was already sent.
     *
     * <pre>{@code
     * socket.write(report);
     * socket.end(err -> log.info(err == null ? "all sent" : "not sent: " + err.getMessage()));
     * }</pre>
     */
    void end(WriteCallback onFinished);

    /**
     * Node's {@code destroySoon()}: ends our side and destroys the socket once everything written, and
     * the FIN, is with the kernel — without waiting for the peer to end its side.
     */
    default void destroySoon() {
        end(error -> destroy());
    }

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

    /** Node's {@code end(data, callback)}: writes {@code data}, then {@link #end(WriteCallback)}. */
    default void end(ByteBuffer data, WriteCallback onFinished) {
        write(data, null);
        end(onFinished);
    }

    /** Node's {@code end(text, callback)}: writes {@code text} as UTF-8, then {@link #end(WriteCallback)}. */
    default void end(String text, WriteCallback onFinished) {
        write(text);
        end(onFinished);
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

    /**
     * Node's {@code cork()}: from now until the matching {@link #uncork()}, writes are queued, not sent,
     * so several small writes leave together (one gathering write) instead of one packet each. They
     * count in {@link #writableLength()} and {@link #bytesWritten()} at once, {@link #write} answers
     * against the high-water mark as usual, and their callbacks run once they are sent. Corks nest:
     * as many {@code uncork()} calls are needed. {@link #end()} uncorks them all. Ignored after
     * {@code end()}.
     *
     * <pre>{@code
     * socket.cork();
     * socket.write(header);
     * socket.write(body);
     * socket.uncork(); // header and body go to the kernel together
     * }</pre>
     */
    void cork();

    /** Undoes one {@link #cork()}; the last one sends what was held back. More calls than corks are harmless. */
    void uncork();

    /**
     * Node's {@code writableCorked}: how many {@link #cork()} calls await their {@link #uncork()}. Called
     * from a thread other than the socket's loop, it sees a cork or uncork once the loop has run it.
     */
    int writableCorked();

    // ---- options ---------------------------------------------------------------------------------

    /**
     * Fires {@link #TIMEOUT} after {@code idle} without reading or writing; the socket stays open
     * (destroy it in the listener if that is what you want). {@link Duration#ZERO} turns it off.
     */
    Socket setTimeout(Duration idle);

    /**
     * {@link #setTimeout(Duration)} with a one-time {@link #TIMEOUT} listener, as Node's
     * {@code setTimeout(ms, cb)}; with {@link Duration#ZERO} the listener is removed instead.
     *
     * <pre>{@code
     * socket.setTimeout(Duration.ofSeconds(30), socket::destroy);   // drop idle clients
     * }</pre>
     */
    default Socket setTimeout(Duration idle, Runnable onTimeout) {
        if (onTimeout != null) {
            if (idle.isZero()) {
                off(TIMEOUT, onTimeout);
            } else {
                once(TIMEOUT, onTimeout);
            }
        }
        return setTimeout(idle);
    }

    /** The idle time set by {@link #setTimeout} (or the {@code timeout} option); {@link Duration#ZERO} when off. */
    Duration timeout();

    /**
     * The charset {@link #TEXT} decodes with (Node's {@code setEncoding}); UTF-8 until changed. Bytes of a
     * character split across chunks are held until its last byte arrives. Set it before the first text
     * arrives: a change drops what the previous decoder held.
     */
    Socket setEncoding(Charset charset);

    /** Disables (true) or enables Nagle's algorithm; ignored by transports without it. */
    Socket setNoDelay(boolean noDelay);

    /** Turns TCP keep-alive on or off, with the idle time before the first probe (zero: system default). */
    Socket setKeepAlive(boolean enable, Duration initialDelay);

    /**
     * Node's {@code setTypeOfService(tos)}: the type-of-service byte of the IP packets this socket sends
     * ({@code IP_TOS}; the traffic class over IPv6), for example {@code 0x10} (low delay) or a DSCP value
     * shifted left by two. Before the socket connects the value is kept and applied once it does; over
     * IPC, which has no IP header, it is only kept, as Node keeps it for a pipe. Some systems mask the
     * two ECN bits.
     *
     * @param tos 0 to 255
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} when {@code tos} is outside 0..255, in
     *                      Node's words ({@code The value of "tos" is out of range. It must be >= 0 && <= 255.
     *                      Received 256}); {@code setTypeOfService} with the system's code when a
     *                      connected socket refuses it
     */
    Socket setTypeOfService(int tos);

    /**
     * Node's {@code getTypeOfService()}: what the connected TCP socket's kernel reports for {@code IP_TOS};
     * otherwise (not connected yet, closed, or IPC) the last value given to {@link #setTypeOfService}, or 0.
     */
    int typeOfService();

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

    /**
     * Node's {@code socket.pending}: true while the socket is not connected — before {@link #connect()},
     * while connecting, and again once closed.
     */
    boolean pending();

    /** Whether the socket has been closed or destroyed. */
    boolean isDestroyed();

    /** Bytes read and held for a consumer that has not taken them yet (paused, or no listener yet); a snapshot. */
    long readableLength();

    /** Bytes received so far. */
    long bytesRead();

    /**
     * Bytes {@code write()} has accepted so far, as Node counts them: those handed to the kernel plus
     * those still queued ({@link #writableLength()}); {@code bytesWritten() - writableLength()} is what
     * the kernel has taken. A UTF-8 string counts its encoded bytes.
     */
    long bytesWritten();

    /** Our end of the connection, or null before it is connected. */
    Endpoint localAddress();

    /** The peer's end, or null before connected (and for unnamed IPC peers). */
    Endpoint remoteAddress();

    /** {@code "IPv4"} or {@code "IPv6"} for our end of a TCP connection; null before connected and for IPC. */
    default String localFamily() {
        return familyOf(localAddress());
    }

    /** {@code "IPv4"} or {@code "IPv6"} for the peer's end of a TCP connection; null before connected and for IPC. */
    default String remoteFamily() {
        return familyOf(remoteAddress());
    }

    private static String familyOf(Endpoint endpoint) {
        if (endpoint instanceof Endpoint.Tcp tcp) {
            return tcp.host().indexOf(':') >= 0 ? "IPv6" : "IPv4";
        }
        return null;
    }

    /** The peer's process credentials (IPC); empty for transports that cannot tell. */
    Optional<PeerCredentials> peerCredentials();

    /**
     * This socket's event loop: runs tasks on its thread, in order with its events, and schedules
     * timers there ({@link LoopExecutor#schedule}).
     */
    LoopExecutor executor();

    // ---- futures ---------------------------------------------------------------------------------

    /**
     * Completes with this socket once it has connected (and its {@link #CONNECT} listeners have run), or
     * fails with the error that closed it before — or {@link ErrorCode#ERR_SOCKET_CLOSED} if it was
     * destroyed without one. Sticky: asked after the fact, it is already complete. An accepted socket
     * is connected from the start. Dependent stages run on the loop thread unless given an executor.
     */
    CompletableFuture<Socket> connected();

    /**
     * Completes once, with {@code hadError}, after the {@link #CLOSE} listeners have run — also when
     * asked after the socket closed.
     *
     * <pre>{@code
     * boolean hadError = socket.closed().get(10, TimeUnit.SECONDS);
     * }</pre>
     */
    CompletableFuture<Boolean> closed();

    /**
     * The next value of {@code event}; fails with {@link ErrorCode#ERR_SOCKET_CLOSED} if the socket closes
     * first (for {@link #CLOSE} itself: {@link #closed()}). Asking for {@link #DATA} or {@link #TEXT}
     * starts reading, as adding a listener does.
     *
     * <pre>{@code
     * String greeting = socket.next(Socket.TEXT).get(5, TimeUnit.SECONDS);
     * }</pre>
     */
    <T> CompletableFuture<T> next(Event<Socket, T> event);

    /** The next firing of {@code signal}; fails with {@link ErrorCode#ERR_SOCKET_CLOSED} if the socket closes first. */
    CompletableFuture<Void> next(Signal<Socket> signal);

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
