package io.jnet.testkit;

import io.jnet.Endpoint;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP/1.1 server for testing HTTP clients, in the spirit of OkHttp's MockWebServer, on
 * jnet's own server: each complete request gets the next {@link ScriptedResponse} of the script, sent
 * byte for byte with the chosen cuts and delays, and is recorded for assertions. When the script has
 * run out it answers {@code 200} with an empty body (see {@link #setDefaultResponse}).
 *
 * <pre>{@code
 * @RegisterExtension
 * ScriptedHttpServer http = ScriptedHttpServer.tcp();
 *
 * @Test
 * void readsAChunkedBodyCutIntoSingleBytes() {
 *     http.enqueue(ScriptedResponse.ok("hello world").chunked(3).byteByByte());
 *     String body = myClient.get(http.url("/greeting"));
 *     assertEquals("hello world", body);
 *     assertEquals("GET /greeting HTTP/1.1", http.takeRequest(Duration.ofSeconds(5)).requestLine());
 * }
 * }</pre>
 *
 * <p>Lifetime as {@link JnetServerExtension}: an instance field gives each test a fresh server, a
 * static field one server for the class; outside JUnit, {@link #start()} and {@link #close()} (it is
 * {@link AutoCloseable}). Closing destroys every connection and fails (an {@link AssertionError}) when
 * the script could not be followed: a request that could not be framed, a reset that could not be sent.
 * Requests on one connection are answered in order, one response at a time (pipelining is honoured).
 * Every method is thread-safe.
 */
public final class ScriptedHttpServer
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ManagedServer.Kind kind;
    private final String host;
    private final TestScope scope = new TestScope(this::start, this::close);
    private final ConcurrentLinkedQueue<ScriptedResponse> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile ScriptedResponse defaultResponse = ScriptedResponse.status(200);
    private volatile ManagedServer running;
    private volatile ScheduledExecutorService timer;

    private ScriptedHttpServer(ManagedServer.Kind kind, String host) {
        this.kind = kind;
        this.host = host;
    }

    /** A server on 127.0.0.1 with a free port, started by JUnit or {@link #start()}. */
    public static ScriptedHttpServer tcp() {
        return tcp(ManagedServer.LOOPBACK);
    }

    /** A server on {@code host} ({@code "::1"} for IPv6 loopback) with a free port. */
    public static ScriptedHttpServer tcp(String host) {
        return new ScriptedHttpServer(ManagedServer.Kind.TCP, java.util.Objects.requireNonNull(host, "host"));
    }

    /** A server on a socket file in a fresh temporary directory (needs {@code io.jnet:net-ipc}). */
    public static ScriptedHttpServer ipc() {
        return new ScriptedHttpServer(ManagedServer.Kind.IPC, null);
    }

    /**
     * Starts listening with an empty script and no recorded requests.
     *
     * @throws IllegalStateException when already running
     */
    public synchronized ScriptedHttpServer start() {
        if (running != null) {
            throw new IllegalStateException("the scripted HTTP server is already listening on " + running.endpoint());
        }
        script.clear();
        requests.clear();
        untaken.clear();
        failures.clear();
        connectionCount.set(0);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jnet-testkit-http-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        try {
            running = new ManagedServer(kind, host, ServerOptions.defaults(), this::onConnection, CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            t.shutdownNow();
            throw e;
        }
        return this;
    }

    /**
     * Closes the server and every connection; harmless when not running.
     *
     * @throws AssertionError when the server did not close in time or the script could not be followed
     */
    @Override
    public synchronized void close() {
        ManagedServer s = running;
        running = null;
        if (s == null) {
            return;
        }
        timer.shutdownNow();
        s.close();
        if (!failures.isEmpty()) {
            throw new AssertionError("the scripted HTTP server on " + s.endpoint() + " could not follow its script: " + failures);
        }
    }

    /** Adds responses to the end of the script. */
    public ScriptedHttpServer enqueue(ScriptedResponse... responses) {
        script.addAll(List.of(responses));
        return this;
    }

    /** What to answer once the script has run out ({@code 200} with an empty body unless set). */
    public ScriptedHttpServer setDefaultResponse(ScriptedResponse response) {
        defaultResponse = response;
        return this;
    }

    /**
     * {@code http://127.0.0.1:<port><path>} ({@code http://[::1]:<port><path>} on IPv6); for an IPC server
     * {@code http://localhost<path>} (connect to {@link #path()}).
     */
    public URI url(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (current().endpoint() instanceof Endpoint.Tcp tcp) {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return URI.create("http://" + h + ":" + tcp.port() + p);
        }
        return URI.create("http://localhost" + p);
    }

    /** Where the server listens. */
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
        throw new IllegalStateException("an IPC server has no port; it listens on " + current().endpoint());
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
        throw new IllegalStateException("a TCP server has no socket file; it listens on " + current().endpoint());
    }

    /**
     * The oldest request not taken yet, waiting up to {@code timeout} for one.
     *
     * @throws AssertionError when none arrives in time, saying how many requests came so far
     */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            RecordedRequest r = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no request within " + timeout.toMillis() + " ms; " + requests.size()
                        + " received so far: " + requests);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request", e);
        }
    }

    /** Every request received since start, in arrival order (taken or not). */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many requests have been received since start. */
    public int requestCount() {
        return requests.size();
    }

    /** How many connections have been accepted since start. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** How many accepted connections have closed since start. */
    public int closedConnectionCount() {
        return current().closedConnections();
    }

    /** Every connection accepted since start, oldest first, open or closed (to end or destroy one from the test). */
    public List<Socket> acceptedConnections() {
        return current().acceptedConnections();
    }

    private ManagedServer current() {
        ManagedServer s = running;
        if (s == null) {
            throw new IllegalStateException("the scripted HTTP server is not running: register it with "
                    + "@RegisterExtension, or call start()");
        }
        return s;
    }

    private void onConnection(Socket socket) {
        new Exchange(socket, connectionCount.incrementAndGet(), timer, this).start();
    }

    void received(RecordedRequest request) {
        requests.add(request);
        untaken.add(request);
    }

    ScriptedResponse nextResponse() {
        ScriptedResponse r = script.poll();
        return r != null ? r : defaultResponse;
    }

    void failed(String what) {
        failures.add(what);
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
        return "ScriptedHttpServer[" + (s == null ? kind + ", not running" : s.endpoint()) + ", "
                + requests.size() + " requests]";
    }
}
