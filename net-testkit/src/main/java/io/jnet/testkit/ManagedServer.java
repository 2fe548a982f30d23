package io.jnet.testkit;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One listening jnet server and every connection it accepted: {@link #close()} stops accepting,
 * destroys the connections still open and waits, with a bound, for the server's {@link Server#CLOSE}.
 * What {@link JnetServerExtension} and {@link ScriptedHttpServer} stand on. Thread-safe.
 */
final class ManagedServer implements AutoCloseable {
    /** The kind of endpoint to listen on; the concrete one is chosen at start (a free port, a fresh directory). */
    enum Kind { TCP, IPC }

    /** Where TCP servers listen unless told otherwise. */
    static final String LOOPBACK = "127.0.0.1";

    private final Server server;
    private final Path socketDir;
    /** Accepted and not yet closed; guarded by itself, with {@link #closing}. */
    private final Set<Socket> open = new LinkedHashSet<>();
    private final List<Socket> accepted = new ArrayList<>();
    private final AtomicInteger closedConnections = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Duration closeTimeout;
    private boolean closing;

    /**
     * Listens at once: TCP on {@code host} with a free port, or IPC on {@code server.sock} in a fresh
     * temporary directory ({@code host} unused). The tracking listener is added before {@code onConnection}, so a socket is
     * tracked even when the handler throws.
     */
    ManagedServer(Kind kind, String host, ServerOptions options, Consumer<Socket> onConnection, Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        server = Net.createServer(options, this::track);
        if (onConnection != null) {
            server.on(Server.CONNECTION, onConnection);
        }
        server.on(Server.CLOSE, closed::countDown);
        if (kind == Kind.IPC) {
            try {
                socketDir = Files.createTempDirectory("jnet-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the test server's socket file", e);
            }
        } else {
            socketDir = null;
        }
        try {
            server.listen(kind == Kind.IPC ? Endpoint.ipc(socketDir.resolve("server.sock")) : Endpoint.tcp(host, 0));
        } catch (RuntimeException e) {
            deleteSocketDir();
            throw e;
        }
    }

    private void track(Socket socket) {
        socket.on(Socket.CLOSE, hadError -> {
            closedConnections.incrementAndGet();
            synchronized (open) {
                open.remove(socket);
            }
        });
        boolean late;
        synchronized (open) {
            accepted.add(socket);
            late = closing;
            if (!late) {
                open.add(socket);
            }
        }
        if (late) {
            // Accepted while close() ran: nobody would ever destroy it, and CLOSE would wait for it.
            socket.destroy();
        }
    }

    Server server() {
        return server;
    }

    /** Where the server listens (with its real port); kept after close, for messages. */
    Endpoint endpoint() {
        return server.address();
    }

    List<Socket> openConnections() {
        synchronized (open) {
            return List.copyOf(open);
        }
    }

    List<Socket> acceptedConnections() {
        synchronized (open) {
            return List.copyOf(accepted);
        }
    }

    int closedConnections() {
        return closedConnections.get();
    }

    /**
     * Stops accepting, destroys every open connection and waits up to the close timeout for the
     * server's {@link Server#CLOSE}; harmless when called again.
     *
     * @throws AssertionError when CLOSE did not come in time, naming the connections still open
     */
    @Override
    public void close() {
        List<Socket> toDestroy;
        synchronized (open) {
            if (closing) {
                return;
            }
            closing = true;
            toDestroy = new ArrayList<>(open);
        }
        String where = String.valueOf(server.address());
        try {
            if (server.isListening()) { // else the test closed it itself; CLOSE still comes once the connections go
                server.close();
            }
            toDestroy.forEach(Socket::destroy);
            boolean done;
            try {
                done = closed.await(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the test server on " + where + " to close", e);
            }
            if (!done) {
                throw new AssertionError("the test server on " + where + " did not close within " + closeTimeout.toMillis()
                        + " ms: " + server.getConnections() + " connection(s) still open " + openConnections());
            }
        } finally {
            deleteSocketDir();
        }
    }

    private void deleteSocketDir() {
        if (socketDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(socketDir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test for.
        }
    }
}
