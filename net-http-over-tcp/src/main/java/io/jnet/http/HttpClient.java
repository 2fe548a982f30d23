package io.jnet.http;

import io.jnet.ConnectOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, strict HTTP/1.1 client on jnet sockets: {@code http://} over TCP, or every request over one
 * Unix socket path (the Docker-socket case). Keeps connections alive and pools them per origin.
 *
 * <pre>{@code
 * try (HttpClient client = HttpClient.create();
 *      HttpResponse response = client.send(HttpRequest.get("http://localhost:8080/health"))) {
 *     System.out.println(response.statusCode() + " " + response.bodyString());
 * }
 *
 * HttpClient docker = HttpClient.builder().socketPath(Path.of("/var/run/docker.sock")).build();
 * String info = docker.send(HttpRequest.get("http://localhost/v1.43/info")).bodyString();
 * }</pre>
 *
 * <p>{@link #send} blocks until the response head has arrived; {@link #sendAsync} returns at once and
 * completes (on the client's executor, never on an I/O loop) with the same response; both run the
 * same code. On an event-loop thread (inside any jnet listener) {@code send} and the body reads refuse
 * with {@link IllegalStateException} rather than block the loop: use {@code sendAsync} there. Blocking
 * {@code send} suits virtual threads: the caller waits without holding a monitor, so it never pins
 * its carrier. Responses are read once (see {@link HttpResponse}). Thread-safe; share one client.
 *
 * <p>Idle pooled connections close after 5 s ({@link Builder#idleTimeout}), so a client that is
 * never closed keeps nothing open, and no in-process server's connection alive, for long.
 */
public final class HttpClient implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Builder config;
    private final ConnectOptions connectOptions;
    private final ConnectionPool<Origin, Connection> pool;
    private final Executor executor;

    private HttpClient(Builder b) {
        this.config = b.copy();
        this.connectOptions = ConnectOptions.builder().noDelay(true).connectTimeout(b.connectTimeout).build();
        this.executor = b.executor != null ? b.executor : defaultExecutor();
        this.pool = new ConnectionPool<>(b.maxConnectionsPerOrigin, b.maxIdlePerOrigin, b.idleTimeout, Duration.ofSeconds(1),
                System::nanoTime, origin -> new Connection(origin, connectOptions, b.idleTimeout, b.maxHeaderSize,
                        c -> pool().closed(c.origin, c)));
    }

    /**
     * A cached pool of daemon threads whose idle threads end after 10 s (not 60): a client dropped
     * without close() leaks nothing for long, and close() need not stop threads that exchanges still
     * in progress rely on.
     */
    private static Executor defaultExecutor() {
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "jnet-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), daemons);
    }

    /** A client with the defaults of {@link Builder}. */
    public static HttpClient create() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends the request and waits for the response head; read the body from the response. Refused
     * in a jnet listener (on an event-loop thread), where the loop would wait for itself: use
     * {@link #sendAsync} there. On a virtual thread the wait releases the carrier.
     *
     * @throws IllegalStateException on an event-loop thread, at once and before anything is sent
     * @throws HttpProtocolException the server broke HTTP/1.1
     * @throws HttpTimeoutException  a connect, headers or body-idle limit was exceeded
     * @throws HttpException         the connection failed (the cause is the socket's {@link io.jnet.NetException})
     * @throws InterruptedException  the thread was interrupted; the exchange is cancelled
     */
    public HttpResponse send(HttpRequest request) throws IOException, InterruptedException {
        LoopThreads.refuseBlocking("HttpClient.send()", "use HttpClient.sendAsync() there");
        CompletableFuture<HttpResponse> f = start(request, true);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                // Rethrown as a new exception of the same kind would lose the type; keep it and add this thread's trace.
                io.addSuppressed(new Exception("send() called here"));
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new HttpException(request + ": " + cause, cause);
        } catch (CancellationException e) {
            throw new InterruptedIOException(request + ": cancelled");
        }
    }

    /**
     * Sends the request; the future completes with the response once its head has arrived, or
     * exceptionally with the exceptions {@link #send} throws. Cancelling it destroys the connection.
     * The future completes on the client's executor, so what is chained to it may block (read the
     * body, say) without holding up I/O. Safe to call anywhere, a jnet listener included.
     */
    public CompletableFuture<HttpResponse> sendAsync(HttpRequest request) {
        return start(request, false);
    }

    private CompletableFuture<HttpResponse> start(HttpRequest request, boolean blockingCaller) {
        Objects.requireNonNull(request, "request");
        Call call = new Call(this, request, blockingCaller);
        call.start(true);
        return call.future;
    }

    /**
     * Closes idle connections and refuses new requests; exchanges in progress finish, then their
     * connections close. The client's threads are daemons that end once idle.
     */
    @Override
    public void close() {
        pool.close();
    }

    // ---- for the package ---------------------------------------------------------------------------

    ConnectionPool<Origin, Connection> pool() {
        return pool;
    }

    Executor executor() {
        return executor;
    }

    Path socketPath() {
        return config.socketPath;
    }

    Duration connectTimeout() {
        return config.connectTimeout;
    }

    Duration headersTimeout() {
        return config.headersTimeout;
    }

    Duration bodyIdleTimeout() {
        return config.bodyIdleTimeout;
    }

    boolean followRedirects() {
        return config.followRedirects;
    }

    /** Whether the client asks for gzip on this request itself, and so must undo it transparently. */
    boolean addsAcceptEncoding(HttpRequest request) {
        return config.gzip && !request.headers().contains("Accept-Encoding") && !request.headers().contains("Range");
    }

    /** Headers the client adds when the request has none of that name. */
    HttpHeaders defaultHeaders(HttpRequest request) {
        return addsAcceptEncoding(request)
                ? HttpHeaders.of("User-Agent", config.userAgent, "Accept-Encoding", "gzip")
                : HttpHeaders.of("User-Agent", config.userAgent);
    }

    /** Builds an {@link HttpClient}; not thread-safe. Every setting has a sensible default. */
    public static final class Builder {
        private int maxConnectionsPerOrigin = 16;
        private int maxIdlePerOrigin = 8;
        private Duration idleTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration headersTimeout = Duration.ofSeconds(30);
        private Duration bodyIdleTimeout = Duration.ofSeconds(30);
        private Path socketPath;
        private int maxHeaderSize = ResponseParser.DEFAULT_MAX_HEADER_SIZE;
        private boolean followRedirects;
        private boolean gzip = true;
        private String userAgent = "jnet-http/0.1";
        private Executor executor;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.maxConnectionsPerOrigin = maxConnectionsPerOrigin;
            b.maxIdlePerOrigin = maxIdlePerOrigin;
            b.idleTimeout = idleTimeout;
            b.connectTimeout = connectTimeout;
            b.headersTimeout = headersTimeout;
            b.bodyIdleTimeout = bodyIdleTimeout;
            b.socketPath = socketPath;
            b.maxHeaderSize = maxHeaderSize;
            b.followRedirects = followRedirects;
            b.gzip = gzip;
            b.userAgent = userAgent;
            b.executor = executor;
            return b;
        }

        /** Connections per origin, busy or idle (default 16); more requests wait their turn, first come first served. */
        public Builder maxConnectionsPerOrigin(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnectionsPerOrigin must be at least 1 but was " + max);
            }
            this.maxConnectionsPerOrigin = max;
            return this;
        }

        /** Idle connections kept per origin (default 8; 0 disables reuse). */
        public Builder maxIdlePerOrigin(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxIdlePerOrigin must not be negative but was " + max);
            }
            this.maxIdlePerOrigin = max;
            return this;
        }

        /**
         * How long an idle connection is kept for reuse (default 5 s, as Node's HTTP agent; shorter when
         * the server's {@code Keep-Alive} says so). A long-lived application that talks to one server
         * often may keep them longer, as OkHttp does (5 min); an idle pooled connection keeps an
         * in-process jnet server's side of it, and so the JVM, alive until then.
         */
        public Builder idleTimeout(Duration idle) {
            this.idleTimeout = positive("idleTimeout", idle);
            return this;
        }

        /** Limit for resolving and connecting (default 10 s); {@link ConnectTimeoutException} past it. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = nonNegative("connectTimeout", timeout);
            return this;
        }

        /** Limit from the request being sent to the full response head (default 30 s; zero: none); {@link HeadersTimeoutException}. */
        public Builder headersTimeout(Duration timeout) {
            this.headersTimeout = nonNegative("headersTimeout", timeout);
            return this;
        }

        /** Limit on silence while the body arrives (default 30 s; zero: none); {@link BodyIdleTimeoutException}. */
        public Builder bodyIdleTimeout(Duration timeout) {
            this.bodyIdleTimeout = nonNegative("bodyIdleTimeout", timeout);
            return this;
        }

        /** Sends every request over this Unix socket (needs {@code io.jnet:net-ipc}); the URI then only names host and path. */
        public Builder socketPath(Path path) {
            this.socketPath = path;
            return this;
        }

        /** Limit on status line plus headers, and on trailers (default 16 KiB). */
        public Builder maxHeaderSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxHeaderSize must be at least 64 but was " + bytes);
            }
            this.maxHeaderSize = bytes;
            return this;
        }

        /** Whether 301, 302, 303, 307 and 308 to {@code http://} are followed (default false), at most 20 in a row. */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /** Whether to ask for gzip and decompress it transparently when the request does not choose an encoding (default true). */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /** The {@code User-Agent} sent when the request has none. */
        public Builder userAgent(String userAgent) {
            String problem = Tokens.checkValue("User-Agent", userAgent);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * Where the client runs what must not run on an I/O loop: completing {@link HttpClient#sendAsync}
         * futures (and what is chained to them), streaming request bodies, following redirects. It
         * must run each task on some thread other than the caller's, never inline. The default is a
         * cached pool of daemon platform threads; {@code Executors.newVirtualThreadPerTaskExecutor()}
         * (JDK 21+) suits as well. The client never shuts it down.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public HttpClient build() {
            return new HttpClient(this);
        }

        private static Duration nonNegative(String what, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative but was " + d);
            }
            return d;
        }

        private static Duration positive(String what, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive but was " + d);
            }
            return d;
        }
    }
}
