package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One request suite for every real server we did not write (the JDK's, Node's, ...). Each subclass
 * starts its server on loopback with the same routes:
 * <ul>
 *   <li>{@code /hello}: 200, {@code Hello, World!} with a Content-Length (and no body for HEAD)</li>
 *   <li>{@code /echo}: the request body back, method in {@code X-Method}</li>
 *   <li>{@code /chunked}: {@code line 0\n} … {@code line 99\n}, chunked, flushed line by line</li>
 *   <li>{@code /gzip}: {@code "squeezed " × 1000}, gzip-encoded</li>
 *   <li>{@code /empty}: 204</li>
 *   <li>{@code /connections}: the number of connections the server has accepted, as text</li>
 * </ul>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class RealServerSuite {
    protected HttpClient client;

    /** The server's URI for {@code path}. */
    protected abstract URI uri(String path);

    /** The client under test; a subclass may aim it elsewhere (a Unix socket). */
    protected HttpClient newClient() {
        return HttpClient.create();
    }

    /** Whether the server has the {@code /echo} route (a static server may not). */
    protected boolean echoes() {
        return true;
    }

    @BeforeEach
    void openClient() {
        client = newClient();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    protected HttpResponse get(String path) throws Exception {
        return client.send(HttpRequest.builder(uri(path)).build());
    }

    /** Connections the server has accepted so far. */
    protected int connections() throws Exception {
        try (HttpResponse r = get("/connections")) {
            return Integer.parseInt(r.bodyString().trim());
        }
    }

    @Test
    void getsAFixedLengthBody() throws Exception {
        try (HttpResponse r = get("/hello")) {
            assertEquals(200, r.statusCode());
            assertEquals("13", r.headers().first("content-length").orElseThrow());
            assertEquals("Hello, World!", r.bodyString());
        }
    }

    @Test
    void postsKnownAndStreamedBodies() throws Exception {
        assumeTrue(echoes(), "this server has no /echo route");
        HttpRequest post = HttpRequest.builder(uri("/echo")).method("POST").body(HttpRequest.Body.ofString("ping")).build();
        try (HttpResponse r = client.send(post)) {
            assertEquals("ping", r.bodyString());
            assertEquals("POST", r.headers().first("X-Method").orElseThrow());
        }
        // 4 MB: far past the socket's high-water mark, so the sender must wait for DRAIN.
        byte[] big = "0123456789".repeat(400_000).getBytes(StandardCharsets.US_ASCII);
        HttpRequest stream = HttpRequest.builder(uri("/echo")).method("PUT")
                .body(HttpRequest.Body.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        try (HttpResponse r = client.send(stream)) {
            assertEquals(new String(big, StandardCharsets.US_ASCII), r.bodyString());
        }
    }

    @Test
    void readsAChunkedBody() throws Exception {
        try (HttpResponse r = get("/chunked")) {
            String body = r.bodyString();
            assertTrue(body.startsWith("line 0\nline 1\n"), body);
            assertTrue(body.endsWith("line 99\n"), body);
        }
    }

    @Test
    void decompressesGzip() throws Exception {
        try (HttpResponse r = get("/gzip")) {
            assertEquals("squeezed ".repeat(1000), r.bodyString());
        }
    }

    @Test
    void headAndNoContentHaveNoBody() throws Exception {
        try (HttpResponse r = client.send(HttpRequest.builder(uri("/hello")).method("HEAD").build())) {
            assertEquals(200, r.statusCode());
            assertEquals(0, r.bodyBytes().length);
        }
        try (HttpResponse r = get("/empty")) {
            assertEquals(204, r.statusCode());
            assertEquals(0, r.bodyBytes().length);
        }
    }

    @Test
    void reusesOneConnectionForSequentialRequests() throws Exception {
        int before = connections();
        for (int i = 0; i < 300; i++) {
            String path = i % 3 == 0 ? "/hello" : i % 3 == 1 ? "/chunked" : "/gzip";
            try (HttpResponse r = get(path)) {
                r.bodyBytes();
            }
        }
        assertEquals(before, connections(), "no connection opened after the first");
    }
}
