package io.jnet.testing;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.codec.FrameTooLargeException;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MessageChannel} over real sockets. A transport module runs it by extending it with its own
 * endpoints, as it does {@code SocketBehaviourSuite}:
 *
 * <pre>{@code
 * class TcpMessageChannelTest extends MessageChannelSocketScenarios {
 *     protected Endpoint listenEndpoint() { return Endpoint.tcp("127.0.0.1", 0); }
 * }
 * }</pre>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class MessageChannelSocketScenarios {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long TIMEOUT_S = 20;

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

    // ---- scenarios -------------------------------------------------------------------------------

    @Test
    void lengthPrefixedMessagesOfRandomSizesComeBackWholeAndInOrderThroughAnEchoServer() throws Exception {
        Server server = listen(ServerOptions.defaults(), this::echoMessages);
        Random random = new Random(17);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] m = new byte[random.nextInt(8) == 0 ? random.nextInt(256 * 1024) : random.nextInt(100)];
            random.nextBytes(m);
            sent.add(m);
        }
        Socket client = socketTo(server, ConnectOptions.defaults());
        MessageChannel channel = MessageChannel.lengthPrefixed(client, 256 * 1024);
        List<byte[]> received = new CopyOnWriteArrayList<>();
        channel.on(MessageChannel.MESSAGE, m -> received.add(bytes(m)));
        client.connect();
        sendAllHonouringBackPressure(channel, sent);

        await().atMost(WAIT).until(() -> received.size() == sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i), "message " + i);
        }
    }

    @Test
    void linesArriveWholeWhenThePeerWritesThemOneByteAtATimeWithCrLfEndings() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Server server = listen(ServerOptions.defaults(), s -> MessageChannel.lines(s, 64)
                .on(MessageChannel.MESSAGE, m -> lines.add(StandardCharsets.UTF_8.decode(m).toString())));
        Socket raw = connect(server);
        byte[] wire = "{\"a\":1}\r\n\nh\u00e9\u20ac\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : wire) {
            raw.write(new byte[] {b});
        }
        await().atMost(WAIT).until(() -> lines.size() == 3);
        assertEquals(List.of("{\"a\":1}", "", "hé€"), lines);
    }

    @Test
    void aFrameOverTheLimitDestroysTheSocketWithErrorThenCloseNamingLimitAndLength() throws Exception {
        List<Object> serverEvents = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        Server server = listen(ServerOptions.defaults(), s -> {
            MessageChannel channel = MessageChannel.lengthPrefixed(s, 1024);
            channel.on(MessageChannel.MESSAGE, m -> serverEvents.add("message"));
            s.on(Socket.ERROR, serverEvents::add);
            s.on(Socket.CLOSE, hadError -> serverEvents.add("close " + hadError));
        });
        Socket raw = connect(server);
        raw.on(Socket.CLOSE, clientClosed::complete);
        raw.on(Socket.DATA, chunk -> { }); // read, so the server's close reaches this side
        raw.on(Socket.ERROR, e -> { }); // the reset, if the transport reports one, is expected
        raw.write(ByteBuffer.allocate(4).putInt(1025).flip()); // the header alone: refused before any payload

        await().atMost(WAIT).until(() -> serverEvents.size() == 2);
        FrameTooLargeException e = assertInstanceOf(FrameTooLargeException.class, serverEvents.get(0));
        assertEquals(ErrorCode.ERR_FRAME_TOO_LARGE, e.code());
        assertEquals(1025, e.length());
        assertEquals(1024, e.maxFrameSize());
        assertTrue(e.address() != null && e.getMessage().endsWith(e.address()), e.getMessage()); // names the peer
        assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
        assertEquals("close true", serverEvents.get(1));
        clientClosed.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Test
    void anOverlongLineIsRefusedBeforeItsEndArrives() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Server server = listen(ServerOptions.defaults(), s -> {
            MessageChannel.lines(s, 100).on(MessageChannel.MESSAGE, m -> { });
            s.on(Socket.ERROR, error::complete);
        });
        Socket raw = connect(server);
        raw.on(Socket.ERROR, e -> { });
        raw.write(new byte[200]); // no '\n', and none will come

        FrameTooLargeException e = assertInstanceOf(FrameTooLargeException.class, error.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertTrue(e.isLowerBound());
        assertTrue(e.length() > 100);
    }

    @Test
    void thePeerEndingInsideAFrameIsAnErrorNotASilentDrop() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        CompletableFuture<Boolean> closed = new CompletableFuture<>();
        Server server = listen(ServerOptions.defaults(), s -> {
            MessageChannel.lengthPrefixed(s, 1024).on(MessageChannel.MESSAGE, m -> { });
            s.on(Socket.ERROR, error::complete);
            s.on(Socket.CLOSE, closed::complete);
        });
        Socket raw = connect(server);
        raw.on(Socket.ERROR, e -> { });
        raw.end(ByteBuffer.allocate(7).putInt(10).put(new byte[] {1, 2, 3}).flip());

        NetException e = assertInstanceOf(NetException.class, error.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(ErrorCode.ERR_FRAME_TRUNCATED, e.code());
        assertTrue(e.getMessage().contains("7 bytes"), e.getMessage());
        assertTrue(closed.get(TIMEOUT_S, TimeUnit.SECONDS));
    }

    @Test
    void sendReturnsFalseAtTheHighWaterMarkAndDrainFollowsOnceThePeerReads() throws Exception {
        CompletableFuture<MessageChannel> serverSide = new CompletableFuture<>();
        Server server = listen(ServerOptions.builder().highWaterMark(64 * 1024).build(),
                s -> serverSide.complete(MessageChannel.lengthPrefixed(s, 1 << 20)));
        Socket client = socketTo(server, ConnectOptions.defaults());
        MessageChannel clientChannel = MessageChannel.lengthPrefixed(client, 1 << 20);
        AtomicInteger received = new AtomicInteger();
        client.connect();
        MessageChannel channel = serverSide.get(TIMEOUT_S, TimeUnit.SECONDS);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        channel.socket().on(Socket.DRAIN, () -> drained.complete(null));

        // The client is not reading yet (no MESSAGE listener), so the server's queue must fill.
        byte[] message = new byte[16 * 1024];
        int sent = 0;
        boolean accepted = true;
        while (accepted && sent < 4096) {
            accepted = channel.send(message);
            sent++;
        }
        assertFalse(accepted, "send never reported the high-water mark");

        clientChannel.on(MessageChannel.MESSAGE, m -> received.incrementAndGet());
        drained.get(TIMEOUT_S, TimeUnit.SECONDS);
        int expected = sent;
        await().atMost(WAIT).until(() -> received.get() == expected);
    }

    @Test
    void messagesSentBeforeTheFirstListenerIsAddedAreNotLost() throws Exception {
        CompletableFuture<Void> allWritten = new CompletableFuture<>();
        Server server = listen(ServerOptions.defaults(), s -> {
            MessageChannel channel = MessageChannel.lines(s, 64);
            for (int i = 0; i < 99; i++) {
                channel.send("line " + i);
            }
            channel.send(ByteBuffer.wrap("line 99".getBytes(StandardCharsets.UTF_8)), written -> allWritten.complete(null));
        });
        Socket client = connect(server);
        allWritten.get(TIMEOUT_S, TimeUnit.SECONDS); // every byte is with the client's kernel before it listens

        List<String> lines = new CopyOnWriteArrayList<>();
        MessageChannel.lines(client, 64).on(MessageChannel.MESSAGE, m -> lines.add(StandardCharsets.UTF_8.decode(m).toString()));
        await().atMost(WAIT).until(() -> lines.size() == 100);
        assertEquals("line 0", lines.get(0));
        assertEquals("line 99", lines.get(99));
    }

    @Test
    void aMessageListenerThatThrowsDestroysTheSocketWithItsException() throws Exception {
        IllegalStateException bug = new IllegalStateException("listener bug");
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        Server server = listen(ServerOptions.defaults(), s -> {
            MessageChannel.lines(s, 64).on(MessageChannel.MESSAGE, m -> {
                throw bug;
            });
            s.on(Socket.ERROR, error::complete);
        });
        Socket raw = connect(server);
        raw.on(Socket.ERROR, e -> { });
        raw.write("boom\n");
        assertSame(bug, error.get(TIMEOUT_S, TimeUnit.SECONDS));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Echoes every length-prefixed message, pausing the socket while its queue is full. */
    private void echoMessages(Socket s) {
        MessageChannel channel = MessageChannel.lengthPrefixed(s, 256 * 1024);
        channel.on(MessageChannel.MESSAGE, m -> {
            if (!channel.send(m)) {
                s.pause();
            }
        });
        s.on(Socket.DRAIN, s::resume);
    }

    /** Sends from this thread, waiting for DRAIN whenever send says the queue is full. */
    private static void sendAllHonouringBackPressure(MessageChannel channel, List<byte[]> messages) throws Exception {
        for (byte[] m : messages) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            Runnable onDrain = () -> drained.complete(null);
            channel.socket().once(Socket.DRAIN, onDrain);
            if (channel.send(m)) {
                channel.socket().off(Socket.DRAIN, onDrain);
            } else {
                drained.get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
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

    private Socket socketTo(Server server, ConnectOptions options) {
        Socket socket = Net.socket(server.address(), options);
        sockets.add(socket);
        return socket;
    }

    private Socket connect(Server server) {
        return socketTo(server, ConnectOptions.defaults()).connect();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
