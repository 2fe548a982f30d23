package io.jnet.testkit;

import io.jnet.Endpoint;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that gives a test an ephemeral jnet server: TCP on 127.0.0.1 with a free port, or
 * IPC on a socket file in a fresh temporary directory.
 *
 * <pre>{@code
 * class EchoTest {
 *     @RegisterExtension
 *     JnetServerExtension server = JnetServerExtension.tcp(socket -> socket.on(Socket.DATA, socket::write));
 *
 *     @Test
 *     void echoes() {
 *         Socket client = Net.createConnection(server.endpoint(), () -> { });
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <h2>Lifetime</h2>
 * Registered in an instance field, the server starts before each test and closes after it: a fresh
 * port (or socket file) per test. Registered in a {@code static} field, one server serves the whole
 * class (and its {@code @Nested} classes): it starts before all tests and closes after all of them.
 * Closing stops accepting, destroys every connection the server accepted that is still open (so a
 * client connected during the test sees {@code END}/{@code CLOSE}), and waits up to
 * {@link #closeTimeout(Duration) the close timeout} (10 s) for the server's {@link Server#CLOSE}; the
 * test fails if it does not come. Outside JUnit, call {@link #start()} and {@link #close()}.
 *
 * <p>The transport comes from the test's class path: {@code io.jnet:net-tcp} for {@link #tcp},
 * {@code io.jnet:net-ipc} for {@link #ipc}. The handler runs on the server's loop thread for each
 * accepted socket, as a {@link Server#CONNECTION} listener. Accessors are thread-safe; they throw
 * {@link IllegalStateException} while the server is not running. Not for tests of one class running in
 * parallel.
 */
public final class JnetServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ManagedServer.Kind kind;
    private final String host;
    private final ServerOptions options;
    private final Consumer<Socket> handler;
    private final Duration closeTimeout;
    private final TestScope scope = new TestScope(this::start, this::close);
    private volatile ManagedServer running;

    private JnetServerExtension(ManagedServer.Kind kind, String host, ServerOptions options, Consumer<Socket> handler,
            Duration closeTimeout) {
        this.kind = kind;
        this.host = host;
        this.options = Objects.requireNonNull(options, "options");
        this.handler = handler;
        this.closeTimeout = closeTimeout;
    }

    /** A TCP server on 127.0.0.1 with a free port; {@code handler} (may be null) runs for each accepted socket. */
    public static JnetServerExtension tcp(Consumer<Socket> handler) {
        return tcp(ManagedServer.LOOPBACK, handler);
    }

    /** A TCP server on {@code host} ({@code "::1"}, {@code "localhost"}) with a free port. */
    public static JnetServerExtension tcp(String host, Consumer<Socket> handler) {
        return new JnetServerExtension(ManagedServer.Kind.TCP, Objects.requireNonNull(host, "host"), ServerOptions.defaults(),
                handler, DEFAULT_CLOSE_TIMEOUT);
    }

    /** An IPC server on {@code server.sock} in a fresh temporary directory (deleted at close); needs {@code io.jnet:net-ipc}. */
    public static JnetServerExtension ipc(Consumer<Socket> handler) {
        return new JnetServerExtension(ManagedServer.Kind.IPC, null, ServerOptions.defaults(), handler, DEFAULT_CLOSE_TIMEOUT);
    }

    /** The same extension with these server options ({@code allowHalfOpen}, {@code maxConnections}, ...). */
    public JnetServerExtension withOptions(ServerOptions serverOptions) {
        return new JnetServerExtension(kind, host, serverOptions, handler, closeTimeout);
    }

    /** The same extension waiting up to {@code timeout} at close for the server's {@link Server#CLOSE}. */
    public JnetServerExtension closeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("close timeout must be positive but was " + timeout);
        }
        return new JnetServerExtension(kind, host, options, handler, timeout);
    }

    /**
     * Starts listening now; JUnit calls it for you.
     *
     * @throws IllegalStateException when already running
     */
    public synchronized JnetServerExtension start() {
        if (running != null) {
            throw new IllegalStateException("the test server is already listening on " + running.endpoint());
        }
        running = new ManagedServer(kind, host, options, handler, closeTimeout);
        return this;
    }

    /**
     * Closes the server and destroys its open connections, waiting for {@link Server#CLOSE}; harmless
     * when not running. JUnit calls it for you.
     *
     * @throws AssertionError when the server did not close within the close timeout
     */
    @Override
    public synchronized void close() {
        ManagedServer s = running;
        running = null;
        if (s != null) {
            s.close();
        }
    }

    /** The jnet server itself, for listeners of the test's own ({@code server().on(Server.DROP, ...)}). */
    public Server server() {
        return current().server();
    }

    /** Where the server listens: {@code 127.0.0.1:<port>} or the socket file. Connect clients here. */
    public Endpoint endpoint() {
        return current().endpoint();
    }

    /**
     * The TCP port.
     *
     * @throws IllegalStateException for an IPC server
     */
    public int port() {
        if (current().endpoint() instanceof Endpoint.Tcp tcp) {
            return tcp.port();
        }
        throw new IllegalStateException("an IPC test server has no port; it listens on " + current().endpoint());
    }

    /**
     * The socket file.
     *
     * @throws IllegalStateException for a TCP server
     */
    public Path path() {
        if (current().endpoint() instanceof Endpoint.Ipc ipc) {
            return ipc.path();
        }
        throw new IllegalStateException("a TCP test server has no socket file; it listens on " + current().endpoint());
    }

    /** The accepted connections still open, oldest first. */
    public List<Socket> connections() {
        return current().openConnections();
    }

    /** Every connection accepted since the server started, open or closed, oldest first. */
    public List<Socket> acceptedConnections() {
        return current().acceptedConnections();
    }

    private ManagedServer current() {
        ManagedServer s = running;
        if (s == null) {
            throw new IllegalStateException("the test server is not running: register the extension with "
                    + "@RegisterExtension, or call start()");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        scope.beforeAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        scope.afterAll();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        scope.beforeEach();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        scope.afterEach();
    }

    @Override
    public String toString() {
        ManagedServer s = running;
        return "JnetServerExtension[" + (s == null ? kind + ", not running" : s.endpoint()) + "]";
    }
}
