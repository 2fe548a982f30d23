package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's blocking calls refuse at once on an event-loop thread, where they used to wait forever
 * (the loop they block may be the one that must carry their answer); the non-blocking ones work there.
 * "On the loop" here is a listener of another jnet socket, as an application would have it: a TCP
 * socket to the same scripted server, on the same transport's loop group as the client's connections.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopRefusalTest {
    private final ScriptedHttpServer server = ScriptedHttpServer.tcp().start();
    private final HttpClient client = HttpClient.create();
    private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        sockets.forEach(Socket::destroy);
        client.close();
        server.close();
    }

    private HttpRequest get(String path) {
        return HttpRequest.builder(server.url(path)).build();
    }

    /** Runs {@code action} in the CONNECT listener of a fresh socket; the future holds what it threw (null: nothing). */
    private CompletableFuture<Throwable> onConnect(ThrowingAction action) {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Socket s = Net.socket(server.endpoint(), io.jnet.ConnectOptions.defaults());
        sockets.add(s);
        s.on(Socket.CONNECT, () -> thrown.complete(run(action)));
        s.connect();
        return thrown;
    }

    /** Runs {@code action} in the DATA listener of a socket that sends the server one request. */
    private CompletableFuture<Throwable> onData(ThrowingAction action) {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Socket s = Net.socket(server.endpoint(), io.jnet.ConnectOptions.defaults());
        sockets.add(s);
        Consumer<java.nio.ByteBuffer> once = chunk -> {
            if (!thrown.isDone()) {
                thrown.complete(run(action));
            }
        };
        s.on(Socket.DATA, once);
        s.on(Socket.CONNECT, () -> s.write("GET /other HTTP/1.1\r\nHost: x\r\n\r\n"));
        s.connect();
        return thrown;
    }

    private static Throwable run(ThrowingAction action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    interface ThrowingAction {
        void run() throws Exception;
    }

    /** Bounded: a call that blocks instead of refusing fails here after 5 s instead of hanging the build. */
    private static Throwable within5s(CompletableFuture<Throwable> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private static void assertRefused(Throwable t, String names) {
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, t, String.valueOf(t));
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains("event loop thread"), e.getMessage());
    }

    @Test
    void sendInAConnectListenerThrowsNamingSendAsync() throws Exception {
        assertRefused(within5s(onConnect(() -> client.send(get("/x")))), "sendAsync");
        assertEquals(0, server.requestCount(), "refused before anything was sent");
    }

    @Test
    void sendInADataListenerThrowsNamingSendAsync() throws Exception {
        assertRefused(within5s(onData(() -> client.send(get("/x")))), "sendAsync");
    }

    @Test
    void sendAsyncInAListenerWorks() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")); // for the listener's socket
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        CompletableFuture<HttpResponse> response = new CompletableFuture<>();
        assertNull(within5s(onData(() -> client.sendAsync(get("/async")).whenComplete((r, e) -> {
            if (e != null) {
                response.completeExceptionally(e);
            } else {
                response.complete(r);
            }
        }))));
        try (HttpResponse r = response.get(5, TimeUnit.SECONDS)) {
            assertEquals("hello", r.bodyString());
        }
    }

    @Test
    void bodyReadsInAListenerThrowButCloseWorks() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        }
        HttpResponse bytes = client.send(get("/1"));
        HttpResponse string = client.send(get("/2"));
        HttpResponse stream = client.send(get("/3"));
        HttpResponse closed = client.send(get("/4"));
        assertRefused(within5s(onConnect(bytes::bodyBytes)), "response body");
        assertRefused(within5s(onConnect(string::bodyString)), "response body");
        java.io.InputStream in = stream.bodyStream();
        assertRefused(within5s(onConnect(in::read)), "response body");
        assertRefused(within5s(onConnect(() -> in.read(new byte[8], 0, 8))), "response body");
        assertRefused(within5s(onConnect(in::readAllBytes)), "response body");
        assertNull(within5s(onConnect(closed::close)), "closing never blocks, so it is allowed on a loop");
        // Refused, not consumed: each body is still there for a thread that may wait.
        assertEquals("hello", new String(bytes.bodyBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("hello", string.bodyString());
        assertEquals("hello", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        stream.close();
    }

    @Test
    void closingTheClientInAListenerWorks() throws Exception {
        assertNull(within5s(onConnect(client::close)));
    }

    @Test
    void theSameCallsWorkOffTheLoop() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (HttpResponse r = client.send(get("/plain"))) {
            assertEquals("ok", r.bodyString());
        }
    }
}
