package io.jnet;

import io.jnet.internal.NioServer;
import io.jnet.internal.NioSocket;
import io.jnet.internal.Transports;
import io.jnet.spi.Transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code net} module: the entry point for servers and client sockets. The transport is chosen
 * by the endpoint — {@code io.jnet:net-tcp} for host and port, {@code io.jnet:net-ipc} for a socket
 * path — from the modules on the class path.
 *
 * <pre>{@code
 * Server server = Net.createServer(socket -> {
 *     socket.on(Socket.DATA, socket::write);   // echo
 *     socket.on(Socket.END, socket::end);
 * });
 * server.listen(9527);
 *
 * Socket client = Net.createConnection(Endpoint.tcp("localhost", 9527), () -> System.out.println("connected"));
 * client.on(Socket.DATA, chunk -> System.out.println(StandardCharsets.UTF_8.decode(chunk)));
 * client.write("hello");
 * }</pre>
 *
 * <p>All methods are thread-safe. Creating a connection returns at once; resolving and connecting
 * happen on the socket's loop (name lookups on a separate thread), and the outcome arrives as
 * {@link Socket#CONNECT} or {@link Socket#ERROR}.
 *
 * <h2>Missing no event</h2>
 * In Node, listeners added right after {@code createConnection} cannot miss anything, because events
 * wait for the next tick. On the JVM the loop is another thread, so a connection on loopback can be
 * established — or refused — before the next line of the caller runs. {@link Socket#DATA} and
 * {@link Socket#END} are safe anyway (a socket starts reading only once it has a {@code DATA}
 * listener), and the {@code onConnect} passed here is registered before anything starts. For
 * {@code ERROR} and {@code CLOSE}, set the socket up first and connect second:
 * <pre>{@code
 * Socket socket = Net.socket(Endpoint.tcp("localhost", 9527), ConnectOptions.defaults());
 * socket.on(Socket.ERROR, err -> log.warn("connect failed: {}", err.getMessage()));
 * socket.on(Socket.CLOSE, hadError -> done.countDown());
 * socket.connect();
 * }</pre>
 * (An {@code ERROR} that finds no listener is logged, never lost.)
 */
public final class Net {
    private Net() {
    }

    /** A server with default options; add a {@link Server#CONNECTION} listener, then {@code listen}. */
    public static Server createServer() {
        return createServer(ServerOptions.defaults(), null);
    }

    /** A server whose {@code onConnection} runs for each accepted socket (Node's {@code connectionListener}). */
    public static Server createServer(Consumer<Socket> onConnection) {
        return createServer(ServerOptions.defaults(), onConnection);
    }

    /** A server with options; {@code onConnection} may be null. */
    public static Server createServer(ServerOptions options, Consumer<Socket> onConnection) {
        Server server = new NioServer(Objects.requireNonNull(options, "options"), Transports::forEndpoint);
        if (onConnection != null) {
            server.on(Server.CONNECTION, onConnection);
        }
        return server;
    }

    /**
     * A client socket for {@code endpoint} that is not connected yet (Node's {@code new net.Socket()}):
     * add listeners, then call {@link Socket#connect()}. Writes made before connecting are queued.
     *
     * @throws NetException {@link ErrorCode#ERR_TRANSPORT_UNAVAILABLE} when no transport on the class
     *                      path serves the endpoint
     */
    public static Socket socket(Endpoint endpoint, ConnectOptions options) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        Transport transport = Transports.forEndpoint(endpoint);
        return new NioSocket(transport, io.jnet.internal.Loops.of(transport).next(), endpoint, options);
    }

    /**
     * A socket over a channel connected elsewhere, as Node's {@code new net.Socket({fd})}: a JDK
     * {@code SocketChannel} (TCP, with {@code io.jnet:net-tcp}) or junixsocket's
     * {@code AFUNIXSocketChannel} (IPC, with {@code io.jnet:net-ipc}). The JVM has no portable way to
     * make a channel of a descriptor number; a connection the JVM inherited as its standard input
     * (inetd) is {@link System#inheritedChannel()}:
     * <pre>{@code
     * if (System.inheritedChannel() instanceof SocketChannel inherited) {
     *     Socket client = Net.adopt(inherited);
     *     client.on(Socket.DATA, client::write);
     * }
     * }</pre>
     * The socket owns the channel from here (made non-blocking) and reads as an accepted socket does:
     * what arrives before a {@code DATA} listener is kept for the first one. No {@code CONNECT} fires
     * (it is connected already).
     *
     * @throws NetException {@code ERR_SOCKET_CLOSED} when the channel is not connected (or closed),
     *                      {@code ERR_INVALID_HANDLE_TYPE} when no transport on the class path serves it
     *                      (a JDK Unix-domain channel); the channel is left open then
     */
    public static Socket adopt(SocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        SocketAddress peer;
        try {
            peer = channel.isConnected() ? channel.getRemoteAddress() : null;
        } catch (IOException e) {
            peer = null;
        }
        if (peer == null) {
            throw new NetException(ErrorCode.ERR_SOCKET_CLOSED, "adopt", null,
                    channel + " is not connected: only a connected channel can be adopted", null);
        }
        Transport transport = Transports.forChannel(channel, peer, "adopt");
        try {
            channel.configureBlocking(false);
            return NioSocket.adopt(transport, channel, ServerOptions.defaults());
        } catch (IOException e) {
            throw transport.error(e, "adopt", String.valueOf(transport.endpointOf(peer)));
        }
    }

    /**
     * Opens a connection; {@code onConnect} (may be null) runs once it is established.
     *
     * @throws NetException {@link ErrorCode#ERR_TRANSPORT_UNAVAILABLE} when no transport on the class
     *                      path serves the endpoint; every other failure arrives as {@link Socket#ERROR}
     */
    public static Socket createConnection(Endpoint endpoint, ConnectOptions options, Runnable onConnect) {
        return socket(endpoint, options).connect(onConnect);
    }

    /**
     * Connects, retrying as {@link ConnectOptions#retry()} allows while nobody listens yet (a fresh socket
     * per attempt), and hands over the connected socket. Without a retry, one attempt.
     *
     * <pre>{@code
     * ConnectOptions options = ConnectOptions.builder().retry(Duration.ofSeconds(5), Duration.ofMillis(20)).build();
     * Socket socket = Net.connectAsync(Endpoint.ipc(workerSocket), options).get();
     * }</pre>
     *
     * @return completed on the socket's loop thread with the connected socket, or failed with the last
     *         attempt's error: after the deadline with the number of attempts in its message; at once for
     *         a failure that is not retried. Cancelling it stops the retries and destroys the socket
     *         still connecting with {@link ErrorCode#ABORT_ERR}.
     */
    public static java.util.concurrent.CompletableFuture<Socket> connectAsync(Endpoint endpoint, ConnectOptions options) {
        return ConnectRetry.start(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(options, "options"));
    }

    /** {@link #createConnection(Endpoint, ConnectOptions, Runnable)} with default options. */
    public static Socket createConnection(Endpoint endpoint, Runnable onConnect) {
        return createConnection(endpoint, ConnectOptions.defaults(), onConnect);
    }

    /** {@link #createConnection(Endpoint, ConnectOptions, Runnable)} with default options and no listener. */
    public static Socket createConnection(Endpoint endpoint) {
        return createConnection(endpoint, ConnectOptions.defaults(), null);
    }

    /** A TCP connection to {@code host:port} (Node's {@code net.createConnection(port, host, listener)}). */
    public static Socket createConnection(String host, int port, Runnable onConnect) {
        return createConnection(Endpoint.tcp(host, port), ConnectOptions.defaults(), onConnect);
    }

    /** An IPC connection to the socket file at {@code path} (Node's {@code net.createConnection(path)}). */
    public static Socket createConnection(Path path, Runnable onConnect) {
        return createConnection(Endpoint.ipc(path), ConnectOptions.defaults(), onConnect);
    }

    /** {@link #createConnection(Path, Runnable)} with no listener: add one for {@link Socket#CONNECT} or {@link Socket#ERROR}. */
    public static Socket createConnection(Path path) {
        return createConnection(Endpoint.ipc(path), ConnectOptions.defaults(), null);
    }

    /** Alias of {@link #createConnection(Endpoint, ConnectOptions, Runnable)}, as Node has {@code net.connect}. */
    public static Socket connect(Endpoint endpoint, ConnectOptions options, Runnable onConnect) {
        return createConnection(endpoint, options, onConnect);
    }

    /** Alias of {@link #createConnection(Endpoint, Runnable)}. */
    public static Socket connect(Endpoint endpoint, Runnable onConnect) {
        return createConnection(endpoint, onConnect);
    }

    /**
     * Node's {@code net.isIP}: 4 for an IPv4 literal ({@code 127.0.0.1}), 6 for an IPv6 literal
     * ({@code ::1}, {@code ::ffff:1.2.3.4}, {@code fe80::1%eth0}), 0 for anything else, null included —
     * {@code 999.1.1.1}, {@code 01.2.3.4}, {@code 1234}, {@code [::1]}, host names. Never looks anything up.
     */
    public static int isIP(String input) {
        return IpLiterals.version(input);
    }

    /** Node's {@code net.isIPv4}: whether {@link #isIP} is 4. */
    public static boolean isIPv4(String input) {
        return isIP(input) == 4;
    }

    /** Node's {@code net.isIPv6}: whether {@link #isIP} is 6. */
    public static boolean isIPv6(String input) {
        return isIP(input) == 6;
    }

    /** Alias of {@link #createConnection(String, int, Runnable)}. */
    public static Socket connect(String host, int port, Runnable onConnect) {
        return createConnection(host, port, onConnect);
    }

    /**
     * Whether the calling thread is one of jnet's event-loop threads, where a blocking call (a
     * synchronous HTTP request, a blocking read) would stall every socket of that loop and may wait
     * for itself for ever. Blocking APIs built on jnet refuse there, naming their asynchronous form.
     */
    public static boolean inEventLoop() {
        return io.jnet.internal.EventLoop.isLoopThread(Thread.currentThread());
    }

    // ---- Happy Eyeballs defaults (Node's net.setDefaultAutoSelectFamily*) ----------------------------

    private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofMillis(10);
    private static volatile boolean defaultAutoSelectFamily = true;
    private static volatile Duration defaultAutoSelectFamilyAttemptTimeout = Duration.ofMillis(250);

    /** Node's {@code net.getDefaultAutoSelectFamily()}: whether sockets use Happy Eyeballs unless told otherwise (true). */
    public static boolean getDefaultAutoSelectFamily() {
        return defaultAutoSelectFamily;
    }

    /** Node's {@code net.setDefaultAutoSelectFamily()}: for sockets connected from now on without their own setting. */
    public static void setDefaultAutoSelectFamily(boolean enabled) {
        defaultAutoSelectFamily = enabled;
    }

    /** Node's {@code net.getDefaultAutoSelectFamilyAttemptTimeout()}: each attempt's head start (250 ms). */
    public static Duration getDefaultAutoSelectFamilyAttemptTimeout() {
        return defaultAutoSelectFamilyAttemptTimeout;
    }

    /**
     * Node's {@code net.setDefaultAutoSelectFamilyAttemptTimeout()}, for sockets connected from now on
     * without their own; a value under 10 ms becomes 10 ms, as in Node.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} if not positive
     */
    public static void setDefaultAutoSelectFamilyAttemptTimeout(Duration timeout) {
        defaultAutoSelectFamilyAttemptTimeout = clampAttemptTimeout(timeout);
    }

    static Duration clampAttemptTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "autoSelectFamilyAttemptTimeout must be positive but was " + timeout);
        }
        return timeout.compareTo(MIN_ATTEMPT_TIMEOUT) < 0 ? MIN_ATTEMPT_TIMEOUT : timeout;
    }
}
