package io.jnet.testing;

import io.jnet.ConnectOptions;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.ReadyState;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's stream-socket semantics, asserted over real sockets. Every transport module runs this suite
 * by extending it with its own endpoints, so TCP and IPC cannot drift apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SocketBehaviourSuite {
    private static final Duration WAIT = Duration.ofSeconds(20);

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

    protected Server listen(ServerOptions options, java.util.function.Consumer<Socket> onConnection) {
        Server server = Net.createServer(options, socket -> {
            sockets.add(socket);
            onConnection.accept(socket);
        });
        servers.add(server);
        server.listen(listenEndpoint());
        return server;
    }

    protected Server listen(java.util.function.Consumer<Socket> onConnection) {
        return listen(ServerOptions.defaults(), onConnection);
    }

    protected Server echoServer() {
        return listen(s -> {
            s.on(Socket.DATA, chunk -> {
                if (!s.write(chunk)) {
                    s.pause();
                }
            });
            s.on(Socket.DRAIN, s::resume);
            s.on(Socket.END, s::end);
        });
    }

    /** A socket to the server, not connected yet: attach listeners, then {@link Socket#connect()}. */
    protected Socket socketTo(Server server, ConnectOptions options) {
        Socket socket = Net.socket(server.address(), options);
        sockets.add(socket);
        return socket;
    }

    /** A connecting socket; for tests that do not watch CONNECT, ERROR or CLOSE before the first write. */
    protected Socket connect(Server server, ConnectOptions options) {
        return socketTo(server, options).connect();
    }

    protected Socket connect(Server server) {
        return connect(server, ConnectOptions.defaults());
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    @Test
    void echoFiresConnectDataEndCloseInOrderOnOneThread() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.write("hello");
        client.end();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "end", "close:false"), log.events());
        assertEquals("hello", log.text());
        assertTrue(log.eventsOnOneThread(), "every event of a socket fires on its loop thread");
        assertEquals(ReadyState.CLOSED, client.readyState());
    }

    @Test
    void listeningFiresOnceAndConnectionOncePerAcceptedSocket() {
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger listening = new AtomicInteger();
        Server server = Net.createServer(s -> {
            sockets.add(s); // a server's close() leaves its connections open (Node): we close them
            connections.incrementAndGet();
        });
        servers.add(server);
        server.on(Server.LISTENING, listening::incrementAndGet);
        server.listen(listenEndpoint());
        for (int i = 0; i < 3; i++) {
            connect(server);
        }
        await().atMost(WAIT).until(() -> connections.get() == 3);
        assertEquals(1, listening.get());
        assertEquals(3, server.getConnections());
    }

    @Test
    void listenTwiceIsAnErrorAndCloseIsIdempotentAndReportsNotRunningToACallback() {
        Server server = echoServer();
        NetException twice = assertThrows(NetException.class, () -> server.listen(listenEndpoint()));
        assertEquals(ErrorCode.ERR_SERVER_ALREADY_LISTEN, twice.code());
        server.close();
        server.close(); // idempotent, as AutoCloseable asks
        CompletableFuture<Throwable> notRunning = new CompletableFuture<>();
        server.close(notRunning::complete); // Node's close(callback) reports it instead
        NetException e = (NetException) notRunning.join();
        assertEquals(ErrorCode.ERR_SERVER_NOT_RUNNING, e.code());
        assertEquals("ERR_SERVER_NOT_RUNNING: Server is not running.", e.getMessage());
        assertTrue(Net.createServer().isListening() == false);
    }

    @Test
    void writesMadeBeforeConnectAreQueuedAndSentAfterIt() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        assertTrue(client.connecting() || client.readyState() == ReadyState.OPEN);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            client.write("line " + i + "\n");
            expected.append("line ").append(i).append('\n');
        }
        client.end();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(expected.toString(), log.text());
        assertEquals("connect", log.events().get(0));
    }

    @Test
    void writeCallbackRunsOnceBytesAreHandedToTheKernel() throws Exception {
        Server server = echoServer();
        Socket client = connect(server);
        CountDownLatch written = new CountDownLatch(2);
        client.write(utf8("a"), err -> written.countDown());
        client.write("b", err -> written.countDown());
        assertTrue(written.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2, client.bytesWritten());
    }

    @Test
    void bytesWrittenAndReadCountUtf8BytesOfMultiByteStrings() {
        AtomicReference<Socket> serverSide = new AtomicReference<>();
        Server server = listen(s -> {
            serverSide.set(s);
            s.on(Socket.DATA, chunk -> { });
        });
        Socket client = connect(server);
        String text = "héllo €𝄞";   // 1+2+1+1+1 + 1 + 3 + 4 = 14 bytes
        int utf8Length = text.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(14, utf8Length);
        client.write(text);
        await().atMost(WAIT).until(() -> serverSide.get() != null && serverSide.get().bytesRead() == utf8Length);
        assertEquals(utf8Length, client.bytesWritten());
    }

    // ---- half-close --------------------------------------------------------------------------------

    @Test
    void endsOwnSideAfterPeerEndsWhenHalfOpenNotAllowed() {
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(s -> serverLog.set(EventLog.of(s)));
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "end", "close:false"), log.events());
        await().atMost(WAIT).until(() -> serverLog.get().has("close:false"));
        assertEquals(List.of("end", "close:false"), serverLog.get().events());
    }

    @Test
    void keepsWritingAfterPeerEndsWhenHalfOpenAllowed() {
        int size = 1 << 20;
        Server server = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
            s.on(Socket.DATA, chunk -> { });
            s.on(Socket.END, () -> {
                assertEquals(ReadyState.WRITE_ONLY, s.readyState());
                for (int i = 0; i < size / 1024; i++) {
                    s.write(ByteBuffer.allocate(1024));
                }
                s.end();
            });
        });
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end("done");
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(size, log.dataBytes());
        assertEquals(List.of("connect", "end", "close:false"), log.events());
    }

    @Test
    void endWithDataWritesItThenHalfCloses() {
        AtomicReference<EventLog> serverLog = new AtomicReference<>();
        Server server = listen(s -> serverLog.set(EventLog.of(s)));
        Socket client = connect(server);
        client.on(Socket.DATA, chunk -> { });
        client.end("bye");
        await().atMost(WAIT).until(() -> serverLog.get() != null && serverLog.get().has("end"));
        assertEquals("bye", serverLog.get().text());
    }

    @Test
    void writeAfterEndIsAnErrorNeverASilentDrop() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        AtomicReference<Boolean> lateWrite = new AtomicReference<>();
        // On the loop, so the socket is certainly still open when the late write comes.
        client.on(Socket.CONNECT, () -> {
            client.end();
            lateWrite.set(client.write("late"));
        });
        client.connect();
        await().atMost(WAIT).untilAsserted(() -> assertTrue(log.has("close:true"), log.toString()));
        assertFalse(lateWrite.get());
        assertTrue(log.has("error:ERR_STREAM_WRITE_AFTER_END"), log.toString());
        assertTrue(log.error().getMessage().contains("write after end"), log.error().getMessage());
    }

    @Test
    void writeAfterEndFromAnotherThreadReturnsFalseAtOnce() {
        Server server = echoServer();
        Socket client = connect(server);
        client.end();
        assertFalse(client.write("late"));
    }

    // ---- destroy and close ---------------------------------------------------------------------------

    @Test
    void destroyClosesAtOnceWithoutError() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        client.destroy();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals(List.of("connect", "close:false"), log.events());
        assertTrue(client.isDestroyed());
    }

    @Test
    void destroyWithCauseFiresErrorThenCloseWithError() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        IOException cause = new IOException("application gave up");
        client.destroy(cause);
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("connect", "error:IOException", "close:true"), log.events());
        assertSame(cause, log.error());
    }

    @Test
    void closeFiresExactlyOnceAndNothingFiresAfterIt() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.write("x");
        await().atMost(WAIT).until(() -> log.dataBytes() == 1);
        client.destroy();
        client.destroy(new IOException("again"));
        client.end();
        client.write("after close");
        client.setTimeout(Duration.ofMillis(10));
        await().atMost(WAIT).until(() -> log.has("close:false"));
        // A round trip through the loop: anything queued by the calls above has run by then.
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        client.executor().execute(() -> barrier.complete(null));
        barrier.join();
        List<String> events = log.events();
        assertEquals(1, log.count("close:false") + log.count("close:true"), events.toString());
        assertEquals("close:false", events.get(events.size() - 1));
    }

    @Test
    void listenerThatThrowsDestroysOnlyItsOwnSocket() {
        AtomicInteger n = new AtomicInteger();
        Server server = listen(s -> {
            boolean first = n.getAndIncrement() == 0;
            s.on(Socket.DATA, chunk -> {
                if (first) {
                    throw new IllegalStateException("listener bug");
                }
                s.write(chunk);
            });
        });
        Socket bad = socketTo(server, ConnectOptions.defaults());
        EventLog badLog = EventLog.of(bad);
        bad.connect();
        bad.write("x");
        await().atMost(WAIT).until(() -> badLog.has("close:false") || badLog.has("close:true"));
        Socket good = socketTo(server, ConnectOptions.defaults());
        EventLog goodLog = EventLog.of(good);
        good.connect();
        good.write("still serving");
        await().atMost(WAIT).until(() -> goodLog.text().equals("still serving"));
    }

    @Test
    void unhandledErrorIsLoggedAndTheSocketDestroyed() {
        Server server = echoServer();
        Socket client = connect(server);
        AtomicReference<Boolean> closed = new AtomicReference<>();
        client.on(Socket.CLOSE, closed::set);
        client.on(Socket.CONNECT, () -> { });
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            client.destroy(new IOException("nobody listens for this"));
            await().atMost(WAIT).until(() -> closed.get() != null);
        } finally {
            System.setErr(original);
        }
        assertTrue(closed.get());
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("unhandled 'error' event") && logged.contains("nobody listens for this"), logged);
    }

    // ---- flow control ------------------------------------------------------------------------------

    @Test
    void writeReturnsFalseAtHighWaterMarkAndDrainFiresWhenQueueEmpties() {
        Server server = listen(s -> s.on(Socket.DATA, chunk -> { }));
        Socket client = socketTo(server, ConnectOptions.builder().highWaterMark(1024).build());
        EventLog log = EventLog.withoutData(client);
        client.connect();
        assertFalse(client.write(ByteBuffer.allocate(4 << 20)), "4 MiB is over a 1 KiB high-water mark");
        await().atMost(WAIT).until(() -> log.has("drain"));
        assertEquals(0, client.writableLength());
        assertEquals(4 << 20, client.bytesWritten());
    }

    @Test
    void pauseStopsDataUntilResumeAndThePeerFeelsBackPressure() {
        AtomicReference<Socket> serverSide = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        Server server = listen(ServerOptions.builder().pauseOnConnect(true).build(), s -> {
            s.on(Socket.DATA, chunk -> received.addAndGet(chunk.remaining()));
            serverSide.set(s);
        });
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.withoutData(client);
        client.connect();
        long total = 64L << 20;
        for (int i = 0; i < 64; i++) {
            client.write(ByteBuffer.allocate(1 << 20));
        }
        // The kernel takes what fits in its buffers; the rest must wait in our queue.
        await().atMost(WAIT).until(() -> client.bytesWritten() > 0 && client.writableLength() > 0);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> received.get() == 0);
        assertTrue(serverSide.get().isPaused());
        // bytesWritten() counts queued bytes too, as Node's does: what reached the kernel is the difference.
        assertTrue(client.bytesWritten() - client.writableLength() < total, "a paused reader must push back on the writer");
        serverSide.get().resume();
        await().atMost(WAIT).until(() -> received.get() == total);
        await().atMost(WAIT).until(() -> log.has("drain"));
    }

    @Test
    void writerHonouringBackPressureStaysWithinOneHighWaterMarkPlusOneChunk() {
        long total = 1L << 30;
        int chunk = 64 * 1024;
        AtomicLong maxQueued = new AtomicLong();
        Server server = listen(s -> {
            ByteBuffer data = ByteBuffer.allocate(chunk);
            long[] sent = {0};
            Runnable pump = new Runnable() {
                @Override
                public void run() {
                    while (sent[0] < total) {
                        sent[0] += chunk;
                        boolean more = s.write(data.duplicate());
                        maxQueued.accumulateAndGet(s.writableLength(), Math::max);
                        if (!more) {
                            return;
                        }
                    }
                    s.end();
                }
            };
            s.on(Socket.DRAIN, pump);
            pump.run();
        });
        Socket client = socketTo(server, ConnectOptions.defaults());
        AtomicLong received = new AtomicLong();
        AtomicBoolean pausedOnce = new AtomicBoolean();
        client.on(Socket.DATA, c -> {
            if (received.addAndGet(c.remaining()) > (64 << 20) && pausedOnce.compareAndSet(false, true)) {
                client.pause();
                CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(client::resume);
            }
        });
        EventLog log = EventLog.withoutData(client);
        client.connect();
        await().atMost(Duration.ofSeconds(50)).until(() -> log.has("close:false"));
        assertEquals(total, received.get());
        assertTrue(pausedOnce.get());
        assertTrue(maxQueued.get() <= 64 * 1024 + chunk, "queued at most one high-water mark plus one chunk but saw " + maxQueued.get());
    }

    @Test
    void bytesWrittenAndEndedInsideADrainListenerAllArriveBeforeTheEnd() {
        AtomicReference<Socket> serverSide = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        Server server = listen(ServerOptions.builder().pauseOnConnect(true).build(), s -> {
            s.on(Socket.DATA, c -> received.addAndGet(c.remaining()));
            s.on(Socket.END, () -> ended.set(true));
            serverSide.set(s);
        });
        Socket client = socketTo(server, ConnectOptions.defaults());
        int half = 8 << 20;
        AtomicBoolean drained = new AtomicBoolean();
        client.on(Socket.DRAIN, () -> {
            if (drained.compareAndSet(false, true)) {
                // Large enough that the kernel cannot take it at once: the queue is not empty after this.
                client.write(ByteBuffer.allocate(half));
                client.end();
            }
        });
        client.connect();
        assertFalse(client.write(ByteBuffer.allocate(half)));
        await().atMost(WAIT).until(() -> serverSide.get() != null && client.bytesWritten() > 0);
        serverSide.get().resume();
        await().atMost(WAIT).until(ended::get);
        assertEquals(2L * half, received.get());
    }

    // ---- timeouts ----------------------------------------------------------------------------------

    @Test
    void timeoutFiresAfterInactivityAndLeavesTheSocketOpen() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.setTimeout(Duration.ofMillis(200));
        await().atMost(WAIT).until(() -> log.has("timeout"));
        assertFalse(client.isDestroyed());
        client.write("still open");
        await().atMost(WAIT).until(() -> log.text().equals("still open"));
    }

    @Test
    void timeoutZeroDisablesIt() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.setTimeout(Duration.ofMillis(150));
        client.setTimeout(Duration.ZERO);
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> !log.has("timeout"));
    }

    // ---- server ------------------------------------------------------------------------------------

    @Test
    void serverCloseStopsAcceptingAtOnceAndClosesAfterItsLastConnection() {
        Server server = echoServer();
        AtomicBoolean serverClosed = new AtomicBoolean();
        server.on(Server.CLOSE, () -> serverClosed.set(true));
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.write("ping");
        await().atMost(WAIT).until(() -> log.text().equals("ping"));
        assertEquals(1, server.getConnections());
        Endpoint address = server.address();
        server.close();
        assertFalse(server.isListening());
        Socket late = Net.socket(address, ConnectOptions.defaults());
        sockets.add(late);
        EventLog lateLog = EventLog.of(late);
        late.connect();
        await().atMost(WAIT).until(() -> lateLog.has("close:true"));
        assertFalse(lateLog.has("connect"), lateLog.toString());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !serverClosed.get());
        client.end();
        await().atMost(WAIT).until(serverClosed::get);
        assertEquals(0, server.getConnections());
    }

    /**
     * close() must free the listening socket before it returns: the JDK keeps a closed channel's descriptor
     * listening until its selector selects again, and a handshake completed in that window would be
     * accepted by the kernel and reset later instead of refused.
     */
    @Test
    void aConnectMadeRightAfterCloseReturnsIsRefusedEveryTime() {
        for (int round = 0; round < 20; round++) {
            Server server = echoServer();
            Endpoint address = server.address();
            server.close();
            Socket late = Net.socket(address, ConnectOptions.defaults());
            sockets.add(late);
            EventLog lateLog = EventLog.of(late);
            late.connect();
            await().atMost(WAIT).until(() -> lateLog.has("close:true"));
            assertFalse(lateLog.has("connect"), "round " + round + ": " + lateLog);
        }
    }

    @Test
    void connectionsOverMaxConnectionsAreDroppedWithDrop() {
        Server server = echoServer();
        server.setMaxConnections(1);
        List<Drop> drops = new CopyOnWriteArrayList<>();
        server.on(Server.DROP, drops::add);
        Socket first = socketTo(server, ConnectOptions.defaults());
        EventLog firstLog = EventLog.of(first);
        first.connect();
        first.write("1");
        await().atMost(WAIT).until(() -> firstLog.text().equals("1"));
        Socket second = socketTo(server, ConnectOptions.defaults());
        EventLog secondLog = EventLog.of(second);
        second.connect();
        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals(Drop.Reason.MAX_CONNECTIONS, drops.get(0).reason());
        await().atMost(WAIT).until(() -> secondLog.has("close:false") || secondLog.has("close:true"));
        assertEquals(1, server.getConnections());
    }

    // ---- integrity ---------------------------------------------------------------------------------

    @Test
    void sixtyFourMebibytesRoundTripWithEqualSha256WhateverTheChunking() throws Exception {
        byte[] data = new byte[64 << 20];
        new Random(42).nextBytes(data);
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        AtomicLong count = new AtomicLong();
        client.on(Socket.DATA, chunk -> {
            count.addAndGet(chunk.remaining());
            received.update(chunk);
        });
        EventLog log = EventLog.withoutData(client);
        client.connect();
        Random sizes = new Random(7);
        int[] offset = {0};
        Runnable pump = () -> {
            while (offset[0] < data.length) {
                int n = Math.min(data.length - offset[0], 1 + sizes.nextInt(200_000));
                boolean more = client.write(ByteBuffer.wrap(data, offset[0], n));
                offset[0] += n;
                if (!more) {
                    return;
                }
            }
            client.end();
        };
        client.on(Socket.DRAIN, pump);
        client.executor().execute(pump);
        await().atMost(Duration.ofSeconds(50)).until(() -> log.has("close:false") || log.has("close:true"));
        if (log.error() != null) {
            throw new AssertionError("the round trip failed: " + log, log.error());
        }
        assertEquals(List.of("end", "close:false"), log.events().subList(log.events().size() - 2, log.events().size()));
        assertEquals(data.length, count.get());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.digest());
    }

    // ---- borrowed reads ---------------------------------------------------------------------------

    /** An echo that writes back the lent view; with {@code relay} it writes to a second socket instead. */
    private Server borrowedEchoServer() {
        return listen(s -> {
            s.on(Socket.DATA_BORROWED, view -> {
                if (!s.write(view)) {
                    s.pause();
                }
            });
            s.on(Socket.DRAIN, s::resume);
            s.on(Socket.END, s::end);
        });
    }

    /** Sends {@code data} in random pieces honouring back-pressure, ends, and checks what comes back. */
    private void roundTrip(Socket client, byte[] data, Event<Socket, ByteBuffer> readWith) throws Exception {
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        AtomicLong count = new AtomicLong();
        client.on(readWith, chunk -> {
            count.addAndGet(chunk.remaining());
            received.update(chunk);
        });
        EventLog log = EventLog.withoutData(client);
        client.connect();
        Random sizes = new Random(11);
        int[] offset = {0};
        Runnable pump = () -> {
            while (offset[0] < data.length) {
                int n = Math.min(data.length - offset[0], 1 + sizes.nextInt(200_000));
                boolean more = client.write(ByteBuffer.wrap(data, offset[0], n));
                offset[0] += n;
                if (!more) {
                    return;
                }
            }
            client.end();
        };
        client.on(Socket.DRAIN, pump);
        client.executor().execute(pump);
        await().atMost(Duration.ofSeconds(40)).until(() -> log.has("close:false") || log.has("close:true"));
        if (log.error() != null) {
            throw new AssertionError("the round trip failed: " + log, log.error());
        }
        assertEquals(data.length, count.get());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.digest());
    }

    @Test
    void borrowedViewsEchoedBackUnderBackPressureLoseAndRepeatNothing() throws Exception {
        // 32 MiB against a 16 KiB high-water mark: the echo's writes are often only partly accepted, so the
        // remainder of a lent view must be copied before the loop reuses its buffer.
        byte[] data = new byte[32 << 20];
        new Random(43).nextBytes(data);
        Server server = borrowedEchoServer();
        roundTrip(socketTo(server, ConnectOptions.builder().highWaterMark(16 * 1024).build()), data, Socket.DATA_BORROWED);
    }

    @Test
    void aBorrowedViewRelayedToASocketOnAnotherThreadArrivesIntact() throws Exception {
        // A proxy: each view read from the client is written to a second connection, whose loop may be
        // another thread; the view must be copied at write() since the lender reuses it right after.
        byte[] data = new byte[8 << 20];
        new Random(44).nextBytes(data);
        Server echo = echoServer();
        // Half-open: the client's END must not end the proxy's reply side while the echo is still answering.
        Server proxy = listen(ServerOptions.builder().allowHalfOpen(true).build(), front -> {
            front.pause();
            Socket back = Net.socket(echo.address(), ConnectOptions.defaults());
            sockets.add(back);
            front.on(Socket.DATA_BORROWED, view -> {
                if (!back.write(view)) {
                    front.pause();
                }
            });
            back.on(Socket.DRAIN, front::resume);
            back.on(Socket.DATA_BORROWED, view -> {
                if (!front.write(view)) {
                    back.pause();
                }
            });
            front.on(Socket.DRAIN, back::resume);
            front.on(Socket.END, back::end);
            back.on(Socket.END, front::end);
            back.on(Socket.ERROR, front::destroy);
            back.connect(front::resume);
        });
        roundTrip(socketTo(proxy, ConnectOptions.defaults()), data, Socket.DATA);
    }

    @Test
    void borrowedAndOwnedListenersSeeTheSameBytesAndTheViewIsReadOnly() {
        Server server = echoServer();
        Socket client = socketTo(server, ConnectOptions.defaults());
        StringBuilder lent = new StringBuilder();
        StringBuilder owned = new StringBuilder();
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicInteger writableViews = new AtomicInteger();
        client.on(Socket.DATA, chunk -> {
            order.add("data");
            owned.append(StandardCharsets.UTF_8.decode(chunk));
        });
        client.on(Socket.DATA_BORROWED, view -> {
            order.add("borrowed");
            if (!view.isReadOnly()) {
                writableViews.incrementAndGet();
            }
            lent.append(StandardCharsets.UTF_8.decode(view));
        });
        client.connect();
        client.end(utf8("héllo, borrowed"));
        await().atMost(WAIT).until(() -> owned.toString().equals("héllo, borrowed"));
        assertEquals("héllo, borrowed", lent.toString());
        assertEquals(0, writableViews.get());
        assertEquals("borrowed", order.get(0), "borrowed listeners run before DATA: " + order);
    }

    @Test
    void aThousandConcurrentClientsEachEchoOneMebibyteIntact() throws Exception {
        int clients = 1000;
        int size = 1 << 20;
        byte[] shared = new byte[size * 2];
        new Random(1).nextBytes(shared);
        Server server = echoServer();
        AtomicInteger verified = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < clients; i++) {
            int offset = (i * 7919) % size;
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(shared, offset, offset + size));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Socket c = connect(server);
            int id = i;
            long[] got = {0};
            c.on(Socket.DATA, chunk -> {
                got[0] += chunk.remaining();
                digest.update(chunk);
            });
            c.on(Socket.ERROR, e -> failures.add(id + ": " + e));
            c.on(Socket.CLOSE, hadError -> {
                if (got[0] == size && java.util.Arrays.equals(expected, digest.digest())) {
                    verified.incrementAndGet();
                } else {
                    failures.add(id + ": got " + got[0] + " bytes, digest match? no");
                }
            });
            int[] sent = {0};
            Runnable pump = () -> {
                while (sent[0] < size) {
                    int n = Math.min(64 * 1024, size - sent[0]);
                    boolean more = c.write(ByteBuffer.wrap(shared, offset + sent[0], n));
                    sent[0] += n;
                    if (!more) {
                        return;
                    }
                }
                c.end();
            };
            c.on(Socket.DRAIN, pump);
            c.executor().execute(pump);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> verified.get() + failures.size() == clients);
        assertEquals(List.of(), failures);
        assertEquals(clients, verified.get());
    }

    // ---- blocking views ----------------------------------------------------------------------------

    @Test
    void slowInputStreamReaderPausesTheSocketAndLosesNothing() throws Exception {
        long total = 16L << 20;
        Server server = listen(s -> {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long[] sent = {0};
            Runnable pump = () -> {
                while (sent[0] < total) {
                    sent[0] += chunk.capacity();
                    if (!s.write(chunk.duplicate())) {
                        return;
                    }
                }
                s.end();
            };
            s.on(Socket.DRAIN, pump);
            pump.run();
        });
        Socket client = connect(server);
        InputStream in = client.inputStream();
        await().atMost(WAIT).until(client::isPaused);
        assertTrue(in.available() <= 2 * client.writableHighWaterMark(), "buffered " + in.available());
        byte[] buf = new byte[8192];
        long read = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            read += n;
        }
        assertEquals(total, read);
    }

    @Test
    void outputStreamBlocksAboveHighWaterMarkAndCloseEndsTheSocket() throws Exception {
        AtomicReference<Socket> serverSide = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        Server server = listen(ServerOptions.builder().pauseOnConnect(true).allowHalfOpen(true).build(), s -> {
            s.on(Socket.DATA, c -> received.addAndGet(c.remaining()));
            s.on(Socket.END, () -> ended.set(true));
            serverSide.set(s);
        });
        Socket client = connect(server, ConnectOptions.builder().highWaterMark(64 * 1024).build());
        OutputStream out = client.outputStream();
        long total = 32L << 20;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            byte[] block = new byte[16 * 1024];
            try {
                for (long w = 0; w < total; w += block.length) {
                    out.write(block);
                }
                out.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The reader is paused, so the writer must end up blocked with a bounded queue.
        await().atMost(WAIT).until(() -> client.writableLength() > 0 && client.bytesWritten() > 0);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !writer.isDone());
        assertTrue(client.writableLength() <= 64 * 1024 + 16 * 1024, "queued " + client.writableLength());
        serverSide.get().resume();
        writer.get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> ended.get() && received.get() == total);
    }

    @Test
    void errorsAreNetExceptionsWithCodes() {
        Server server = echoServer();
        Endpoint address = server.address();
        server.close();
        Socket late = Net.socket(address, ConnectOptions.defaults());
        EventLog log = EventLog.of(late);
        late.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertInstanceOf(NetException.class, log.error());
        assertTrue(log.error().getMessage().contains(address.toString()) || log.error().getMessage().contains("connect"),
                log.error().getMessage());
    }

    /** For subclasses: the events of a new connection to a server that echoes. */
    protected List<String> roundTrip(Server server, String text) {
        Socket client = socketTo(server, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end(text);
        await().atMost(WAIT).until(() -> log.has("close:false") || log.has("close:true"));
        List<String> out = new ArrayList<>(log.events());
        out.add("text:" + log.text());
        return out;
    }
}
