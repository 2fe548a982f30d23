package io.jnet.testing;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node {@code net} parity on the socket side (issue 14): text with {@code setEncoding}, {@code pipe},
 * {@code end(cb)}, {@code destroySoon}, {@code setTimeout(ms, cb)}, {@code pending}, the address
 * families, and the sticky futures. Run for every transport.
 */
public abstract class SocketParitySuite {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** A fresh endpoint to listen on: port 0 on loopback, or a new path in a temp directory. */
    protected abstract Endpoint listenEndpoint();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        servers.forEach(Server::close);
    }

    private Server listen(ServerOptions options, Consumer<Socket> onConnection) {
        Server server = Net.createServer(options, socket -> {
            sockets.add(socket);
            onConnection.accept(socket);
        });
        servers.add(server);
        server.listen(listenEndpoint());
        return server;
    }

    private Server listen(Consumer<Socket> onConnection) {
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

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---- text ---------------------------------------------------------------------------------------

    /**
     * The server sends the first part, waits until the client has read it (the client answers "k"), then
     * sends the rest: two reads on the client whatever the kernel would have coalesced.
     */
    private List<String> textInTwoReads(Charset charset, byte[] first, byte[] second, List<Integer> chunkSizes)
            throws Exception {
        Server server = listen(s -> {
            s.write(first);
            s.once(Socket.DATA, ack -> s.end(ByteBuffer.wrap(second)));
        });
        Socket client = socketTo(server);
        client.setEncoding(charset);
        List<String> pieces = new CopyOnWriteArrayList<>();
        client.on(Socket.TEXT, pieces::add);
        client.on(Socket.DATA, chunk -> {
            chunkSizes.add(chunk.remaining());
            if (chunkSizes.size() == 1) {
                client.write("k");
            }
        });
        client.connect();
        assertFalse(get(client.closed()));
        return pieces;
    }

    @Test
    void aUtf8CharacterSplitAcrossTwoWritesArrivesWhole() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        List<Integer> chunks = new CopyOnWriteArrayList<>();
        List<String> pieces = textInTwoReads(StandardCharsets.UTF_8,
                new byte[] {'a', euro[0], euro[1]}, new byte[] {euro[2], 'b'}, chunks);
        assertEquals(List.of(3, 2), chunks, "the character's bytes came in two reads");
        assertEquals(List.of("a", "€b"), pieces);
    }

    @Test
    void aCharacterSplitInAnotherCharsetArrivesWhole() throws Exception {
        Charset sjis = Charset.forName("Shift_JIS");
        byte[] bytes = "日本".getBytes(sjis);
        List<Integer> chunks = new CopyOnWriteArrayList<>();
        List<String> pieces = textInTwoReads(sjis, new byte[] {bytes[0], bytes[1], bytes[2]},
                new byte[] {bytes[3]}, chunks);
        assertEquals(List.of(3, 1), chunks);
        assertEquals("日本", String.join("", pieces));
        assertEquals("日", pieces.get(0));
    }

    @Test
    void aCharacterThePeerLeavesUnfinishedArrivesAsOneReplacementBeforeEnd() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        Server server = listen(s -> s.end(ByteBuffer.wrap(new byte[] {'x', euro[0], euro[1]})));
        Socket client = socketTo(server);
        List<String> events = new CopyOnWriteArrayList<>();
        client.on(Socket.TEXT, t -> events.add("text:" + t));
        client.on(Socket.END, () -> events.add("end"));
        client.connect();
        get(client.closed());
        assertEquals("x\uFFFD", String.join("", events.stream().filter(e -> e.startsWith("text:"))
                .map(e -> e.substring(5)).toList()));
        assertEquals("end", events.get(events.size() - 1));
    }

    @Test
    void writeWithACharsetSendsThoseBytes() throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<Long> ended = new CompletableFuture<>();
        Server server = listen(s -> {
            s.setEncoding(StandardCharsets.ISO_8859_1);
            s.on(Socket.TEXT, text::append);
            s.on(Socket.END, () -> ended.complete(s.bytesRead()));
        });
        Socket writer = socketTo(server);
        writer.connect();
        writer.write("héllo", StandardCharsets.ISO_8859_1);
        writer.end();
        assertEquals(5, get(ended), "one byte per character in ISO-8859-1");
        assertEquals("héllo", text.toString());
    }

    // ---- pipe ---------------------------------------------------------------------------------------

    /** client → proxy (pipes both ways) → echo (pipes to itself). */
    private Server proxyTo(Server backend) {
        return listen(front -> {
            Socket back = Net.createConnection(backend.address());
            sockets.add(back);
            front.pipe(back);
            back.pipe(front);
            front.on(Socket.CLOSE, e -> back.destroy());
            back.on(Socket.CLOSE, e -> front.destroy());
        });
    }

    /**
     * Node's back-pressure pattern in a 'connection' listener: {@code if (!write(b)) once(DRAIN, done)}.
     * The listener runs on the server's loop, the socket (with more than one loop) mostly on another;
     * this listener does some work between its write and its once(DRAIN), long enough for the
     * socket's loop to hand the whole MiB to a client that reads and to fire DRAIN, if it were allowed
     * to start before the listener returns. DRAIN must still reach the listener, as in
     * Node, where 'drain' never fires before the listener has returned. (It did not: DRAIN fired in
     * between and the connection waited forever; one run in a few dozen of a two-JVM message exchange.)
     */
    @Test
    void aConnectionListenerThatListensForDrainAfterItsWriteGetsIt() throws Exception {
        int connections = 4; // round-robin over the group's loops: some land on another loop than the server's
        byte[] mib = new byte[1 << 20];
        AtomicInteger done = new AtomicInteger();
        Server server = listen(s -> {
            CountDownLatch written = new CountDownLatch(1);
            boolean more = s.write(ByteBuffer.wrap(mib), e -> written.countDown()); // true if the kernel took it all
            try {
                // The listener's own work, bounded: here, until its write has completed if that can
                // happen before it returns (it must not: Node calls write callbacks later, too).
                written.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runnable finish = () -> {
                done.incrementAndGet();
                s.end();
            };
            if (more) {
                finish.run();
            } else {
                s.once(Socket.DRAIN, finish);
            }
        });
        List<Socket> clients = new ArrayList<>();
        List<AtomicLong> received = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket client = socketTo(server);
            AtomicLong bytes = new AtomicLong();
            client.on(Socket.DATA, chunk -> bytes.addAndGet(chunk.remaining()));
            client.connect();
            clients.add(client);
            received.add(bytes);
        }
        for (int i = 0; i < connections; i++) {
            assertFalse(get(clients.get(i).closed()), "connection " + i + " closed without an error");
            assertEquals(mib.length, received.get(i).get(), "bytes connection " + i + " received");
        }
        assertEquals(connections, done.get(), "every listener went on, after its write or its DRAIN");
    }

    @Test
    void twentyMegabytesThroughAProxyChainComeBackIntactByChecksum() throws Exception {
        Server echo = listen(s -> s.pipe(s));
        Server proxy = proxyTo(echo);
        int total = 20 * 1024 * 1024;
        byte[] block = new byte[64 * 1024];
        new Random(14).nextBytes(block);
        CRC32 sentCrc = new CRC32();
        for (int i = 0; i < total / block.length; i++) {
            sentCrc.update(block);
        }
        CRC32 receivedCrc = new CRC32();
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> allBack = new CompletableFuture<>();
        Socket client = socketTo(proxy);
        client.on(Socket.DATA_BORROWED, view -> {
            received.addAndGet(view.remaining());
            receivedCrc.update(view);
            if (received.get() == total) {
                allBack.complete(null);
            }
        });
        int[] sentBlocks = {0};
        Runnable pump = () -> {
            while (sentBlocks[0] < total / block.length) {
                sentBlocks[0]++;
                if (!client.write(ByteBuffer.wrap(block).asReadOnlyBuffer())) {
                    return; // DRAIN calls again
                }
            }
        };
        client.on(Socket.DRAIN, pump);
        client.connect(pump);
        get(allBack);
        assertEquals(sentCrc.getValue(), receivedCrc.getValue());
        client.end();
        assertFalse(get(client.closed()));
    }

    @Test
    void aSlowDestinationPausesThePipeSoTheProxysQueueStaysBounded() throws Exception {
        AtomicReference<Socket> slow = new AtomicReference<>();
        Server backend = listen(s -> {
            s.pause(); // reads nothing until told: the kernel's buffers fill, then the proxy's queue
            slow.set(s);
        });
        AtomicReference<Socket> proxyBack = new AtomicReference<>();
        AtomicLong maxQueued = new AtomicLong();
        Server proxy = listen(front -> {
            Socket back = Net.createConnection(backend.address());
            sockets.add(back);
            proxyBack.set(back);
            front.pipe(back);
            // After the pipe's own listener: what the proxy holds for the slow side once each chunk is written.
            front.on(Socket.DATA_BORROWED, view -> maxQueued.accumulateAndGet(back.writableLength(), Math::max));
        });
        // More than the kernels' buffers hold between client and backend (loopback TCP autotunes them to
        // several MiB each; Unix sockets keep them small), so the chain must stop with bytes left over.
        int total = (tcp() ? 32 : 8) * 1024 * 1024;
        byte[] payload = new byte[total];
        new Random(7).nextBytes(payload);
        Socket client = socketTo(proxy);
        client.connect();
        client.write(payload); // all at once: the client's own queue holds what the chain refuses
        await().atMost(WAIT).until(() -> slow.get() != null && proxyBack.get() != null);
        // Stuck: nothing moves any more, and most of it is still in the client's queue.
        AtomicLong lastQueued = new AtomicLong(-1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            long q = client.writableLength();
            return q == lastQueued.getAndSet(q);
        });
        long bound = proxyBack.get().writableHighWaterMark() + 64 * 1024;
        assertTrue(maxQueued.get() <= bound, "the proxy queued " + maxQueued.get() + " bytes for a paused peer; bound " + bound);
        assertTrue(proxyBack.get().writableLength() <= bound);
        assertTrue(client.writableLength() > 0, "back-pressure reached the client");

        CRC32 got = new CRC32();
        AtomicLong n = new AtomicLong();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Socket s = slow.get();
        s.executor().execute(() -> {
            s.on(Socket.DATA_BORROWED, view -> {
                n.addAndGet(view.remaining());
                got.update(view);
                if (n.get() == total) {
                    all.complete(null);
                }
            });
            s.resume();
        });
        get(all);
        CRC32 want = new CRC32();
        want.update(payload);
        assertEquals(want.getValue(), got.getValue());
    }

    @Test
    void pipeEndsTheDestinationWhenTheSourceEndsUnlessToldNotTo() throws Exception {
        for (boolean end : new boolean[] {true, false}) {
            CompletableFuture<Boolean> backendSawEnd = new CompletableFuture<>();
            Server backend = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
                s.on(Socket.DATA, c -> { });
                s.on(Socket.END, () -> backendSawEnd.complete(true));
            });
            Server proxy = listen(ServerOptions.builder().allowHalfOpen(true).build(), front -> {
                Socket back = Net.createConnection(backend.address());
                sockets.add(back);
                front.pipe(back, end);
            });
            Socket client = socketTo(proxy);
            client.connect();
            client.end("bye");
            if (end) {
                assertTrue(get(backendSawEnd));
            } else {
                await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !backendSawEnd.isDone());
            }
        }
    }

    // ---- end(cb), destroySoon, timeouts, pending, families --------------------------------------------

    @Test
    void endWithDataAndACallbackSendsTheBytesThenTellsOnceTheFinIsSent() throws Exception {
        CompletableFuture<String> serverGot = new CompletableFuture<>();
        Server server = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
            StringBuilder text = new StringBuilder();
            s.on(Socket.TEXT, text::append);
            s.on(Socket.END, () -> serverGot.complete(text.toString()));
        });
        Socket client = socketTo(server);
        client.connect();
        CompletableFuture<Throwable> finished = new CompletableFuture<>();
        client.end("héllo, end", finished::complete); // Node's socket.end(data, cb)
        assertNull(get(finished));
        assertEquals("héllo, end", get(serverGot));
    }

    @Test
    void endCallbackRunsOnceTheFinIsSentAndWithAnErrorAfterDestroy() throws Exception {
        CompletableFuture<Void> serverSawEnd = new CompletableFuture<>();
        Server server = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
            s.on(Socket.DATA, c -> { });
            s.on(Socket.END, () -> serverSawEnd.complete(null));
        });
        Socket client = socketTo(server);
        client.connect();
        CompletableFuture<Throwable> finished = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        client.write(new byte[100_000]);
        client.end(err -> {
            calls.incrementAndGet();
            finished.complete(err);
        });
        assertNull(get(finished));
        get(serverSawEnd);
        CompletableFuture<Throwable> again = new CompletableFuture<>();
        client.end(again::complete);
        assertNull(get(again), "the FIN was already sent");

        client.destroy();
        get(client.closed());
        CompletableFuture<Throwable> afterDestroy = new CompletableFuture<>();
        client.end(afterDestroy::complete);
        assertEquals(ErrorCode.ERR_STREAM_DESTROYED, ((NetException) get(afterDestroy)).code());
        assertEquals(1, calls.get());
    }

    /**
     * test-net-end-without-connect.js, as Node v20 does it (Node 25's file expects the callback at once):
     * end(cb) on a socket never connected leaves the callback waiting and the socket no longer writable;
     * the write after it fails and takes the end callback, ERROR and CLOSE with it, in Node v20's order.
     */
    @Test
    void endOnASocketNeverConnectedWaitsAndAWriteAfterItFailsBothCallbacks() throws Exception {
        Server server = listen(s -> { });
        Socket never = socketTo(server);
        List<String> events = new CopyOnWriteArrayList<>();
        never.on(Socket.ERROR, e -> events.add("error:" + ((NetException) e).code()));
        never.on(Socket.CLOSE, hadError -> events.add("close:" + hadError));
        never.end(err -> events.add("end:" + (err == null ? null : ((NetException) err).code())));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(events::isEmpty);

        assertFalse(never.write("x", err -> events.add("write:" + ((NetException) err).code())));
        assertTrue(get(never.closed()));
        assertEquals(List.of("write:ERR_STREAM_WRITE_AFTER_END", "end:ERR_STREAM_WRITE_AFTER_END",
                "error:ERR_STREAM_WRITE_AFTER_END", "close:true"), events);
    }

    @Test
    void destroySoonSendsEverythingThenClosesWithoutWaitingForThePeer() throws Exception {
        AtomicLong got = new AtomicLong();
        CompletableFuture<Void> serverSawEnd = new CompletableFuture<>();
        Server server = listen(ServerOptions.builder().allowHalfOpen(true).build(), s -> {
            s.on(Socket.DATA, c -> got.addAndGet(c.remaining()));
            s.on(Socket.END, () -> serverSawEnd.complete(null)); // and never ends its own side
        });
        Socket client = socketTo(server);
        client.connect();
        client.write(new byte[1_000_000]);
        client.destroySoon();
        assertFalse(get(client.closed()));
        get(serverSawEnd);
        assertEquals(1_000_000, got.get());
    }

    @Test
    void setTimeoutWithACallbackRunsItOnceAndTimeoutReportsTheDuration() throws Exception {
        Server server = listen(s -> { });
        Socket client = socketTo(server);
        assertEquals(Duration.ZERO, client.timeout());
        AtomicInteger fired = new AtomicInteger();
        CompletableFuture<Void> timedOut = new CompletableFuture<>();
        client.setTimeout(Duration.ofMillis(100), () -> {
            fired.incrementAndGet();
            timedOut.complete(null);
        });
        assertEquals(Duration.ofMillis(100), client.timeout());
        client.connect();
        get(timedOut);
        assertFalse(client.isDestroyed(), "a timeout only notifies");
        Runnable never = () -> fired.addAndGet(100);
        client.setTimeout(Duration.ofMillis(50), never);
        client.setTimeout(Duration.ZERO, never);
        assertEquals(Duration.ZERO, client.timeout());
        CompletableFuture<Void> fence = new CompletableFuture<>();
        client.executor().execute(() -> fence.complete(null));
        get(fence);
        assertEquals(1, fired.get());
    }

    @Test
    void pendingUntilConnectedAndAgainOnceClosedAsNode() throws Exception {
        Server server = listen(s -> { });
        Socket client = socketTo(server);
        assertTrue(client.pending());
        client.connect();
        get(client.connected());
        assertFalse(client.pending());
        client.destroy();
        get(client.closed());
        assertTrue(client.pending());
    }

    @Test
    void familiesAreIpv4OrIpv6ForTcpAndNullForIpc() throws Exception {
        Server server = listen(s -> { });
        Socket client = socketTo(server);
        assertNull(client.remoteFamily());
        client.connect();
        get(client.connected());
        if (tcp()) {
            assertEquals("IPv4", client.localFamily());
            assertEquals("IPv4", client.remoteFamily());
        } else {
            assertNull(client.localFamily());
            assertNull(client.remoteFamily());
        }
    }

    @Test
    void readableLengthCountsWhatWaitsForAConsumer() throws Exception {
        Server server = listen(s -> s.write(new byte[1000]));
        Socket client = socketTo(server);
        client.connect(); // no DATA listener: what arrives waits in the socket
        await().atMost(WAIT).until(() -> client.readableLength() == 1000);
        get(client.next(Socket.DATA));
        assertEquals(0, client.readableLength());
    }

    // ---- cork ------------------------------------------------------------------------------------------

    /** Runs {@code task} on the socket's loop (Node's one thread: no event interleaves) and returns its answer. */
    private static <T> T onLoop(Socket socket, java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        socket.executor().execute(() -> {
            try {
                done.complete(task.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return get(done);
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A server whose accepted sockets append every byte they read to {@code received}, one entry per chunk. */
    private Server collecting(List<String> received) {
        return listen(s -> s.on(Socket.DATA, c -> received.add(StandardCharsets.UTF_8.decode(c).toString())));
    }

    /**
     * Node's writable cork (run on Node v20: two corks, writes "aa" and "bb" answer true, writableLength
     * and bytesWritten are 4 at once; one uncork leaves writableCorked 1 and nothing sent; the second
     * sends both, the peer reads "aabb", then the callbacks run; a third uncork is harmless).
     */
    @Test
    void corkedWritesWaitForTheLastUncorkThenLeaveTogether() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Server server = collecting(received);
        Socket client = socketTo(server);
        client.connect();
        get(client.connected());
        List<String> callbacks = new CopyOnWriteArrayList<>();
        String afterWrites = onLoop(client, () -> {
            client.cork();
            client.cork();
            boolean first = client.write(utf8("aa"), e -> callbacks.add("aa:" + e));
            boolean second = client.write(utf8("bb"), e -> callbacks.add("bb:" + e));
            String seen = first + " " + second + " corked=" + client.writableCorked()
                    + " length=" + client.writableLength() + " written=" + client.bytesWritten();
            client.uncork();
            return seen + " | corked=" + client.writableCorked() + " length=" + client.writableLength();
        });
        assertEquals("true true corked=2 length=4 written=4 | corked=1 length=4", afterWrites);
        await().during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> received.isEmpty() && callbacks.isEmpty());
        String afterUncork = onLoop(client, () -> {
            client.uncork();
            client.uncork(); // one more than was corked: nothing to undo
            return "corked=" + client.writableCorked();
        });
        assertEquals("corked=0", afterUncork);
        await().atMost(WAIT).until(() -> String.join("", received).equals("aabb") && callbacks.size() == 2);
        assertEquals(List.of("aa:null", "bb:null"), callbacks);
        assertEquals(List.of("aabb"), received, "one write, so the peer reads them in one piece");
        assertEquals(0, client.writableLength());
    }

    /**
     * Writes that a cork held leave in one write on every transport, so the peer reads each batch in
     * one piece: over IPC junixsocket's gathering write takes only its first buffer, and before jnet
     * staged small buffers into one, 20 writes left as 20 system calls and the peer read them in pieces.
     */
    @Test
    void thirtyCorkedBatchesOfTwentySmallWritesEachArriveInOneRead() throws Exception {
        List<Integer> reads = new CopyOnWriteArrayList<>();
        Server server = listen(s -> s.on(Socket.DATA, c -> reads.add(c.remaining())));
        Socket client = socketTo(server);
        client.connect();
        get(client.connected());
        for (int round = 1; round <= 30; round++) {
            int before = reads.size();
            onLoop(client, () -> {
                client.cork();
                for (int i = 0; i < 20; i++) {
                    client.write(new byte[100 + i]);
                }
                client.uncork();
                return null;
            });
            await().atMost(WAIT).until(() -> reads.subList(before, reads.size()).stream().mapToInt(Integer::intValue).sum() == 2190);
            assertEquals(List.of(2190), List.copyOf(reads.subList(before, reads.size())), "round " + round);
        }
    }

    /** Node's end() uncorks: what was corked goes out, then end's own data, then the FIN (Node v20: "ccdd"). */
    @Test
    void endUncorksSoTheCorkedBytesGoOutBeforeTheFin() throws Exception {
        StringBuilder received = new StringBuilder();
        CompletableFuture<String> atEnd = new CompletableFuture<>();
        Server server = listen(s -> {
            s.on(Socket.DATA, c -> received.append(StandardCharsets.UTF_8.decode(c)));
            s.on(Socket.END, () -> atEnd.complete(received.toString()));
        });
        Socket client = socketTo(server);
        client.connect();
        get(client.connected());
        int corkedAfterEnd = onLoop(client, () -> {
            client.cork();
            client.cork();
            client.write("cc");
            client.end(ByteBuffer.wrap("dd".getBytes(StandardCharsets.UTF_8)));
            client.cork(); // after end(): nothing left to hold back, and the FIN must not wait
            return client.writableCorked();
        });
        assertEquals(0, corkedAfterEnd);
        assertEquals("ccdd", get(atEnd));
    }

    /**
     * Corked writes count against the high-water mark as any other (Node v20, highWaterMark 16: 10 bytes
     * true, 10 more false, writableLength 20); DRAIN comes once the uncorked queue is sent, and not before.
     */
    @Test
    void corkedWritesOverTheHighWaterMarkAnswerFalseAndDrainFollowsTheUncork() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Server server = collecting(received);
        Socket client = Net.socket(server.address(), ConnectOptions.builder().highWaterMark(16).build());
        sockets.add(client);
        AtomicInteger drains = new AtomicInteger();
        client.on(Socket.DRAIN, drains::incrementAndGet);
        client.connect();
        get(client.connected());
        String answers = onLoop(client, () -> {
            client.cork();
            boolean first = client.write(ByteBuffer.allocate(10));
            boolean second = client.write(ByteBuffer.allocate(10));
            return first + " " + second + " length=" + client.writableLength();
        });
        assertEquals("true false length=20", answers);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> drains.get() == 0 && received.isEmpty());
        client.uncork();
        await().atMost(WAIT).until(() -> drains.get() == 1);
        assertEquals(0, client.writableLength());
        await().atMost(WAIT).until(() -> received.stream().mapToInt(String::length).sum() == 20);
    }

    /**
     * test-net-socket-byteswritten.js: writes corked before connect count in bytesWritten at once (7: "twø"
     * is 4 bytes), stay queued through CONNECT while corked, and leave on uncork (Node v20: "onetwø").
     */
    @Test
    void writesCorkedBeforeConnectCountAtOnceAndLeaveOnUncork() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Server server = collecting(received);
        Socket client = socketTo(server);
        CompletableFuture<String> atConnect = new CompletableFuture<>();
        client.on(Socket.CONNECT, () -> atConnect.complete(
                "corked=" + client.writableCorked() + " length=" + client.writableLength()));
        String beforeConnect = onLoop(client, () -> {
            client.cork();
            client.write("one");
            client.write("twø");
            client.connect();
            return "written=" + client.bytesWritten() + " length=" + client.writableLength();
        });
        assertEquals("written=7 length=7", beforeConnect);
        assertEquals("corked=1 length=7", get(atConnect));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(received::isEmpty);
        client.uncork();
        await().atMost(WAIT).until(() -> String.join("", received).equals("onetwø"));
        assertEquals(7, client.bytesWritten());
    }

    /** A corked write whose socket is destroyed: its callback gets ERR_STREAM_DESTROYED (Node v20), once. */
    @Test
    void destroyWhileCorkedFailsTheHeldWritesWithStreamDestroyed() throws Exception {
        Server server = collecting(new CopyOnWriteArrayList<>());
        Socket client = socketTo(server);
        client.connect();
        get(client.connected());
        List<Throwable> results = new CopyOnWriteArrayList<>();
        onLoop(client, () -> {
            client.cork();
            client.write(utf8("x"), results::add);
            client.destroy();
            return null;
        });
        await().atMost(WAIT).until(() -> results.size() == 1);
        assertInstanceOf(NetException.class, results.get(0));
        assertEquals(ErrorCode.ERR_STREAM_DESTROYED, ((NetException) results.get(0)).code());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> results.size() == 1);
    }

    // ---- futures ------------------------------------------------------------------------------------

    @Test
    void connectedAndClosedAreStickyWhenAskedAfterTheFact() throws Exception {
        Server server = listen(Socket::end);
        Socket client = Net.createConnection(server.address()); // may connect before the next line
        sockets.add(client);
        assertTrue(get(client.connected()) == client);
        assertFalse(get(client.closed()));
        assertTrue(client.connected().isDone());
        assertFalse(client.closed().getNow(true));
    }

    @Test
    void connectedFailsWithTheConnectErrorAndWithErrSocketClosedWhenDestroyedFirst() throws Exception {
        Server server = listen(s -> { });
        Endpoint gone = server.address();
        CompletableFuture<Throwable> serverClosed = new CompletableFuture<>();
        server.close(serverClosed::complete);
        get(serverClosed);
        Socket refused = Net.socket(gone, ConnectOptions.defaults()); // listeners first: the refusal may come at once
        refused.on(Socket.ERROR, e -> { });
        refused.connect();
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(refused.connected()));
        NetException cause = assertInstanceOf(NetException.class, failure.getCause());
        assertTrue(cause.code() == ErrorCode.ECONNREFUSED || cause.code() == ErrorCode.ENOENT, cause.toString());
        assertTrue(get(refused.closed()));

        Socket never = Net.socket(gone, ConnectOptions.defaults());
        never.destroy();
        failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> get(never.connected()));
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, ((NetException) failure.getCause()).code());
        assertFalse(get(never.closed()));
    }

    @Test
    void nextGivesTheNextValueAndFailsWhenTheSocketClosesFirst() throws Exception {
        Server server = listen(s -> s.write("hello", StandardCharsets.UTF_8));
        Socket client = socketTo(server);
        client.connect();
        assertEquals("hello", get(client.next(Socket.TEXT)));
        CompletableFuture<Void> drain = client.next(Socket.DRAIN);
        client.destroy();
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(drain));
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, ((NetException) failure.getCause()).code());
        // Asked after CLOSE: fails at once rather than waiting for ever; next(CLOSE) is closed().
        failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(client.next(Socket.DATA)));
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, ((NetException) failure.getCause()).code());
        assertFalse(get(client.next(Socket.CLOSE)));
    }

    @Test
    void everyFutureCompletesExactlyOnceWhenPeersCloseAtRandomMoments() throws Exception {
        int count = 200;
        Random random = new Random(200);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            Server server = listen(s -> {
                s.on(Socket.ERROR, e -> { });
                s.write(new byte[random.nextInt(4096)]);
                int ms = random.nextInt(30);
                if (ms % 3 == 0) {
                    s.destroy();
                } else {
                    Runnable close = ms % 3 == 1 ? s::destroy : s::end;
                    timers.schedule(close, ms, TimeUnit.MILLISECONDS);
                }
            });
            AtomicInteger[] completions = new AtomicInteger[count];
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                AtomicInteger done = completions[i] = new AtomicInteger();
                Socket client = Net.createConnection(server.address());
                sockets.add(client);
                client.on(Socket.ERROR, e -> { });
                if (i % 10 == 0) {
                    client.destroy(); // some never connect
                }
                List<CompletableFuture<?>> mine = List.of(client.connected(), client.closed(),
                        client.next(Socket.END), client.next(Socket.DATA), client.next(Socket.CLOSE));
                for (CompletableFuture<?> f : mine) {
                    all.add(f.whenComplete((v, e) -> done.incrementAndGet()));
                }
                if (i % 7 == 0) {
                    Runnable destroy = client::destroy;
                    timers.schedule(destroy, random.nextInt(30), TimeUnit.MILLISECONDS);
                }
            }
            CompletableFuture.allOf(all.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertEquals(5, completions[i].get(), "socket " + i);
            }
        } finally {
            timers.shutdownNow();
        }
    }
}
