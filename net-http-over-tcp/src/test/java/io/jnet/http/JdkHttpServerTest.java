package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the JDK's own {@code com.sun.net.httpserver}, in-process on loopback: a server we did not write. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JdkHttpServerTest {
    static {
        // The JDK server writes head and body separately; with Nagle on, each response waits for our delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
    private final HttpClient client = HttpClient.create();
    /** Client ports seen by the server: one per connection. */
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", ex -> respond(ex, 200, "Hello, World!".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/echo", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            ex.getResponseHeaders().add("X-Method", ex.getRequestMethod());
            respond(ex, 200, body);
        });
        server.createContext("/chunked", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            ex.sendResponseHeaders(200, 0); // 0: chunked, length unknown
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.createContext("/gzip", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            ex.getResponseHeaders().add("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(ex.getResponseBody())) {
                out.write("squeezed ".repeat(1000).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/empty", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    private void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        clientPorts.add(ex.getRemoteAddress().getPort());
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (head) {
            ex.close();
            return;
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void getsAFixedLengthBody() throws Exception {
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/hello")).build())) {
            assertEquals(200, r.statusCode());
            assertEquals("13", r.headers().first("content-length").orElseThrow());
            assertEquals("Hello, World!", r.bodyString());
        }
    }

    @Test
    void postsKnownAndStreamedBodies() throws Exception {
        HttpRequest post = HttpRequest.builder(uri("/echo")).method("POST").body(HttpRequest.Body.ofString("ping")).build();
        try (HttpResponse r = client.send(post)) {
            assertEquals("ping", r.bodyString());
            assertEquals("POST", r.headers().first("X-Method").orElseThrow());
        }
        byte[] big = "0123456789".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        HttpRequest stream = HttpRequest.builder(uri("/echo")).method("PUT")
                .body(HttpRequest.Body.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        try (HttpResponse r = client.send(stream)) {
            assertEquals(big.length, r.bodyBytes().length);
        }
    }

    @Test
    void readsAChunkedBody() throws Exception {
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/chunked")).build())) {
            String body = r.bodyString();
            assertTrue(body.startsWith("line 0\nline 1\n"), body);
            assertTrue(body.endsWith("line 99\n"), body);
        }
    }

    @Test
    void decompressesGzip() throws Exception {
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/gzip")).build())) {
            assertEquals("squeezed ".repeat(1000), r.bodyString());
        }
    }

    @Test
    void headAndNoContentHaveNoBody() throws Exception {
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/hello")).method("HEAD").build())) {
            assertEquals(0, r.bodyBytes().length);
        }
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/empty")).build())) {
            assertEquals(204, r.statusCode());
            assertEquals(0, r.bodyBytes().length);
        }
    }

    @Test
    void reusesOneConnectionForSequentialRequests() throws Exception {
        for (int i = 0; i < 200; i++) {
            String path = i % 3 == 0 ? "/hello" : i % 3 == 1 ? "/chunked" : "/gzip";
            try (HttpResponse r = client.send(HttpRequest.builder(uri(path)).build())) {
                r.bodyBytes();
            }
        }
        assertEquals(1, clientPorts.size(), "one client port: one connection");
    }
}
