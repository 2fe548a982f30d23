package io.jnet;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A listening server with Node's {@code net.Server} semantics; every event fires on the server's
 * loop thread, and each accepted socket gets a loop of its own choosing for life.
 *
 * <pre>{@code
 * Server server = Net.createServer(socket -> {
 *     socket.on(Socket.DATA, socket::write);   // echo
 *     socket.on(Socket.END, socket::end);
 * });
 * server.listen(0);                           // any free port
 * System.out.println("listening on " + server.address());
 * }</pre>
 *
 * <p>{@code listen} binds at once. A failure to bind (for example {@link ErrorCode#EADDRINUSE}) is, as in
 * Node, emitted on {@link #ERROR} when the server has an {@code ERROR} listener; with none, {@code listen}
 * throws it instead, so that it is never lost. The same server may then listen elsewhere.
 * {@link #close()} stops accepting at once; {@link #CLOSE} fires when the last open connection has
 * closed too.
 *
 * <p>Every method is thread-safe.
 */
public interface Server extends AutoCloseable {

    /** The server is bound and accepting. Fires once per {@code listen}. */
    Signal<Server> LISTENING = Signal.of(Server.class, "listening", 0);
    /** The server is closed and its last connection is gone. */
    Signal<Server> CLOSE = Signal.of(Server.class, "close", 1);
    /** A new connection; the socket is open and, unless {@code pauseOnConnect}, about to read. */
    Event<Server, Socket> CONNECTION = Event.of(Server.class, "connection", 2);
    /** A failure while accepting (for example {@link ErrorCode#EMFILE}); the server keeps listening. */
    Event<Server, Throwable> ERROR = Event.of(Server.class, "error", 3);
    /** A connection closed at once: over {@code maxConnections}, refused by {@code allowPeer}, or on the {@code blockList}. */
    Event<Server, Drop> DROP = Event.of(Server.class, "drop", 4);

    /** Adds a listener, called after those already added for the same event. */
    Server on(Signal<Server> event, Runnable listener);

    /** Adds a listener, called after those already added for the same event. */
    <T> Server on(Event<Server, T> event, Consumer<? super T> listener);

    /** Adds a listener that is removed before its first call. */
    Server once(Signal<Server> event, Runnable listener);

    /** Adds a listener that is removed before its first call. */
    <T> Server once(Event<Server, T> event, Consumer<? super T> listener);

    /** Removes the first registration of this exact listener object; no-op if absent. */
    Server off(Signal<Server> event, Runnable listener);

    /** Removes the first registration of this exact listener object; no-op if absent. */
    <T> Server off(Event<Server, T> event, Consumer<? super T> listener);

    /**
     * Binds and starts accepting; {@link #LISTENING} follows on the loop. A bind failure goes to the
     * {@link #ERROR} listeners (on the loop, as Node emits it), or is thrown when there are none.
     *
     * @throws NetException with no {@code ERROR} listener: {@link ErrorCode#EADDRINUSE},
     *                      {@link ErrorCode#EACCES}, {@link ErrorCode#ENOENT}; always:
     *                      {@link ErrorCode#ERR_SERVER_ALREADY_LISTEN}, and
     *                      {@link ErrorCode#ERR_TRANSPORT_UNAVAILABLE} when no transport on the class path
     *                      serves the endpoint
     */
    Server listen(Endpoint endpoint);

    /**
     * Accepts on a channel that is already bound, as Node's {@code server.listen(handle)} and
     * {@code listen({fd})}: a JDK {@code ServerSocketChannel} (TCP, with {@code io.jnet:net-tcp}), or
     * junixsocket's {@code AFUNIXServerSocketChannel} (IPC, with {@code io.jnet:net-ipc}). The JVM has no
     * portable way to make a channel of a descriptor number; a socket the JVM inherited as its standard
     * input (inetd, systemd's {@code StandardInput=socket}) is {@link System#inheritedChannel()}:
     * <pre>{@code
     * if (System.inheritedChannel() instanceof ServerSocketChannel inherited) {
     *     server.listen(inherited);
     * }
     * }</pre>
     * The server owns the channel from here (made non-blocking; {@code close()} closes it, and removes
     * no socket file: what closing does to one is the channel's own setting). {@link #LISTENING} follows
     * on the loop; {@link #address()} is the channel's bound address.
     *
     * @throws NetException {@code ERR_INVALID_ARG_VALUE} when the channel is not bound, {@code ERR_INVALID_HANDLE_TYPE}
     *                      when no transport on the class path serves it (a JDK Unix-domain channel),
     *                      {@link ErrorCode#ERR_SERVER_ALREADY_LISTEN}; the channel is left open then
     */
    Server listen(ServerSocketChannel channel);

    /**
     * {@link #listen(Endpoint)} as a future: completes with this server once {@link #LISTENING} has fired,
     * or fails with the bind error ({@code EADDRINUSE}, ...).
     *
     * <pre>{@code
     * Server server = Net.createServer(handler).listenAsync(Endpoint.tcp("127.0.0.1", 0)).join();
     * }</pre>
     */
    default CompletableFuture<Server> listenAsync(Endpoint endpoint) {
        CompletableFuture<Server> listening = new CompletableFuture<>();
        Runnable onListening = () -> listening.complete(this);
        Consumer<Throwable> onError = listening::completeExceptionally;
        once(LISTENING, onListening);
        once(ERROR, onError); // with an ERROR listener, a bind failure is emitted rather than thrown
        listening.whenComplete((s, e) -> {
            off(LISTENING, onListening);
            off(ERROR, onError);
        });
        try {
            listen(endpoint);
        } catch (RuntimeException e) {
            listening.completeExceptionally(e);
        }
        return listening;
    }

    /**
     * Node's {@code server.listen({signal})}: listens, and closes the server when {@code signal} aborts
     * (at once if it already has).
     */
    default Server listen(Endpoint endpoint, AbortSignal signal) {
        listen(endpoint);
        Runnable unhook = signal.onAbort(this::close);
        once(CLOSE, unhook); // a long-lived signal keeps no closed server
        return this;
    }

    /**
     * Completes when {@link #CLOSE} next fires — at once if the server is closed and its CLOSE has
     * already fired, so asking late never waits for ever. Never fails.
     */
    CompletableFuture<Void> closed();

    /** {@link #listen(Endpoint)}, then runs {@code onListening} as a one-time {@link #LISTENING} listener. */
    default Server listen(Endpoint endpoint, Runnable onListening) {
        once(LISTENING, onListening);
        return listen(endpoint);
    }

    /**
     * {@link #listen(Endpoint)} with Node's {@code backlog} argument: the accept queue length handed to the
     * kernel for this listen, in place of {@link ServerOptions#backlog()}.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} when {@code backlog} is below 1
     */
    Server listen(Endpoint endpoint, int backlog);

    /** Listens on a TCP port on every local address; 0 picks a free port. */
    default Server listen(int port) {
        return listen(Endpoint.tcp(port));
    }

    /**
     * Node's {@code server.listen(port, callback)}: every local address, then {@code onListening} once.
     *
     * <pre>{@code
     * server.listen(0, () -> System.out.println("listening on port " + server.port()));
     * }</pre>
     */
    default Server listen(int port, Runnable onListening) {
        return listen(Endpoint.tcp(port), onListening);
    }

    /** Listens on a TCP port on one host ({@code "127.0.0.1"}, {@code "::1"}, {@code "localhost"}). */
    default Server listen(int port, String host) {
        return listen(Endpoint.tcp(host, port));
    }

    /**
     * Node's {@code server.listen(port, host, callback)}: {@link #listen(int, String)}, then
     * {@code onListening} once.
     *
     * <pre>{@code
     * server.listen(0, "127.0.0.1", () -> System.out.println("port " + server.port()));
     * }</pre>
     */
    default Server listen(int port, String host, Runnable onListening) {
        return listen(Endpoint.tcp(host, port), onListening);
    }

    /** Listens on a Unix domain socket file (needs {@code io.jnet:net-ipc}). */
    default Server listen(Path path) {
        return listen(Endpoint.ipc(path));
    }

    /** Node's {@code server.listen(path, callback)}: {@link #listen(Path)}, then {@code onListening} once. */
    default Server listen(Path path, Runnable onListening) {
        return listen(Endpoint.ipc(path), onListening);
    }

    /**
     * Stops accepting now; {@link #CLOSE} fires once the last connection has closed. Open connections
     * are left alone (Node's semantics); destroy them yourself to hurry. Idempotent: closing a server
     * that is not listening does nothing.
     *
     * <p>Called off the server's loop it returns once the loop has freed the listening socket (so a
     * connect made afterwards is refused), waiting at most 5 s for a loop that a listener blocks.
     */
    @Override
    void close();

    /**
     * Node's {@code server.close(callback)}: {@link #close()}, then {@code callback} with null once
     * {@link #CLOSE} has fired, or at once (on the loop) with {@link ErrorCode#ERR_SERVER_NOT_RUNNING}
     * when the server was not listening.
     */
    void close(Consumer<? super Throwable> callback);

    /**
     * Closes the server and its connections within {@code grace}: stops accepting now (as {@link #close()}),
     * ends every open connection ({@link Socket#end()}, so each peer reads what was written, then end of
     * stream), and destroys those still open once {@code grace} has passed. {@link #CLOSE} fires once,
     * after the last connection has closed, and completes the returned future. What a shutdown hook or a
     * test's {@code @AfterAll} wants:
     *
     * <pre>{@code
     * Runtime.getRuntime().addShutdownHook(new Thread(() ->
     *         server.close(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).join()));
     * }</pre>
     *
     * <p>Returns at once; the future completes (on the server's loop) when {@link #CLOSE} has fired. A
     * connection whose peer ignores our end is the one the grace is for.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} when {@code grace} is negative
     */
    CompletableFuture<Void> close(Duration grace);

    /**
     * Destroys every open accepted connection now (each peer sees the connection reset or closed, as
     * {@link Socket#destroy()} does); the server keeps listening. Node's {@code closeAllConnections}.
     */
    void closeAllConnections();

    /**
     * The accepted connections still open, oldest first: a snapshot, taken now, that later accepts and
     * closes do not change. {@link #getConnections()} is its size. Thread-safe.
     */
    List<Socket> connections();

    /**
     * The bound endpoint (with the real port after {@code listen(0)}), or null when not listening; an
     * {@link Endpoint.Tcp}, {@link Endpoint.Ipc} or {@link Endpoint.IpcAbstract}. For a TCP port use
     * {@link #port()}, which needs no cast.
     */
    Endpoint address();

    /**
     * The TCP port the server listens on (the real one after {@code listen(0)}).
     *
     * <pre>{@code
     * server.listen(0);
     * Socket client = Net.createConnection("127.0.0.1", server.port(), null);
     * }</pre>
     *
     * @throws NetException {@link ErrorCode#ERR_SERVER_NOT_RUNNING} when the server is not listening, and
     *                      {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the endpoint when it listens on IPC
     */
    default int port() {
        Endpoint bound = address();
        if (bound == null) {
            throw new NetException(ErrorCode.ERR_SERVER_NOT_RUNNING, null, null,
                    "Server is not running; port() has no port to give", null);
        }
        if (bound instanceof Endpoint.Tcp tcp) {
            return tcp.port();
        }
        throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                "port() is for TCP; this server listens on " + bound + " (use address())");
    }

    /** Whether the server is accepting. */
    boolean isListening();

    /** The number of accepted connections that are still open. Exact, thread-safe. */
    int getConnections();

    /** Connections beyond this many are closed at once and fire {@link #DROP}; 0 = no limit. */
    Server setMaxConnections(int max);

    /** Lets the listening server keep the JVM alive (the default). */
    Server ref();

    /** Lets the JVM exit even though the server listens. */
    Server unref();
}
