package io.jnet.testing;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.codec.FrameTooLargeException;
import io.jnet.codec.MessageChannel;
import io.jnet.codec.RequestChannel;
import io.jnet.codec.RequestFailedException;
import io.jnet.codec.RequestOptions;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RequestChannel} (and {@link MessageChannel}'s text and blocking views) over real sockets; a
 * transport module runs it by extending it with its endpoints, as {@link MessageChannelSocketScenarios}.
 * The misbehaving peers write the wire format by hand, byte for byte.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RequestChannelSocketScenarios {
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

    // ---- requests and replies --------------------------------------------------------------------

    @Test
    void repliesCompletedInReverseOrderReachTheRequestsThatAskedForThem() throws Exception {
        List<CompletableFuture<ByteBuffer>> held = new CopyOnWriteArrayList<>();
        List<ByteBuffer> requests = new CopyOnWriteArrayList<>();
        Server server = listen(s -> RequestChannel.of(s).onRequestAsync(request -> {
            CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
            requests.add(request);
            held.add(reply);
            return reply;
        }));
        RequestChannel client = RequestChannel.of(connect(server));
        List<CompletableFuture<ByteBuffer>> replies = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            replies.add(client.request(text("q" + i)));
        }
        await().atMost(WAIT).until(() -> held.size() == 64);
        assertEquals(64, client.inFlight());
        for (int i = 63; i >= 0; i--) {
            held.get(i).complete(text("a:" + string(requests.get(i))));
        }
        for (int i = 0; i < 64; i++) {
            assertEquals("a:q" + i, string(replies.get(i).get(TIMEOUT_S, TimeUnit.SECONDS)));
        }
        assertEquals(0, client.inFlight());
    }

    @Test
    void smallAndLargeRequestsInFlightTogetherComeBackWholeFromALoopThreadHandler() throws Exception {
        // The handler answers on the loop, where replies are gathered into one write per turn: small
        // ones copied together, large ones written as they are, all in order.
        Server server = listen(s -> RequestChannel.of(s).onRequest(r -> r));
        RequestChannel client = RequestChannel.of(connect(server));
        Random random = new Random(16);
        List<byte[]> sent = new ArrayList<>();
        List<CompletableFuture<ByteBuffer>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] m = new byte[i % 10 == 0 ? 16 * 1024 + random.nextInt(100_000) : random.nextInt(200)];
            random.nextBytes(m);
            sent.add(m);
            replies.add(client.request(ByteBuffer.wrap(m)));
        }
        for (int i = 0; i < sent.size(); i++) {
            ByteBuffer reply = replies.get(i).get(TIMEOUT_S, TimeUnit.SECONDS);
            byte[] got = new byte[reply.remaining()];
            reply.get(got);
            assertArrayEquals(sent.get(i), got, "reply " + i);
        }
    }

    @Test
    void bothSidesAskAndAnswerOverOneConnectionAndOneWayMessagesPassBetween() throws Exception {
        CompletableFuture<RequestChannel> serverSide = new CompletableFuture<>();
        List<String> serverMessages = new CopyOnWriteArrayList<>();
        Server server = listen(s -> serverSide.complete(RequestChannel.of(s)
                .onRequest(r -> text("server saw " + string(r)))
                .on(RequestChannel.MESSAGE, m -> serverMessages.add(string(m)))));
        RequestChannel client = RequestChannel.of(connect(server)).onRequest(r -> text("client saw " + string(r)));

        assertEquals("server saw ping", string(client.request(text("ping")).get(TIMEOUT_S, TimeUnit.SECONDS)));
        RequestChannel back = serverSide.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("client saw pong", string(back.request(text("pong")).get(TIMEOUT_S, TimeUnit.SECONDS)));
        assertTrue(client.send(text("one-way")));
        await().atMost(WAIT).until(() -> serverMessages.equals(List.of("one-way")));
    }

    @Test
    void aHandlerThatThrowsOrFailsItsStageGivesTheRequesterItsMessage() throws Exception {
        Server server = listen(s -> RequestChannel.of(s).onRequestAsync(r -> {
            if (string(r).equals("throw")) {
                throw new IllegalArgumentException("no such key: throw");
            }
            return CompletableFuture.failedFuture(new IllegalStateException("store offline"));
        }));
        RequestChannel client = RequestChannel.of(connect(server));

        RequestFailedException thrown = failure(RequestFailedException.class, client.request(text("throw")));
        assertEquals("no such key: throw", thrown.remoteMessage());
        assertEquals(ErrorCode.ERR_REQUEST_FAILED, thrown.code());
        assertTrue(thrown.getMessage().contains("request " + thrown.id()) && thrown.address() != null, thrown.getMessage());
        RequestFailedException failed = failure(RequestFailedException.class, client.request(text("fail")));
        assertEquals("store offline", failed.remoteMessage());
    }

    @Test
    void aRequestWithoutAHandlerIsRefusedSayingSo() throws Exception {
        Server server = listen(s -> RequestChannel.of(s).on(RequestChannel.MESSAGE, m -> { }));
        RequestChannel client = RequestChannel.of(connect(server));
        RequestFailedException e = failure(RequestFailedException.class, client.request(text("anyone?")));
        assertTrue(e.remoteMessage().startsWith("no request handler"), e.remoteMessage());
    }

    @Test
    void aRequestTimesOutNamingItsIdAndItsLateReplyIsDroppedWhileTheChannelGoesOn() throws Exception {
        List<CompletableFuture<ByteBuffer>> held = new CopyOnWriteArrayList<>();
        Server server = listen(s -> RequestChannel.of(s).onRequestAsync(r -> {
            if (string(r).equals("slow")) {
                CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
                held.add(reply);
                return reply;
            }
            return CompletableFuture.completedFuture(text("fast"));
        }));
        List<NetException> strays = new CopyOnWriteArrayList<>();
        RequestChannel client = RequestChannel.of(connect(server)).on(RequestChannel.STRAY_REPLY, strays::add);

        NetException timedOut = failure(NetException.class, client.request(text("slow"), Duration.ofMillis(100)));
        assertEquals(ErrorCode.ETIMEDOUT, timedOut.code());
        assertTrue(timedOut.getMessage().contains("request 1 within 100 ms"), timedOut.getMessage());
        assertEquals(0, client.inFlight());

        held.get(0).complete(text("too late"));
        await().atMost(WAIT).until(() -> strays.size() == 1);
        NetException stray = strays.get(0);
        assertEquals(ErrorCode.ERR_UNKNOWN_REQUEST_ID, stray.code());
        assertTrue(stray.getMessage().contains("REPLY to request 1 arrived after the request's timeout of 100 ms"),
                stray.getMessage());
        assertEquals("fast", string(client.request(text("next")).get(TIMEOUT_S, TimeUnit.SECONDS)));
    }

    @Test
    void aReplyWithAnUnknownIdIsDroppedNamingTheIdAndTheRealReplyStillArrives() throws Exception {
        Server server = listen(s -> {
            MessageChannel raw = MessageChannel.lengthPrefixed(s, 1024);
            raw.on(MessageChannel.MESSAGE, request -> {
                int id = request.getInt(request.position() + 1);
                raw.send(body(2, 999, "who asked?"));
                raw.send(body(2, id, "answer"));
            });
        });
        List<NetException> strays = new CopyOnWriteArrayList<>();
        RequestChannel client = RequestChannel.of(connect(server)).on(RequestChannel.STRAY_REPLY, strays::add);
        assertEquals("answer", string(client.request(text("q")).get(TIMEOUT_S, TimeUnit.SECONDS)));
        await().atMost(WAIT).until(() -> strays.size() == 1);
        assertTrue(strays.get(0).getMessage().contains("REPLY to request 999, which is not pending"), strays.get(0).getMessage());
        assertTrue(strays.get(0).getMessage().endsWith(strays.get(0).address()), "names the peer");
    }

    @Test
    void requestsPastMaxInFlightFailAtOnceWithNothingSentAndRoomReturnsWithTheReplies() throws Exception {
        List<CompletableFuture<ByteBuffer>> held = new CopyOnWriteArrayList<>();
        Server server = listen(s -> RequestChannel.of(s).onRequestAsync(r -> {
            CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
            held.add(reply);
            return reply;
        }));
        RequestChannel client = RequestChannel.of(connect(server), RequestOptions.defaults().withMaxInFlight(2));
        CompletableFuture<ByteBuffer> first = client.request(text("1"));
        client.request(text("2"));
        NetException refused = failure(NetException.class, client.request(text("3")));
        assertEquals(ErrorCode.ERR_TOO_MANY_REQUESTS, refused.code());
        assertTrue(refused.getMessage().contains("2 requests are already in flight"), refused.getMessage());

        await().atMost(WAIT).until(() -> held.size() == 2);
        held.get(0).complete(text("one"));
        assertEquals("one", string(first.get(TIMEOUT_S, TimeUnit.SECONDS)));
        CompletableFuture<ByteBuffer> third = client.request(text("3 again"));
        await().atMost(WAIT).until(() -> held.size() == 3); // only two were ever sent before it
        held.get(2).complete(text("three"));
        assertEquals("three", string(third.get(TIMEOUT_S, TimeUnit.SECONDS)));
    }

    @Test
    void theAnsweringSideStopsReadingAtMaxInFlightUnfinishedStagesAndResumesWhenHalfAreAnswered() throws Exception {
        List<CompletableFuture<ByteBuffer>> held = new CopyOnWriteArrayList<>();
        CompletableFuture<Socket> serverSocket = new CompletableFuture<>();
        Server server = listen(s -> {
            serverSocket.complete(s);
            RequestChannel.of(s, RequestOptions.defaults().withMaxInFlight(4)).onRequestAsync(r -> {
                CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
                held.add(reply);
                return reply;
            });
        });
        RequestChannel client = RequestChannel.of(connect(server));
        List<CompletableFuture<ByteBuffer>> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(client.request(text("r" + i)));
        }
        Socket s = serverSocket.get(TIMEOUT_S, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> held.size() == 4 && s.isPaused());

        replies.add(client.request(text("r4"))); // waits in the kernel while the server does not read
        held.get(0).complete(text("a0"));
        assertTrue(s.isPaused(), "3 unfinished is above half of 4");
        held.get(1).complete(text("a1"));
        await().atMost(WAIT).until(() -> !s.isPaused() && held.size() == 5);
        for (int i = 2; i < 5; i++) {
            held.get(i).complete(text("a" + i));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("a" + i, string(replies.get(i).get(TIMEOUT_S, TimeUnit.SECONDS)));
        }
    }

    @Test
    void aRequestOverTheFrameLimitFailsAtOnceAndTheChannelStaysUsable() throws Exception {
        Server server = listen(s -> RequestChannel.of(s, RequestOptions.defaults().withMaxFrameSize(64)).onRequest(r -> r));
        RequestChannel client = RequestChannel.of(connect(server), RequestOptions.defaults().withMaxFrameSize(64));
        FrameTooLargeException big = failure(FrameTooLargeException.class, client.request(ByteBuffer.allocate(60)));
        assertEquals(65, big.length());
        assertEquals(64, big.maxFrameSize());
        assertEquals(0, client.inFlight());
        assertEquals("fits", string(client.request(text("fits")).get(TIMEOUT_S, TimeUnit.SECONDS)));
    }

    // ---- the connection going away ---------------------------------------------------------------

    @Test
    void pendingRequestsFailNamingThePeerWhenItEndsTheConnection() throws Exception {
        Server server = listen(s -> RequestChannel.of(s).onRequestAsync(r -> {
            s.end(); // answers nothing, and goes
            return new CompletableFuture<>();
        }));
        RequestChannel client = RequestChannel.of(connect(server));
        CompletableFuture<ByteBuffer> a = client.request(text("a"));
        NetException closed = failure(NetException.class, a);
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, closed.code());
        assertTrue(closed.getMessage().contains("reply to request 1 never came") && closed.address() != null,
                closed.getMessage());
        assertEquals(0, client.inFlight());
        NetException after = failure(NetException.class, client.request(text("b")));
        assertEquals(ErrorCode.ERR_SOCKET_CLOSED, after.code());
    }

    @Test
    void pendingRequestsFailWithTheSocketsErrorWhenThePeerSendsAnOversizedFrame() throws Exception {
        Server server = listen(s -> MessageChannel.lengthPrefixed(s, 1024).on(MessageChannel.MESSAGE,
                request -> s.write(ByteBuffer.allocate(4).putInt(1 << 30).flip())));
        RequestChannel client = RequestChannel.of(connect(server), RequestOptions.defaults().withMaxFrameSize(1024));
        FrameTooLargeException e = failure(FrameTooLargeException.class, client.request(text("q")));
        assertEquals(1L << 30, e.length());
        assertEquals(1024, e.maxFrameSize());
        assertTrue(e.address() != null, e.getMessage());
    }

    @Test
    void pendingRequestsFailWithTruncatedWhenThePeerEndsInsideAReply() throws Exception {
        Server server = listen(s -> MessageChannel.lengthPrefixed(s, 1024).on(MessageChannel.MESSAGE, request -> {
            ByteBuffer half = ByteBuffer.allocate(9).putInt(100).put((byte) 2).putInt(1).flip();
            s.end(half); // promises 100 bytes, sends 5 of them
        }));
        RequestChannel client = RequestChannel.of(connect(server));
        NetException e = failure(NetException.class, client.request(text("q")));
        assertEquals(ErrorCode.ERR_FRAME_TRUNCATED, e.code());
        assertTrue(e.getMessage().contains("9 bytes"), e.getMessage());
    }

    @Test
    void aMalformedHeaderDestroysThatConnectionOnlyAndTheServerServesTheOthers() throws Exception {
        List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
        Server server = listen(s -> {
            RequestChannel.of(s).onRequest(r -> text("ok " + string(r)));
            s.on(Socket.ERROR, serverErrors::add);
        });
        RequestChannel good = RequestChannel.of(connect(server));
        assertEquals("ok before", string(good.request(text("before")).get(TIMEOUT_S, TimeUnit.SECONDS)));

        Socket bad = connect(server);
        CompletableFuture<Boolean> badClosed = new CompletableFuture<>();
        bad.on(Socket.CLOSE, badClosed::complete);
        bad.on(Socket.DATA, chunk -> { });
        bad.on(Socket.ERROR, e -> { });
        bad.write(ByteBuffer.allocate(4 + 5).putInt(5).put((byte) 9).putInt(7).flip()); // kind 9
        badClosed.get(TIMEOUT_S, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> serverErrors.size() == 1);
        NetException e = assertInstanceOf(NetException.class, serverErrors.get(0));
        assertEquals(ErrorCode.ERR_MALFORMED_MESSAGE, e.code());
        assertTrue(e.getMessage().contains("unknown kind 0x09 (id 7, frame of 5 bytes)") && e.address() != null,
                e.getMessage());

        Socket tooShort = connect(server);
        tooShort.on(Socket.ERROR, x -> { });
        tooShort.write(ByteBuffer.allocate(4 + 3).putInt(3).put(new byte[3]).flip());
        await().atMost(WAIT).until(() -> serverErrors.size() == 2);
        assertTrue(serverErrors.get(1).getMessage().contains("a frame of 3 bytes is shorter than the 5-byte header"),
                serverErrors.get(1).getMessage());

        assertEquals("ok after", string(good.request(text("after")).get(TIMEOUT_S, TimeUnit.SECONDS)));
    }

    // ---- MessageChannel: text and blocking views --------------------------------------------------

    @Test
    void textListenersGetEachFrameDecodedAsUtf8AndOffRemovesThem() throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        Consumer<String> listener = texts::add;
        CompletableFuture<MessageChannel> serverChannel = new CompletableFuture<>();
        Server server = listen(s -> {
            MessageChannel ch = MessageChannel.lines(s, 1024).on(MessageChannel.MESSAGE_TEXT, listener);
            serverChannel.complete(ch);
        });
        Socket raw = connect(server);
        raw.write("h\u00e9\u20ac \uD83D\uDE00\n".getBytes(StandardCharsets.UTF_8));
        raw.write(new byte[] {'x', (byte) 0xE2, (byte) 0x82, '\n'}); // a character cut off by the frame's end
        await().atMost(WAIT).until(() -> texts.size() == 2);
        assertEquals(List.of("h\u00e9\u20ac \uD83D\uDE00", "x\uFFFD"), texts);

        MessageChannel ch = serverChannel.get(TIMEOUT_S, TimeUnit.SECONDS);
        List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
        ch.on(MessageChannel.MESSAGE, frames::add);
        ch.off(MessageChannel.MESSAGE_TEXT, listener);
        raw.write("after\n");
        await().atMost(WAIT).until(() -> frames.size() == 1);
        assertEquals(2, texts.size());
    }

    @Test
    void receiveTakesMessagesOnAPlainThreadTimesOutAndReturnsNullAfterThePeerEnds() throws Exception {
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Server server = listen(accepted::complete);
        MessageChannel client = MessageChannel.lengthPrefixed(connect(server), 1024);

        TimeoutException nothing = assertThrows(TimeoutException.class, () -> client.receive(Duration.ofMillis(50)));
        assertTrue(nothing.getMessage().contains("within 50 ms"), nothing.getMessage());

        MessageChannel serverSide = MessageChannel.lengthPrefixed(accepted.get(TIMEOUT_S, TimeUnit.SECONDS), 1024);
        for (int i = 0; i < 200; i++) { // more than the 64 held before the socket pauses
            serverSide.send("m" + i);
        }
        serverSide.socket().end();
        for (int i = 0; i < 200; i++) {
            assertEquals("m" + i, string(client.receive(WAIT)));
        }
        assertNull(client.receive(WAIT));
    }

    @Test
    void receiveOnTheSocketsOwnEventThreadIsRefused() throws Exception {
        Server server = listen(s -> MessageChannel.lengthPrefixed(s, 1024).send("hi"));
        Socket socket = socketTo(server);
        MessageChannel channel = MessageChannel.lengthPrefixed(socket, 1024);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        socket.on(Socket.CONNECT, () -> {
            try {
                channel.receive(Duration.ofSeconds(1));
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        });
        socket.connect();
        Throwable t = refused.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("would wait for itself"), t.getMessage());
        assertEquals("hi", string(channel.receive(WAIT))); // the same channel works from this thread
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The future's failure, unwrapped, checked to be of {@code type}. */
    private static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    /** A frame body as the wire format has it: kind, id, payload. */
    private static ByteBuffer body(int kind, int id, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + p.length).put((byte) kind).putInt(id).put(p).flip();
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private Server listen(Consumer<Socket> onConnection) {
        Server server = Net.createServer(ServerOptions.defaults(), socket -> {
            sockets.add(socket);
            onConnection.accept(socket);
        });
        servers.add(server);
        server.listen(listenEndpoint());
        return server;
    }

    private Socket socketTo(Server server) {
        Socket socket = Net.socket(server.address(), ConnectOptions.defaults());
        sockets.add(socket);
        return socket;
    }

    private Socket connect(Server server) {
        return socketTo(server).connect();
    }
}
