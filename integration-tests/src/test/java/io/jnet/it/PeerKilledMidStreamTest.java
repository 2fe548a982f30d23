package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.it.peer.EchoServerPeer;
import io.jnet.it.peer.FirehosePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A peer killed with SIGKILL ({@code kill -9}) in the middle of a transfer, Node or a second JVM, over
 * TCP and IPC. jnet's side must see {@code END} or {@code ECONNRESET} ({@code EPIPE} too while it was
 * writing), then {@code CLOSE}, within {@link #CLOSE_WITHIN} of the kill; and every byte it received
 * must be the {@link TestBytes} pattern from the start: a prefix of what was sent, checked on arrival.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerKilledMidStreamTest {
    /** The peers stop by themselves after this many bytes; the test kills them long before. */
    private static final long BOUND = 64L << 30;
    private static final long KILL_AFTER = 4 << 20;
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    /** Who is killed: Node's {@code net} or jnet in another JVM, each as a streaming client and as an echo server. */
    enum Peer {
        NODE {
            @Override
            ChildProcess firehose(Endpoint target) {
                assumeTrue(NodeInteropTest.nodeAvailable(), "node is not on PATH");
                return ChildProcess.node("firehose.js", target.toString(), String.valueOf(BOUND));
            }

            @Override
            ChildProcess echoServer(Wire wire, Path dir) {
                assumeTrue(NodeInteropTest.nodeAvailable(), "node is not on PATH");
                return ChildProcess.node("echo-server.js", wire.nodeListenArgument(dir));
            }
        },
        JVM {
            @Override
            ChildProcess firehose(Endpoint target) {
                return ChildProcess.java(FirehosePeer.class, target.toString(), String.valueOf(BOUND));
            }

            @Override
            ChildProcess echoServer(Wire wire, Path dir) {
                return ChildProcess.java(EchoServerPeer.class, wire.listenArgument(dir));
            }
        };

        /** A client that connects to {@code target} and sends the pattern until killed; prints {@code connected}. */
        abstract ChildProcess firehose(Endpoint target);

        /** An echo server; prints {@code listening on ADDRESS}. */
        abstract ChildProcess echoServer(Wire wire, Path dir);
    }

    static Stream<Arguments> peersAndWires() {
        return Stream.of(Peer.values()).flatMap(p -> Stream.of(Wire.values()).map(w -> Arguments.of(p, w)));
    }

    @TempDir
    Path dir;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private Server server;

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        if (server != null && server.isListening()) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("peersAndWires")
    void aPeerKilledWhileStreamingToUsEndsOrResetsThenClosesAndWhatArrivedIsAPrefix(Peer peer, Wire wire) throws Exception {
        CompletableFuture<Receiver> accepted = new CompletableFuture<>();
        server = Net.createServer(s -> {
            sockets.add(s);
            accepted.complete(new Receiver(s));
        });
        server.listen(wire.listenEndpoint(dir));
        try (ChildProcess firehose = peer.firehose(server.address())) {
            Receiver receiver = accepted.get(30, TimeUnit.SECONDS);
            receiver.killAfter(KILL_AFTER, firehose);
            receiver.assertEndedWithinBound(List.of(List.of("end", "close:false"), List.of("error:ECONNRESET", "close:true")));
            assertTrue(receiver.received.get() < BOUND, "killed mid-stream, not after the peer's last byte");
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("peersAndWires")
    void aPeerKilledWhileEchoingOurStreamEndsOrResetsThenClosesAndWhatCameBackIsAPrefix(Peer peer, Wire wire) throws Exception {
        try (ChildProcess echo = peer.echoServer(wire, dir)) {
            String line = echo.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Socket client = Net.socket(Endpoint.parse(line.substring("listening on ".length())), ConnectOptions.defaults());
            sockets.add(client);
            Receiver receiver = new Receiver(client);
            // The pattern repeats every 251 bytes: one block of 251 * 256 sent again and again is the
            // pattern at any length. The block is never changed, so the socket may keep every wrap of it.
            byte[] block = TestBytes.pattern(251 * 256);
            AtomicLong written = new AtomicLong();
            Runnable pump = () -> {
                while (written.get() < BOUND && receiver.ending.isEmpty()) {
                    written.addAndGet(block.length);
                    if (!client.write(ByteBuffer.wrap(block))) {
                        return; // DRAIN calls again
                    }
                }
            };
            client.on(Socket.CONNECT, pump);
            client.on(Socket.DRAIN, pump);
            client.connect();
            receiver.killAfter(KILL_AFTER, echo);
            receiver.assertEndedWithinBound(List.of(List.of("end", "close:false"), List.of("error:ECONNRESET", "close:true"),
                    List.of("error:EPIPE", "close:true")));
            assertTrue(receiver.received.get() <= written.get(), "more came back than was sent");
        }
    }

    /** Our side of the stream: checks every byte against the pattern on arrival and records how it ended. */
    private static final class Receiver {
        final AtomicLong received = new AtomicLong();
        final List<String> ending = new CopyOnWriteArrayList<>();
        private final CountDownLatch pastKillPoint = new CountDownLatch(1);
        private final byte[] copy = new byte[64 * 1024];
        private volatile long killPoint = Long.MAX_VALUE;
        private volatile long firstMismatch = -1;
        private volatile long closedAt;
        private long killedAt;
        private long receivedAtKill;

        Receiver(Socket socket) {
            socket.on(Socket.DATA_BORROWED, chunk -> {
                long at = received.get();
                while (chunk.hasRemaining()) {
                    int n = Math.min(copy.length, chunk.remaining());
                    chunk.get(copy, 0, n);
                    long bad = TestBytes.firstMismatch(copy, 0, n, at);
                    if (bad >= 0 && firstMismatch < 0) {
                        firstMismatch = bad;
                    }
                    at += n;
                }
                received.set(at);
                if (at >= killPoint) {
                    pastKillPoint.countDown();
                }
            });
            socket.on(Socket.END, () -> ending.add("end"));
            socket.on(Socket.ERROR, e -> ending.add("error:" + (e instanceof NetException ne ? ne.code().name() : String.valueOf(e))));
            socket.on(Socket.CLOSE, hadError -> {
                closedAt = System.nanoTime();
                ending.add("close:" + hadError);
            });
        }

        /** Waits until {@code bytes} have arrived, then kills {@code peer} with SIGKILL. */
        void killAfter(long bytes, ChildProcess peer) throws InterruptedException {
            killPoint = bytes;
            if (received.get() < bytes) {
                assertTrue(pastKillPoint.await(30, TimeUnit.SECONDS), "only " + received.get() + " bytes from " + peer.description()
                        + " in 30 s\nstderr: " + peer.stderr());
            }
            killedAt = System.nanoTime();
            receivedAtKill = received.get();
            peer.kill();
        }

        /** Asserts CLOSE came within the bound after the kill, with one of the {@code allowed} endings, and no byte was wrong. */
        void assertEndedWithinBound(List<List<String>> allowed) {
            await().atMost(CLOSE_WITHIN).until(() -> closedAt != 0);
            assertEquals(-1, firstMismatch, "the byte at this offset is not the pattern's");
            assertTrue(allowed.contains(ending), "a killed peer is END or a reset, then CLOSE: " + ending);
            System.out.printf("killed at %.1f MiB received: %s after %d ms, %.1f MiB in all%n", receivedAtKill / 1048576.0, ending,
                    TimeUnit.NANOSECONDS.toMillis(closedAt - killedAt), received.get() / 1048576.0);
        }
    }
}
