package io.jnet.testing;

import io.jnet.ConnectOptions;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The edges of a socket's life, where v1 differed from Node: reading before anyone listens, write
 * callbacks that must run exactly once whatever ends the socket, server events in the order they
 * happened, the reset, and the blocking views after a clean close. Run for every transport.
 */
public abstract class SocketEdgesSuite {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** A fresh endpoint to listen on: port 0 on loopback, or a new path in a temp directory. */
    protected abstract Endpoint listenEndpoint();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        servers.forEach(Server::close);
    }

    private Server listen(ServerOptions options, java.util.function.Consumer<Socket> onConnection) {
        Server server = Net.createServer(options, socket -> {
            sockets.add(socket);
            onConnection.accept(socket);
        });
        servers.add(server);
        server.listen(listenEndpoint());
        return server;
    }

    private Server listen(java.util.function.Consumer<Socket> onConnection) {
        return listen(ServerOptions.defaults(), onConnection);
    }

    private Socket socketTo(Server server) {
        Socket socket = Net.socket(server.address(), ConnectOptions.defaults());
        sockets.add(socket);
        return socket;
    }

    private boolean tcp() {
        return listenEndpoint() instanceof Endpoint.Tcp;
    }

    // ---- reading before anyone listens (v1 defect 1) ------------------------------------------------

    @Test
    void aWriteOnlyClientSeesTheServerEndItAndCloses() {
        Server server = listen(Socket::end);
        Socket client = socketTo(server);
        EventLog log = EventLog.withoutData(client); // no DATA listener: a producer that never reads
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "end", "close:false"), log.events());
    }

    @Test
    void anAcceptedSocketWithoutDataListenerSeesTheClientLeave() {
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(s -> serverLog.set(EventLog.withoutData(s)));
        Socket client = socketTo(server);
        client.connect(() -> client.end());
        await().atMost(WAIT).until(() -> serverLog.get() != null && serverLog.get().has("close:false"));
        assertEquals(List.of("end", "close:false"), serverLog.get().events());
        await().atMost(WAIT).until(client::isDestroyed);
    }

    @Test
    void bytesThatArriveBeforeTheFirstDataListenerGoToItInOrderThenEnd() throws Exception {
        byte[] sent = random(200_000, 1); // more than the read buffer holds: the socket stops reading, then resumes
        Server server = listen(s -> s.end(ByteBuffer.wrap(sent)));
        Socket client = socketTo(server);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        client.connect(() -> connected.complete(null));
        connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // Let it buffer what it may and stop: it must not have read everything, and must not have ended.
        await().atMost(WAIT).until(() -> client.bytesRead() > 0);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !client.isDestroyed());
        assertTrue(client.bytesRead() < sent.length, "a socket nobody reads stops at its high-water mark, read "
                + client.bytesRead());
        EventLog log = EventLog.of(client);
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertArrayEquals(sent, log.data());
        assertEquals(List.of("end", "close:false"), log.events().stream().filter(e -> !e.startsWith("data")).toList());
    }

    @Test
    void pauseBeforeAnyListenerKeepsTheBytesInTheKernelUntilResume() {
        byte[] sent = "held by the kernel".getBytes(StandardCharsets.UTF_8);
        Server server = listen(s -> s.write(ByteBuffer.wrap(sent)));
        Socket client = socketTo(server);
        client.pause();
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> client.bytesRead() == 0);
        client.resume();
        await().atMost(WAIT).until(() -> log.data().length == sent.length);
        assertArrayEquals(sent, log.data());
    }

    @Test
    void everyByteWrittenBeforeEndArrivesByCountAndChecksum() {
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            byte[] payload = random(300_000 + round * 7919, round);
            AtomicReference<EventLog> serverLog = new AtomicReference<>();
            Server server = listen(s -> serverLog.set(EventLog.of(s)));
            Socket client = socketTo(server);
            client.connect();
            for (int off = 0; off < payload.length; off += 8191) { // many writes, some queued, then end()
                client.write(ByteBuffer.wrap(payload, off, Math.min(8191, payload.length - off)));
            }
            client.end();
            await().atMost(WAIT).until(() -> serverLog.get() != null && serverLog.get().has("close:false"));
            assertEquals(checksum(payload), checksum(serverLog.get().data()), "round " + round);
            assertEquals(payload.length, serverLog.get().data().length, "round " + round);
        }
    }

    // ---- write callbacks (v1 defect 4) ----------------------------------------------------------------

    @Test
    void everyWriteCallbackRunsExactlyOnceWhateverEndsTheSocket() {
        Random random = new Random(7);
        String[] endings = tcp() ? new String[] {"end", "destroy", "reset", "peer-destroys", "write-after-end"}
                : new String[] {"end", "destroy", "peer-destroys", "write-after-end"};
        for (int round = 0; round < 40; round++) {
            String ending = endings[round % endings.length];
            AtomicReference<Socket> accepted = new AtomicReference<>();
            Server server = listen(accepted::set); // never reads: writes queue up on the client
            Socket client = socketTo(server);
            EventLog log = EventLog.withoutData(client);
            int writes = 50 + random.nextInt(50);
            ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            client.connect();
            await().atMost(WAIT).until(() -> accepted.get() != null);
            for (int i = 0; i < writes; i++) {
                int id = i;
                calls.put(id, new AtomicInteger());
                client.write(ByteBuffer.allocate(64 * 1024), err -> {
                    calls.get(id).incrementAndGet();
                    if (err != null) {
                        errors.add(err);
                    }
                });
                if (i == writes / 2) {
                    switch (ending) {
                        case "end", "write-after-end" -> client.end();
                        case "destroy" -> client.destroy();
                        case "reset" -> client.resetAndDestroy();
                        case "peer-destroys" -> accepted.get().destroy();
                        default -> throw new AssertionError(ending);
                    }
                    if (ending.equals("end")) {
                        break;
                    }
                }
            }
            if (ending.equals("end")) {
                // What the peer never read can never be sent now: each queued write fails once, with the
                // error that ends the socket (the peer's reset), and the ones already sent succeed.
                accepted.get().destroy();
            }
            String round0 = "round " + round + " (" + ending + ") " + log.events();
            try {
                await(round0).atMost(WAIT).until(() -> log.has("close:true") || log.has("close:false"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(round0 + ": never closed: " + client + " pending " + client.writableLength()
                        + " read " + client.bytesRead() + " peer " + accepted.get() + " events " + log.events(), e);
            }
            await(round0 + " callbacks").atMost(WAIT).until(() -> calls.values().stream().allMatch(c -> c.get() >= 1));
            await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> calls.values().stream().allMatch(c -> c.get() == 1));
            String where = "round " + round + " (" + ending + "), errors " + errors.stream()
                    .map(e -> e instanceof NetException ne ? ne.code().name() : e.toString()).distinct().toList()
                    + " events " + log.events();
            assertTrue(errors.stream().allMatch(e -> e instanceof NetException), where);
            if (ending.equals("destroy") || ending.equals("reset")) {
                assertTrue(errors.stream().anyMatch(e -> ((NetException) e).code() == ErrorCode.ERR_STREAM_DESTROYED), where);
            }
            if (ending.equals("write-after-end")) {
                assertTrue(errors.stream().anyMatch(e -> ((NetException) e).code() == ErrorCode.ERR_STREAM_WRITE_AFTER_END), where);
            }
        }
    }

    // ---- server events in order (v1 defect 5) --------------------------------------------------------

    @Test
    void aDropNeverReachesListenersBeforeTheConnectionAdmittedBeforeIt() {
        for (int round = 0; round < 50; round++) {
            List<String> events = new CopyOnWriteArrayList<>();
            Server server = Net.createServer(ServerOptions.builder().maxConnections(1).build(), s -> {
                sockets.add(s);
                events.add("connection");
            });
            servers.add(server);
            server.on(Server.DROP, (Drop d) -> events.add("drop"));
            server.listen(listenEndpoint());
            Socket first = socketTo(server);
            first.connect(() -> socketTo(server).connect());
            await().atMost(WAIT).until(() -> events.size() == 2);
            assertEquals(List.of("connection", "drop"), events, "round " + round);
            server.close();
        }
    }

    // ---- reset (v1 defect 6) ---------------------------------------------------------------------------

    @Test
    void resetAndDestroySendsAnRstThePeerSeesAsEconnresetOrRefusesOverIpc() {
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        AtomicReference<Socket> accepted = new AtomicReference<>();
        Server server = listen(s -> {
            serverLog.set(EventLog.of(s));
            accepted.set(s);
        });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> accepted.get() != null && log.has("connect"));
        if (!tcp()) {
            NetException e = assertThrows(NetException.class, client::resetAndDestroy);
            assertEquals(ErrorCode.ERR_INVALID_HANDLE_TYPE, e.code());
            assertTrue(e.getMessage().contains("use destroy()"), e.getMessage());
            return;
        }
        client.resetAndDestroy();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "close:false"), log.events());
        await().atMost(WAIT).until(() -> serverLog.get().has("close:true"));
        assertEquals(List.of("error:ECONNRESET", "close:true"), serverLog.get().events());
    }

    /**
     * test-net-connect-reset-until-connected.js: resetAndDestroy() while connecting waits for the
     * connection, then resets it; the client closes without an error, the server's socket gets ECONNRESET.
     */
    @Test
    void resetAndDestroyWhileConnectingResetsOnceConnectedAndThePeerSeesEconnreset() {
        assumeTrue(tcp(), "over IPC resetAndDestroy() throws (see above)");
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(s -> serverLog.set(EventLog.of(s)));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        client.connect();
        client.resetAndDestroy();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "close:false"), log.events(), "Node fires 'connect', then resets");
        await().atMost(WAIT).until(() -> serverLog.get() != null && serverLog.get().has("close:true"));
        assertEquals(List.of("error:ECONNRESET", "close:true"), serverLog.get().events());
    }

    /**
     * test-net-connect-reset.js: a socket never connected has nothing to reset; it is destroyed with
     * ERR_SOCKET_CLOSED "Socket is closed", then CLOSE, whatever its transport (Node has no handle yet, so
     * no pipe check either). A second call does nothing.
     */
    @Test
    void resetAndDestroyOnASocketNeverConnectedDestroysItWithSocketClosed() {
        Server server = listen(s -> { });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        assertTrue(client.resetAndDestroy() == client);
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("error:ERR_SOCKET_CLOSED", "close:true"), log.events());
        assertTrue(log.error().getMessage().contains("Socket is closed"), log.error().getMessage());
        assertTrue(client.isDestroyed());
        client.resetAndDestroy();
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> log.events().size() == 2);
        assertEquals(List.of("error:ERR_SOCKET_CLOSED", "close:true"), log.events());
    }

    /**
     * test-net-connect-reset-before-connected.js: connect(), the server closes, resetAndDestroy(), then
     * destroy(), all in one turn of the socket's loop (Node's one thread): only {@code close:false}, no
     * CONNECT and no error (Node v20: {@code ["close:false"]}).
     */
    @Test
    void resetAndDestroyThenDestroyBeforeConnectedClosesWithoutErrorOrConnect() throws Exception {
        assumeTrue(tcp(), "over IPC resetAndDestroy() on a connecting socket throws");
        Server server = listen(s -> { });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        CompletableFuture<Void> ran = new CompletableFuture<>();
        client.executor().execute(() -> {
            client.connect();
            server.close();
            client.resetAndDestroy();
            client.destroy();
            ran.complete(null);
        });
        ran.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> log.has("close:false"));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> log.events().size() == 1);
        assertEquals(List.of("close:false"), log.events());
    }

    /** test-net-socket-reset-twice.js: resetAndDestroy() inside the ERROR listener of a refused connect closes once. */
    @Test
    void resetAndDestroyInsideTheErrorListenerOfARefusedConnectClosesOnce() throws Exception {
        assumeTrue(tcp(), "over IPC resetAndDestroy() throws (see above)");
        Server server = listen(s -> { });
        Endpoint gone = server.address();
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        server.close(serverClosed::complete);
        serverClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Socket client = Net.socket(gone, ConnectOptions.defaults());
        sockets.add(client);
        EventLog log = EventLog.of(client);
        client.on(Socket.ERROR, e -> client.resetAndDestroy());
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> log.events().size() == 2);
        assertEquals(List.of("error:ECONNREFUSED", "close:true"), log.events());
    }

    // ---- blocking views after a clean close (v1 defect 3) -----------------------------------------------

    @Test
    void requestResponseOverTheBlockingViewsFlushesCleanlyAfterThePeerCloses() throws Exception {
        Server server = listen(s -> {
            EventLog.of(s); // reads
            s.on(Socket.END, () -> s.end("pong\n"));
        });
        for (int run = 0; run < 50; run++) {
            Socket client = socketTo(server);
            client.connect();
            OutputStream out = client.outputStream();
            InputStream in = client.inputStream();
            out.write("ping\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.close(); // end(): the server answers and ends
            assertEquals("pong\n", new String(in.readAllBytes(), StandardCharsets.UTF_8), "run " + run);
            await().atMost(WAIT).until(client::isDestroyed);
            out.flush(); // everything written went to the kernel: nothing to complain about
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static long checksum(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
