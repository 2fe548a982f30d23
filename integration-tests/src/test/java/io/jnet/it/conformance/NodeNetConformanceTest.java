package io.jnet.it.conformance;

import io.jnet.ConnectOptions;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.ReadyState;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.testing.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Behaviours that Node's own {@code test/parallel/test-net-*.js} files assert, each checked again over
 * jnet's sockets, one behaviour per method. Each method's Javadoc names the Node test file it mirrors;
 * {@code integration-tests/NODE-CONFORMANCE.md} maps every Node file to its method here or elsewhere.
 * The expectations are Node's (v20, run on this machine where a file left a doubt), not jnet's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class NodeNetConformanceTest {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    /** How long "nothing happens" is watched for. */
    protected static final Duration QUIET = Duration.ofMillis(300);

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** A fresh endpoint to listen on: port 0 on loopback, or a new path in a temp directory. */
    protected abstract Endpoint listenEndpoint();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        for (Server s : servers) {
            if (s.isListening()) {
                s.close();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    protected Server listen(ServerOptions options, Consumer<Socket> onConnection) {
        Server server = Net.createServer(options, socket -> {
            sockets.add(socket);
            onConnection.accept(socket);
        });
        servers.add(server);
        server.listen(listenEndpoint());
        return server;
    }

    protected Server listen(Consumer<Socket> onConnection) {
        return listen(ServerOptions.defaults(), onConnection);
    }

    protected Server track(Server server) {
        servers.add(server);
        return server;
    }

    /** A socket to {@code endpoint}, not connected yet: attach listeners, then connect. */
    protected Socket socketTo(Endpoint endpoint, ConnectOptions options) {
        Socket socket = Net.socket(endpoint, options);
        sockets.add(socket);
        return socket;
    }

    protected Socket socketTo(Server server) {
        return socketTo(server.address(), ConnectOptions.defaults());
    }

    /** An address where nothing listens any more. */
    protected Endpoint closedEndpoint() {
        Server server = Net.createServer();
        server.listen(listenEndpoint());
        Endpoint address = server.address();
        server.close();
        return address;
    }

    /** Runs {@code task} on the socket's loop and waits for it: what it sees, no event can interleave. */
    protected static void onLoop(Socket socket, Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        socket.executor().execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Connects a client to {@code server} that reads everything; its bytesRead at CLOSE, -1 until then. */
    private AtomicLong bytesReadAtCloseOfAClientOf(Server server) {
        Socket client = socketTo(server);
        AtomicLong readAtClose = new AtomicLong(-1);
        client.on(Socket.DATA, c -> { });
        client.on(Socket.CLOSE, e -> readAtClose.set(client.bytesRead()));
        client.connect();
        return readAtClose;
    }

    /** Why a test that needs a socket still connecting is skipped when connect() completed at once. */
    private static final String CONNECTED_AT_ONCE =
            "connect() completed before it returned (see connectingIsTrueUntilConnectFires), so nothing is 'while connecting'";

    protected static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String codeOf(Throwable t) {
        return t instanceof NetException ne ? ne.code().name() : String.valueOf(t);
    }

    // ---- end of the peer's stream --------------------------------------------------------------

    /**
     * test-net-writable.js, test-net-end-destroyed.js, test-net-allow-half-open.js: without
     * allowHalfOpen our side ends by itself, but only after the END listeners ran: inside them the
     * socket is not destroyed and a write still goes out.
     */
    @Test
    void endListenerSeesTheSocketStillOpenAndItsWriteReachesThePeer() {
        StringBuilder serverGot = new StringBuilder();
        AtomicBoolean serverEnded = new AtomicBoolean();
        Server server = listen(s -> {
            s.on(Socket.DATA, c -> serverGot.append(StandardCharsets.UTF_8.decode(c)));
            s.on(Socket.END, () -> serverEnded.set(true));
            s.end("bye");
        });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicReference<String> inEnd = new AtomicReference<>();
        client.on(Socket.END, () -> inEnd.set("destroyed=" + client.isDestroyed() + " write=" + client.write("hello")));
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false") || log.has("close:true"), log.toString()));
        assertEquals("destroyed=false write=true", inEnd.get());
        assertEquals(List.of("connect", "end", "close:false"), log.events());
        await().atMost(WAIT).until(serverEnded::get);
        assertEquals("hello", serverGot.toString());
    }

    /**
     * test-net-write-after-end-nt.js: after our own end() and the peer's END, a write fails with
     * EPIPE "This socket has been ended by the other party", returns false, and the error is emitted
     * after write() has returned.
     */
    @Test
    void writeAfterOwnEndAndThePeersEndIsEpipeEndedByTheOtherParty() {
        Server server = listen(Socket::end);
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicReference<Boolean> returned = new AtomicReference<>();
        AtomicBoolean errorBeforeReturn = new AtomicBoolean();
        client.on(Socket.CONNECT, client::end);
        client.on(Socket.END, () -> {
            returned.set(client.write("hello"));
            errorBeforeReturn.set(log.error() != null);
        });
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:true") || log.has("close:false"), log.toString()));
        assertEquals(Boolean.FALSE, returned.get());
        assertFalse(errorBeforeReturn.get(), "Node emits the error on the next tick, not inside write()");
        assertNotNull(log.error(), "a write after the peer ended must fail: " + log);
        assertEquals("EPIPE", codeOf(log.error()), log.error().getMessage());
        assertTrue(log.error().getMessage().contains("This socket has been ended by the other party"), log.error().getMessage());
    }

    /**
     * test-net-end-close.js, test-net-socket-end-before-connect.js (whose server never reads): a socket
     * without any DATA listener still reads, so it sees its peer's END and closes — a write-only
     * socket is not left half-open for ever.
     */
    @Test
    void aSocketWithoutADataListenerStillSeesThePeersEndAndCloses() {
        Server server = listen(Socket::end);
        Socket client = socketTo(server);
        EventLog log = EventLog.withoutData(client);
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        assertEquals(List.of("connect", "end", "close:false"), log.events());
    }

    /**
     * test-net-socket-end-before-connect.js: end() while still connecting; the server's socket has no
     * listener at all (so it must read by itself), and both sides close.
     */
    @Test
    void endWhileConnectingClosesBothSidesEvenWhenTheServerNeverListensForData() {
        List<EventLog> serverLogs = new CopyOnWriteArrayList<>();
        Server server = listen(s -> serverLogs.add(EventLog.withoutData(s)));
        Socket client = socketTo(server);
        EventLog log = EventLog.withoutData(client);
        client.connect();
        client.end();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("end", "close:false"), serverLogs.get(0).events()));
    }

    /**
     * test-net-socket-close-after-end.js: when both sides have ended but one reads late, its CLOSE
     * waits for the END that reading brings, and nothing closes the socket while it is paused.
     */
    @Test
    void closeWaitsForTheEndThatALateReaderReads() {
        AtomicReference<Socket> serverSide = new AtomicReference<>();
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(ServerOptions.builder().pauseOnConnect(true).build(), s -> {
            serverLog.set(EventLog.of(s));
            serverSide.set(s);
            s.end("foo");
        });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        client.on(Socket.CONNECT, () -> client.end("foo"));
        client.connect();
        await().atMost(WAIT).until(() -> log.has("end"));
        await().during(QUIET).atMost(WAIT).until(() -> serverLog.get().events().isEmpty());
        serverSide.get().resume();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(serverLog.get().has("close:false"), serverLog.get().toString()));
        assertEquals(List.of("end", "close:false"), serverLog.get().events());
        assertEquals("foo", serverLog.get().text());
    }

    /**
     * test-net-connect-options-allowhalfopen.js, test-net-connect-options-ipv6.js: a client made with
     * allowHalfOpen keeps its sending side after the peer's END and its late write arrives.
     */
    @Test
    void aClientWithAllowHalfOpenKeepsWritingAfterThePeerEnds() {
        StringBuilder serverGot = new StringBuilder();
        AtomicBoolean serverEnded = new AtomicBoolean();
        Server server = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
            s.on(Socket.DATA, c -> serverGot.append(StandardCharsets.UTF_8.decode(c)));
            s.on(Socket.END, () -> serverEnded.set(true));
            s.end();
        });
        Socket client = socketTo(server.address(), ConnectOptions.builder().allowHalfOpen(true).build());
        EventLog log = EventLog.of(client);
        AtomicReference<ReadyState> stateAtEnd = new AtomicReference<>();
        client.on(Socket.END, () -> {
            stateAtEnd.set(client.readyState());
            client.end("late words");
        });
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        assertEquals(ReadyState.WRITE_ONLY, stateAtEnd.get());
        await().atMost(WAIT).until(serverEnded::get);
        assertEquals("late words", serverGot.toString());
    }

    // ---- writes at the edges ---------------------------------------------------------------------

    /**
     * test-net-socket-destroy-send.js, test-net-write-after-close.js: a write to a destroyed socket
     * returns false and emits no ERROR (Node hands ERR_STREAM_DESTROYED to the write's callback only).
     */
    @Test
    void writeAfterDestroyReturnsFalseAndEmitsNoError() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicReference<Boolean> returned = new AtomicReference<>();
        client.on(Socket.CONNECT, () -> {
            client.destroy();
            returned.set(client.write("kaboom"));
        });
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false") || log.has("close:true"), log.toString()));
        onLoop(client, () -> { });
        assertEquals(Boolean.FALSE, returned.get());
        assertEquals(List.of("connect", "close:false"), log.events());
    }

    /**
     * test-net-socket-destroy-send.js: the callback of a write made after destroy() still runs, once
     * (Node passes it ERR_STREAM_DESTROYED).
     */
    @Test
    void writeCallbackOfAWriteAfterDestroyRunsOnce() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicInteger callbacks = new AtomicInteger();
        client.on(Socket.CONNECT, () -> {
            client.destroy();
            client.write(utf8("kaboom"), err -> callbacks.incrementAndGet());
        });
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:false") || log.has("close:true"));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, callbacks.get(), "the write callback must run exactly once"));
        await().during(QUIET).atMost(WAIT).until(() -> callbacks.get() == 1);
    }

    /**
     * test-net-write-cb-on-destroy-before-connect.js: a write queued while connecting, then destroy():
     * no CONNECT, no ERROR, CLOSE(false), and the write's callback runs once (Node passes it
     * ERR_SOCKET_CLOSED_BEFORE_CONNECTION).
     */
    @Test
    void writeCallbackOfAWriteQueuedWhileConnectingRunsOnceWhenDestroyedBeforeConnect() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicInteger callbacks = new AtomicInteger();
        AtomicBoolean wasConnecting = new AtomicBoolean();
        onLoop(client, () -> {
            client.connect();
            wasConnecting.set(client.connecting());
            client.write(utf8("foo"), err -> callbacks.incrementAndGet());
            client.destroy();
        });
        assumeTrue(wasConnecting.get(), CONNECTED_AT_ONCE);
        await().atMost(WAIT).until(() -> log.has("close:false") || log.has("close:true"));
        assertEquals(List.of("close:false"), log.events());
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, callbacks.get(), "the write callback must run exactly once"));
    }

    /**
     * test-net-write-after-end-nt.js, test-net-write-after-close.js: a write made after end() fails,
     * and its callback still runs once (Node passes it the error).
     */
    @Test
    void writeCallbackOfAWriteAfterEndRunsOnce() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicInteger callbacks = new AtomicInteger();
        client.on(Socket.CONNECT, () -> {
            client.end();
            client.write(utf8("late"), err -> callbacks.incrementAndGet());
        });
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true") || log.has("close:false"));
        assertTrue(log.has("error:ERR_STREAM_WRITE_AFTER_END"), log.toString());
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, callbacks.get(), "the write callback must run exactly once"));
    }

    /**
     * test-net-write-slow.js, test-net-bytes-stats.js: against a reader that keeps pausing, every write
     * callback runs exactly once, in order, and every byte arrives before the END.
     */
    @Test
    void everyWriteCallbackRunsOnceInOrderAgainstAReaderThatKeepsPausing() {
        int size = 200_000;
        int n = 10;
        List<Integer> flushed = new CopyOnWriteArrayList<>();
        Server server = listen(s -> {
            for (int i = 0; i < n; i++) {
                int index = i;
                s.write(ByteBuffer.allocate(size), err -> flushed.add(index));
            }
            s.end();
        });
        Socket client = socketTo(server);
        AtomicLong received = new AtomicLong();
        client.on(Socket.DATA, c -> {
            received.addAndGet(c.remaining());
            client.pause();
            CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS).execute(client::resume);
        });
        EventLog log = EventLog.withoutData(client);
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        assertEquals((long) size * n, received.get());
        await().atMost(WAIT).until(() -> flushed.size() == n);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), flushed);
    }

    /**
     * test-net-buffersize.js: writes made while connecting are counted in writableLength at once.
     */
    @Test
    void writableLengthCountsEveryWriteQueuedWhileConnecting() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.withoutData(client);
        List<Long> lengths = new ArrayList<>();
        AtomicBoolean wasConnecting = new AtomicBoolean();
        onLoop(client, () -> {
            client.connect();
            wasConnecting.set(client.connecting());
            for (int i = 1; i < 10; i++) {
                client.write("a");
                lengths.add(client.writableLength());
            }
        });
        assumeTrue(wasConnecting.get(), CONNECTED_AT_ONCE);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), lengths);
        await().atMost(WAIT).until(() -> log.has("connect"));
        await().atMost(WAIT).until(() -> client.writableLength() == 0);
    }

    /**
     * test-net-connect-buffer.js, test-net-connect-buffer2.js: write() and end(data) made while
     * connecting (readyState still opening) are sent in order once connected, then the FIN.
     */
    @Test
    void writeAndEndMadeWhileConnectingAreSentInOrderThenTheEnd() {
        StringBuilder serverGot = new StringBuilder();
        AtomicBoolean serverEnded = new AtomicBoolean();
        Server server = listen(s -> {
            s.on(Socket.DATA, c -> serverGot.append(StandardCharsets.UTF_8.decode(c)));
            s.on(Socket.END, () -> {
                serverEnded.set(true);
                s.end();
            });
        });
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        AtomicBoolean wasConnecting = new AtomicBoolean();
        AtomicReference<ReadyState> afterEnd = new AtomicReference<>();
        onLoop(client, () -> {
            client.connect();
            wasConnecting.set(client.connecting());
            client.write("L'État, c'est ");
            client.end("moi");
            afterEnd.set(client.readyState());
        });
        assumeTrue(wasConnecting.get(), CONNECTED_AT_ONCE);
        assertEquals(ReadyState.OPENING, afterEnd.get());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(serverEnded.get(), "the server never saw the END; got \"" + serverGot + "\""));
        assertEquals("L'État, c'est moi", serverGot.toString());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
    }

    // ---- byte counts ------------------------------------------------------------------------------

    /**
     * test-net-bytes-read.js: bytesRead grows with every chunk and equals the bytes sent at END and
     * at CLOSE.
     */
    @Test
    void bytesReadGrowsWithEveryChunkAndEqualsTheTotalAtEndAndClose() {
        int size = 1 << 20;
        Server server = listen(s -> s.end(ByteBuffer.allocate(size)));
        Socket client = socketTo(server);
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicLong previous = new AtomicLong();
        AtomicLong atEnd = new AtomicLong(-1);
        AtomicLong atClose = new AtomicLong(-1);
        client.on(Socket.DATA, c -> {
            long now = client.bytesRead();
            if (now <= previous.get()) {
                problems.add("bytesRead did not grow: " + previous.get() + " -> " + now);
            }
            previous.set(now);
        });
        client.on(Socket.END, () -> atEnd.set(client.bytesRead()));
        client.on(Socket.CLOSE, e -> atClose.set(client.bytesRead()));
        client.connect();
        await().atMost(WAIT).until(() -> atClose.get() >= 0);
        assertEquals(List.of(), problems);
        assertEquals(size, atEnd.get());
        assertEquals(size, atClose.get());
    }

    /**
     * test-net-bytes-written-large.js: after a large write ends the socket, bytesWritten is the whole
     * size by the time its callback runs, and the peer's bytesRead is the same at CLOSE.
     */
    @Test
    void bytesWrittenOfALargeWriteIsItsWholeSizeWhenItsCallbackRuns() {
        int size = 10_000_000;
        AtomicLong inCallback = new AtomicLong(-1);
        Server server = listen(s -> {
            s.write(ByteBuffer.allocate(size), err -> inCallback.set(s.bytesWritten()));
            s.end();
        });
        AtomicLong readAtClose = bytesReadAtCloseOfAClientOf(server);
        await().atMost(WAIT).until(() -> readAtClose.get() >= 0);
        assertEquals(size, readAtClose.get());
        assertEquals(size, inCallback.get());
    }

    /**
     * test-net-socket-byteswritten.js, test-net-connect-buffer.js: Node counts a write in bytesWritten
     * as soon as write() accepts it, even before the socket has connected (UTF-8 bytes: "twø" is 4).
     */
    @Test
    void bytesWrittenCountsWritesAcceptedBeforeConnect() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        AtomicLong beforeConnect = new AtomicLong(-1);
        onLoop(client, () -> {
            client.connect();
            client.write("one");
            client.write("twø");
            beforeConnect.set(client.bytesWritten());
        });
        assertEquals(3 + 4, beforeConnect.get());
    }

    /**
     * test-net-bytes-written-large.js, its writev variant: two 10 MB writes corked, then end(cb), then
     * uncork: bytesWritten is N after the first, 2N after the second and in end's callback; the peer reads 2N.
     */
    @Test
    void bytesWrittenCountsCorkedLargeWritesAtOnceAndTheyAllArrive() {
        int size = 10_000_000;
        List<Long> seen = new CopyOnWriteArrayList<>();
        Server server = listen(s -> {
            s.cork();
            s.write("a".repeat(size));
            seen.add(s.bytesWritten());
            s.write(ByteBuffer.allocate(size));
            seen.add(s.bytesWritten());
            s.end("", err -> seen.add(err == null ? s.bytesWritten() : -1L));
            s.uncork();
        });
        AtomicLong readAtClose = bytesReadAtCloseOfAClientOf(server);
        await().atMost(WAIT).until(() -> readAtClose.get() >= 0 && seen.size() == 3);
        assertEquals(2L * size, readAtClose.get());
        assertEquals(List.of((long) size, 2L * size, 2L * size), seen);
    }

    /**
     * test-net-sync-cork.js: cork, two small writes, uncork, a hundred times inside the CONNECT listener:
     * every write answers true, and the peer gets all 400 bytes before the END.
     */
    @Test
    void corkAroundEachPairOfSmallWritesKeepsWriteReturningTrue() {
        AtomicLong receivedAtEnd = new AtomicLong(-1);
        Server server = listen(s -> {
            AtomicLong received = new AtomicLong();
            s.on(Socket.DATA, c -> received.addAndGet(c.remaining()));
            s.on(Socket.END, () -> receivedAtEnd.set(received.get()));
        });
        Socket client = socketTo(server);
        AtomicInteger rounds = new AtomicInteger();
        client.on(Socket.CONNECT, () -> {
            boolean ok = true;
            for (int i = 0; i < 100 && ok; i++) {
                client.cork();
                client.write(ByteBuffer.wrap(new byte[] {'a', 'a'}));
                ok = client.write(ByteBuffer.wrap(new byte[] {'a', 'a'}));
                client.uncork();
                rounds.incrementAndGet();
            }
            client.end();
        });
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(100, rounds.get());
        await().atMost(WAIT).until(() -> receivedAtEnd.get() >= 0);
        assertEquals(400, receivedAtEnd.get());
    }

    /**
     * test-net-socket-tos.js (Node 24.15+; Node 20 has no such method): a type of service outside 0..255
     * is refused in Node's words; before connect the value is kept and typeOfService() gives it back
     * (0 before any), whatever the transport.
     */
    @Test
    void typeOfServiceOutsideAByteIsRefusedAndOneSetBeforeConnectIsKept() {
        Socket socket = socketTo(listen(s -> { }));
        assertEquals(0, socket.typeOfService());
        for (int bad : new int[] {256, -1}) {
            NetException e = org.junit.jupiter.api.Assertions.assertThrows(NetException.class,
                    () -> socket.setTypeOfService(bad));
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
            assertEquals("The value of \"tos\" is out of range. It must be >= 0 && <= 255. Received " + bad,
                    e.getMessage());
        }
        assertTrue(socket.setTypeOfService(0x10) == socket);
        assertEquals(0x10, socket.typeOfService());
    }

    // ---- reconnecting: differs by design (f) in NODE-CONFORMANCE.md ----------------------------------

    /**
     * test-net-reconnect.js, test-net-bytes-stats.js: Node connects the same Socket again from its
     * 'close' listener, keeping its listeners and starting bytesRead/bytesWritten again from 0 (Node v20:
     * 7 read and 2 written per connection). A jnet Socket connects once: connect() on a closed one, even
     * from its CLOSE listener, throws and names Net.socket(); the same scenario is a new socket per
     * connection, each with the counts of its own connection.
     */
    @Test
    void aClosedSocketDoesNotConnectAgainSoEachReconnectIsANewSocketWithItsOwnCounts() {
        int connections = 20;
        AtomicInteger accepted = new AtomicInteger();
        Server server = listen(s -> {
            accepted.incrementAndGet();
            s.on(Socket.DATA, c -> { });
            s.write("hello\r\n");
            s.end();
        });
        List<String> counts = new CopyOnWriteArrayList<>();
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        connectAgainOnClose(server.address(), connections, counts, refusals);
        await().atMost(WAIT).until(() -> counts.size() == connections);
        assertEquals(connections, accepted.get());
        assertTrue(counts.stream().allMatch("read 7, written 2"::equals), counts.toString());
        assertEquals(connections, refusals.size());
        assertTrue(refusals.stream().allMatch(e -> e instanceof IllegalStateException
                && e.getMessage().contains("make a new one with Net.socket()")), refusals.toString());
    }

    private void connectAgainOnClose(Endpoint endpoint, int left, List<String> counts, List<Throwable> refusals) {
        Socket client = socketTo(endpoint, ConnectOptions.defaults());
        client.on(Socket.CONNECT, () -> client.write("ab"));
        client.on(Socket.DATA, c -> { });
        client.on(Socket.CLOSE, hadError -> {
            counts.add("read " + client.bytesRead() + ", written " + client.bytesWritten());
            try {
                client.connect();
            } catch (IllegalStateException e) {
                refusals.add(e);
            }
            if (left > 1) {
                connectAgainOnClose(endpoint, left - 1, counts, refusals);
            }
        });
        client.connect();
    }

    /**
     * sequential/test-net-reconnect-error.js: Node reconnects one Socket after each refusal, one
     * 'error' and one 'close' each time (Node v20: error:ECONNREFUSED, close:true, three times). In
     * jnet each attempt is a new socket (see above), each with exactly one ERROR and one CLOSE(true).
     */
    @Test
    void eachRefusedReconnectIsANewSocketWithOneErrorAndOneClose() {
        Endpoint gone = closedEndpoint();
        int attempts = 10;
        List<EventLog> logs = new CopyOnWriteArrayList<>();
        refusedAgainOnClose(gone, attempts, logs);
        await().atMost(WAIT).until(() -> logs.size() == attempts && logs.get(attempts - 1).has("close:true"));
        await().during(QUIET).atMost(WAIT).until(() -> logs.stream().allMatch(l -> l.events().size() == 2));
        String first = logs.get(0).events().get(0);
        assertTrue(first.startsWith("error:E"), first);
        for (EventLog log : logs) {
            assertEquals(List.of(first, "close:true"), log.events());
        }
    }

    private void refusedAgainOnClose(Endpoint endpoint, int left, List<EventLog> logs) {
        Socket client = socketTo(endpoint, ConnectOptions.defaults());
        EventLog log = EventLog.withoutData(client);
        logs.add(log);
        client.on(Socket.CLOSE, hadError -> {
            if (left > 1) {
                refusedAgainOnClose(endpoint, left - 1, logs);
            }
        });
        client.connect();
    }

    // ---- connecting, addresses, destroy ------------------------------------------------------------

    /**
     * test-net-socket-connecting.js, test-net-connect-buffer.js: connecting is true (readyState
     * opening) from connect() until CONNECT, and false inside the CONNECT listener.
     */
    @Test
    void connectingIsTrueUntilConnectFires() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        AtomicReference<String> inConnect = new AtomicReference<>();
        client.on(Socket.CONNECT, () -> inConnect.set(client.connecting() + " " + client.readyState()));
        AtomicReference<String> afterCall = new AtomicReference<>();
        onLoop(client, () -> {
            client.connect();
            afterCall.set(client.connecting() + " " + client.readyState());
        });
        assertEquals("true OPENING", afterCall.get());
        await().atMost(WAIT).until(() -> inConnect.get() != null);
        assertEquals("false OPEN", inConnect.get());
    }

    /** sequential/test-net-connect-handle-econnrefused.js: inside the ERROR listener connecting is false. */
    @Test
    void connectingIsFalseInsideTheErrorListenerOfARefusedConnect() {
        Socket client = socketTo(closedEndpoint(), ConnectOptions.defaults());
        AtomicReference<Boolean> connectingInError = new AtomicReference<>();
        client.on(Socket.ERROR, e -> connectingInError.set(client.connecting()));
        client.connect();
        await().atMost(WAIT).until(() -> connectingInError.get() != null);
        assertFalse(connectingInError.get());
    }

    /**
     * test-net-remote-address.js, test-net-remote-address-port.js, test-net-during-close.js: the
     * remote address is unset while connecting, set at CONNECT, and still readable after CLOSE.
     */
    @Test
    void remoteAddressIsUnsetWhileConnectingSetAtConnectAndKeptAfterClose() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        AtomicReference<Endpoint> atConnect = new AtomicReference<>();
        AtomicReference<Endpoint> atClose = new AtomicReference<>();
        client.on(Socket.CONNECT, () -> {
            atConnect.set(client.remoteAddress());
            client.destroy();
        });
        client.on(Socket.CLOSE, e -> atClose.set(client.remoteAddress()));
        AtomicReference<Endpoint> whileConnecting = new AtomicReference<>(server.address());
        AtomicBoolean wasConnecting = new AtomicBoolean();
        onLoop(client, () -> {
            client.connect();
            wasConnecting.set(client.connecting());
            whileConnecting.set(client.remoteAddress());
        });
        if (wasConnecting.get()) {
            assertNull(whileConnecting.get());
        }
        await().atMost(WAIT).until(() -> atClose.get() != null || client.isDestroyed());
        await().atMost(WAIT).until(() -> atConnect.get() != null);
        assertEquals(server.address(), atConnect.get());
        assertEquals(atConnect.get(), atClose.get());
    }

    /**
     * test-net-after-close.js, test-net-during-close.js: once closed, the option, flow-control and
     * address methods are harmless no-ops.
     */
    @Test
    void methodsCalledAfterCloseDoNotThrow() {
        Server server = listen(Socket::end);
        Socket client = socketTo(server);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        client.on(Socket.DATA, c -> { });
        client.on(Socket.CLOSE, e -> {
            List<Runnable> calls = List.of(
                    () -> client.setNoDelay(true),
                    () -> client.setKeepAlive(true, Duration.ZERO),
                    client::pause,
                    client::resume,
                    client::remoteAddress,
                    client::localAddress,
                    client::writableLength,
                    client::bytesRead,
                    () -> client.setTimeout(Duration.ofMillis(1)),
                    client::unref,
                    client::ref);
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (Throwable t) {
                    thrown.add(t);
                }
            }
            ran.set(true);
        });
        client.connect();
        await().atMost(WAIT).until(ran::get);
        assertEquals(List.of(), thrown);
    }

    /** test-net-connect-immediate-destroy.js: destroy() while connecting: no CONNECT, no ERROR, CLOSE(false). */
    @Test
    void destroyWhileConnectingFiresOnlyCloseWithoutError() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        onLoop(client, () -> {
            client.connect();
            client.destroy();
        });
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false") || log.has("close:true"), log.toString()));
        await().during(QUIET).atMost(WAIT).untilAsserted(() -> assertEquals(List.of("close:false"), log.events()));
    }

    /** test-net-connect-destroy.js: destroying a socket that never connected still fires CLOSE. */
    @Test
    void destroyingASocketThatNeverConnectedFiresClose() {
        Socket client = socketTo(closedEndpoint(), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.destroy();
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("close:false"), log.events()));
    }

    /**
     * test-net-socket-destroy-twice.js: destroy() inside the ERROR listener of a refused connect; CLOSE
     * still fires exactly once, with hadError.
     */
    @Test
    void destroyInsideTheErrorListenerStillClosesExactlyOnce() {
        Socket client = socketTo(closedEndpoint(), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.on(Socket.ERROR, e -> client.destroy());
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true") || log.has("close:false"));
        onLoop(client, () -> { });
        List<String> events = log.events();
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("error:"), events.toString());
        assertEquals("close:true", events.get(1));
    }

    /**
     * test-net-error-twice.js, test-net-stream.js: a writer whose peer is destroyed mid-stream gets
     * exactly one ERROR, then CLOSE(true).
     */
    @Test
    void aWriterWhosePeerIsDestroyedGetsOneErrorThenClose() {
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(s -> {
            serverLog.set(EventLog.withoutData(s));
            for (int i = 0; i < 160; i++) { // 10 MiB: far more than the kernel's buffers hold
                s.write(ByteBuffer.allocate(64 * 1024));
            }
        });
        Socket client = socketTo(server);
        client.once(Socket.DATA, chunk -> client.destroy()); // gone mid-stream, with bytes unread
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(serverLog.get() != null
                && (serverLog.get().has("close:true") || serverLog.get().has("close:false")), String.valueOf(serverLog.get())));
        List<String> events = serverLog.get().events();
        assertEquals(1, events.stream().filter(e -> e.startsWith("error:")).count(), events.toString());
        assertEquals("close:true", events.get(events.size() - 1));
    }

    // ---- flow control and timeouts -------------------------------------------------------------------

    /**
     * test-net-pause-resume-connecting.js: a socket paused before it connects stays paused when a DATA
     * listener is added; resume() then delivers what the peer sent, then END and CLOSE.
     */
    @Test
    void aDataListenerDoesNotResumeASocketPausedBeforeConnect() {
        Server server = listen(s -> s.end("This was the year he fell to pieces."));
        Socket client = socketTo(server);
        client.pause();
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        await().during(QUIET).atMost(WAIT).until(() -> log.dataBytes() == 0);
        assertTrue(client.isPaused());
        client.resume();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        assertEquals("This was the year he fell to pieces.", log.text());
        assertEquals(List.of("connect", "end", "close:false"), log.events());
    }

    /** test-net-timeout-no-handle.js: setTimeout on a socket that never connects still fires TIMEOUT. */
    @Test
    void setTimeoutOnASocketThatNeverConnectsStillFiresTimeout() {
        Socket client = socketTo(closedEndpoint(), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.setTimeout(Duration.ofMillis(50));
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("timeout"), log.toString()));
        assertFalse(log.has("connect"));
    }

    // ---- server ----------------------------------------------------------------------------------

    /**
     * test-net-listening.js: isListening is false before listen, true in the LISTENING listener, false
     * in the CLOSE listener.
     */
    @Test
    void isListeningFollowsListenAndClose() {
        Server server = track(Net.createServer());
        assertFalse(server.isListening());
        AtomicReference<Boolean> inListening = new AtomicReference<>();
        AtomicReference<Boolean> inClose = new AtomicReference<>();
        server.on(Server.LISTENING, () -> {
            inListening.set(server.isListening());
            server.close();
        });
        server.on(Server.CLOSE, () -> inClose.set(server.isListening()));
        server.listen(listenEndpoint());
        await().atMost(WAIT).until(() -> inClose.get() != null);
        assertEquals(Boolean.TRUE, inListening.get());
        assertEquals(Boolean.FALSE, inClose.get());
    }

    /**
     * test-net-listen-close-server.js, test-net-listen-close-server-callback-is-not-function.js,
     * test-net-server-close-before-calling-lookup-callback.js: close() right after listen() fires
     * CLOSE, and never ERROR.
     *
     * <p>Differs from Node by design: Node emits 'listening' on a later tick of the caller's own thread,
     * so a close() in the same tick always comes first. A jnet server's loop is another thread and may
     * fire LISTENING before the caller reaches close(); what holds is that LISTENING, if it fires at
     * all, comes once and before CLOSE.
     */
    @Test
    void closeRightAfterListenFiresCloseButNeitherListeningNorError() {
        // Node never emits 'listening' here (200 of 200 rounds on Node v20, TCP and pipes); the race
        // this guards against shows only now and then, so it is tried in many rounds.
        int rounds = 20;
        List<List<String>> events = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Server server = track(Net.createServer());
            List<String> seen = new CopyOnWriteArrayList<>();
            server.on(Server.LISTENING, () -> seen.add("listening"));
            server.on(Server.ERROR, e -> seen.add("error:" + codeOf(e)));
            server.on(Server.CLOSE, () -> seen.add("close"));
            server.listen(listenEndpoint());
            server.close();
            events.add(seen);
        }
        await().atMost(WAIT).untilAsserted(() -> assertTrue(events.stream().allMatch(e -> e.contains("close")), "events: " + events));
        await().during(QUIET).atMost(WAIT).untilAsserted(() -> assertTrue(events.stream()
                .allMatch(e -> e.equals(List.of("close")) || e.equals(List.of("listening", "close"))), "events: " + events));
    }

    /**
     * test-net-server-listen-remove-callback.js, test-net-server-call-listen-multiple-times.js: a
     * closed server listens again; the first listen's callback does not run a second time.
     */
    @Test
    void aClosedServerListensAgainAndTheFirstListenCallbackRunsOnlyOnce() {
        Server server = track(Net.createServer());
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        server.on(Server.CLOSE, () -> {
            if (closes.incrementAndGet() == 1) {
                server.listen(listenEndpoint(), () -> {
                    second.incrementAndGet();
                    server.close();
                });
            }
        });
        server.listen(listenEndpoint(), () -> {
            first.incrementAndGet();
            server.close();
        });
        await().atMost(WAIT).until(() -> closes.get() == 2);
        assertEquals(1, first.get());
        assertEquals(1, second.get());
    }

    /**
     * test-net-eaddrinuse.js, test-net-bind-twice.js, test-net-server-try-ports.js,
     * test-net-server-call-listen-multiple-times.js: listening where another server listens is an
     * EADDRINUSE emitted on the server's ERROR (never thrown), and the server can then listen elsewhere.
     */
    @Test
    void listenOnAnAddressInUseFiresEaddrinuseOnErrorAndTheServerCanListenElsewhere() {
        Server first = listen(s -> { });
        Server second = track(Net.createServer());
        AtomicReference<Throwable> error = new AtomicReference<>();
        second.on(Server.ERROR, error::set);
        try {
            second.listen(first.address());
        } catch (NetException thrown) {
            fail("listen threw instead of emitting Server.ERROR: " + thrown.getMessage());
        }
        await().atMost(WAIT).until(() -> error.get() != null);
        assertEquals("EADDRINUSE", codeOf(error.get()), error.get().getMessage());
        AtomicBoolean listening = new AtomicBoolean();
        second.listen(listenEndpoint(), () -> listening.set(true));
        await().atMost(WAIT).until(listening::get);
    }

    /**
     * Node's doc for server.close(callback) (and test-net-listening.js's close callback): closing a
     * server that is not listening never throws; Node fires 'close' and hands ERR_SERVER_NOT_RUNNING
     * to the callback.
     */
    @Test
    void closeOnAServerThatIsNotListeningDoesNotThrowAndStillFiresClose() {
        Server server = track(Net.createServer());
        AtomicBoolean closed = new AtomicBoolean();
        server.on(Server.CLOSE, () -> closed.set(true));
        try {
            server.close();
        } catch (NetException thrown) {
            fail("close() threw instead of reporting " + ErrorCode.ERR_SERVER_NOT_RUNNING + " to its callback: " + thrown.getMessage());
        }
        await().atMost(WAIT).until(closed::get);
    }

    /**
     * test-net-server-max-connections-close-makes-more-available.js: once an accepted connection
     * closes, a new connection fits under maxConnections again.
     */
    @Test
    void closingAConnectionMakesRoomUnderMaxConnections() {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = listen(ServerOptions.builder().maxConnections(1).build(), s -> {
            accepted.add(s);
            s.on(Socket.DATA, s::write);
            s.on(Socket.END, s::end);
        });
        server.on(Server.DROP, drops::add);
        Socket first = socketTo(server);
        EventLog firstLog = EventLog.of(first);
        first.connect();
        first.write("0");
        await().atMost(WAIT).until(() -> firstLog.text().equals("0"));
        Socket second = socketTo(server);
        EventLog secondLog = EventLog.of(second);
        second.connect();
        await().atMost(WAIT).until(() -> secondLog.has("close:false") || secondLog.has("close:true"));
        assertEquals(1, drops.size());
        first.end();
        await().atMost(WAIT).until(() -> firstLog.has("close:false") && server.getConnections() == 0);
        Socket third = socketTo(server);
        EventLog thirdLog = EventLog.of(third);
        third.connect();
        third.write("2");
        await().atMost(WAIT).untilAsserted(() -> assertEquals("2", thirdLog.text(), thirdLog.toString()));
        assertEquals(2, accepted.size());
        assertEquals(1, drops.size());
    }

    /**
     * test-net-server-max-connections.js: with maxConnections N/2 and N clients, exactly N/2 fire
     * CONNECTION and get the greeting; the others are dropped (DROP, one each) and close without data.
     */
    @Test
    void maxConnectionsAdmitsExactlyTheLimitAndDropsTheRest() {
        int n = 20;
        AtomicInteger connections = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = listen(ServerOptions.builder().maxConnections(n / 2).build(), s -> {
            connections.incrementAndGet();
            s.write("hello");
        });
        server.on(Server.DROP, drops::add);
        List<EventLog> logs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket c = socketTo(server);
            EventLog log = EventLog.of(c);
            logs.add(log);
            c.connect();
            await().atMost(WAIT).until(() -> log.has("connect") || log.error() != null);
        }
        await().atMost(WAIT).until(() -> connections.get() + drops.size() == n);
        await().atMost(WAIT).until(() -> logs.stream().filter(l -> l.text().equals("hello")).count() == n / 2);
        assertEquals(n / 2, connections.get());
        assertEquals(n / 2, drops.size());
        await().atMost(WAIT).until(() -> logs.stream().filter(l -> l.has("close:false") || l.has("close:true")).count() == n / 2);
        for (EventLog log : logs) {
            boolean closed = log.has("close:false") || log.has("close:true");
            assertTrue(closed != log.text().equals("hello"), "a client either got the greeting or was dropped: " + log);
        }
    }

    /** test-net-server-drop-connections.js: DROP names both ends of the dropped connection. */
    @Test
    void dropNamesBothEndsOfTheDroppedConnection() {
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = listen(ServerOptions.builder().maxConnections(1).build(), s -> s.on(Socket.DATA, c -> { }));
        server.on(Server.DROP, drops::add);
        Socket first = socketTo(server);
        EventLog firstLog = EventLog.of(first);
        first.connect();
        await().atMost(WAIT).until(() -> firstLog.has("connect") && server.getConnections() == 1);
        socketTo(server).connect();
        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals(server.address(), drops.get(0).localAddress());
        assertEquals(Drop.Reason.MAX_CONNECTIONS, drops.get(0).reason());
        assertDroppedRemote(drops.get(0));
    }

    /**
     * No Node file (Java's blocking view): flushing the output stream of a socket that closed cleanly
     * has nothing left to send and must not throw.
     */
    @Test
    void outputStreamFlushAfterACleanCloseDoesNotThrow() throws Exception {
        Server server = listen(Socket::end);
        Socket client = socketTo(server);
        EventLog log = EventLog.of(client);
        client.connect();
        java.io.OutputStream out = client.outputStream();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:false"), log.toString()));
        out.flush();
    }

    /** The remote end of a dropped connection: a TCP peer always has one, an IPC client usually none. */
    protected void assertDroppedRemote(Drop drop) {
        assertNotNull(drop.remoteAddress(), drop.toString());
    }

    /** For subclasses: the ERROR a listen failure brings, failing if listen threw instead. */
    protected Throwable listenError(Server server, Endpoint endpoint) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        server.on(Server.ERROR, error::set);
        try {
            server.listen(endpoint);
        } catch (NetException thrown) {
            fail("listen threw instead of emitting Server.ERROR: " + thrown.getMessage());
        }
        await().atMost(WAIT).until(() -> error.get() != null);
        return error.get();
    }

    /** For subclasses: the ERROR of a connect to {@code endpoint}, and that CLOSE(true) followed it. */
    protected Throwable connectError(Endpoint endpoint, ConnectOptions options) {
        Socket client = socketTo(endpoint, options);
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true") || log.has("close:false"));
        assertFalse(log.has("connect"), log.toString());
        assertInstanceOf(NetException.class, log.error(), log.toString());
        return log.error();
    }
}
