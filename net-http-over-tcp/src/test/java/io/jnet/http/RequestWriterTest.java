package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestWriterTest {

    private static String head(HttpRequest request) {
        return head(request, HttpHeaders.empty());
    }

    private static String head(HttpRequest request, HttpHeaders defaults) {
        ByteBuffer b = RequestWriter.head(request, defaults);
        return StandardCharsets.ISO_8859_1.decode(b).toString();
    }

    @Test
    void writesOriginFormRequestLineAndHostWithoutDefaultPort() {
        assertEquals("GET /a/b%20c?x=1&y=%2F HTTP/1.1\r\nHost: example.test\r\n\r\n",
                head(HttpRequest.get("http://example.test/a/b%20c?x=1&y=%2F#fragment")));
    }

    @Test
    void writesSlashForEmptyPathAndPortWhenNot80() {
        assertEquals("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", head(HttpRequest.get("http://127.0.0.1:8080")));
        assertEquals("GET /?q HTTP/1.1\r\nHost: [::1]:81\r\n\r\n", head(HttpRequest.get("http://[::1]:81?q")));
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head(HttpRequest.get("http://h:80/")));
    }

    @Test
    void keepsTheCallersHostAndAddsDefaultsTheRequestLacks() {
        HttpRequest request = HttpRequest.builder(URI.create("http://localhost/v1.43/info"))
                .header("Host", "docker").header("Accept-Encoding", "identity").build();
        assertEquals("GET /v1.43/info HTTP/1.1\r\nHost: docker\r\nAccept-Encoding: identity\r\nUser-Agent: jnet\r\n\r\n",
                head(request, HttpHeaders.of("Accept-Encoding", "gzip", "User-Agent", "jnet")));
    }

    @Test
    void writesContentLengthForKnownBodies() {
        HttpRequest request = HttpRequest.builder(URI.create("http://h/items")).method("POST")
                .body(HttpRequest.Body.ofString("héllo")).build();
        assertEquals("POST /items HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\n", head(request));
    }

    @Test
    void puttingASmallBodyBehindItsHeadKeepsBothWhole() {
        ByteBuffer head = ByteBuffer.wrap("POST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer both = RequestWriter.withBody(head, new byte[] {'a', 'b'});
        assertEquals("POST / HTTP/1.1\r\n\r\nab", StandardCharsets.ISO_8859_1.decode(both).toString());
        assertEquals(0, RequestWriter.withBody(ByteBuffer.allocate(0), new byte[0]).remaining());
    }

    @Test
    void writesZeroContentLengthForEmptyPost() {
        HttpRequest request = HttpRequest.builder(URI.create("http://h/")).method("POST").build();
        assertTrue(head(request).contains("Content-Length: 0\r\n"));
        assertTrue(!head(HttpRequest.get("http://h/")).contains("Content-Length"));
    }

    @Test
    void writesChunkedForStreams() {
        HttpRequest request = HttpRequest.builder(URI.create("http://h/up")).method("PUT")
                .body(HttpRequest.Body.ofInputStream(() -> new ByteArrayInputStream(new byte[3]))).build();
        assertEquals("PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", head(request));
        assertTrue(!request.isIdempotent(), "a stream cannot be replayed");
    }

    @Test
    void framesChunks() {
        ByteBuffer chunk = RequestWriter.chunk("0123456789abcdefX".getBytes(StandardCharsets.US_ASCII), 0, 17);
        assertEquals("11\r\n0123456789abcdefX\r\n", StandardCharsets.US_ASCII.decode(chunk).toString());
        assertEquals("0\r\n\r\n", StandardCharsets.US_ASCII.decode(RequestWriter.lastChunk()).toString());
    }

    @Test
    void refusesHeaderInjectionBeforeAnyByteExists() {
        HttpRequest.Builder b = HttpRequest.builder(URI.create("http://h/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.header("X-A", "v\r\nEvil: 1"));
        assertEquals("invalid character 0x0D in value of header X-A at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.header("X-A", "v\nEvil: 1"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X-A", "v\0"));
        e = assertThrows(IllegalArgumentException.class, () -> b.header("Bad Name", "v"));
        assertEquals("invalid character 0x20 in header name \"Bad Name\" at index 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.header("", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X:Y", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X-Ü", "v"));
    }

    @Test
    void refusesBadMethodAndFramingHeaders() {
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder(URI.create("http://h/")).method("GE T").build());
        assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder(URI.create("http://h/")).header("Content-Length", "5").build());
        assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder(URI.create("http://h/")).header("transfer-encoding", "chunked").build());
    }

    @Test
    void refusesHttpsClearlyAndOtherSchemes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRequest.get("https://example.test/"));
        assertTrue(e.getMessage().startsWith("https is not supported"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.get("ftp://example.test/"));
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.get("/relative"));
    }

    @Test
    void refusesAtOnceAUriItCouldNotSendNamingIt() {
        String longHost = "http://" + "h".repeat(254) + "/";
        for (String uri : List.of("http:/x", "http:///x", "http://h:99999/", "http://h:99999999999/", "http://under_score.test/",
                "http://h/\u00fc", "http://h  h/", longHost)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpRequest.get(uri), uri);
            assertTrue(e.getMessage().contains("\"" + uri + "\""), e.getMessage());
        }
    }

    @Test
    void idempotentMethodsAreThoseRfc9110Names() {
        assertTrue(HttpRequest.get("http://h/").isIdempotent());
        assertTrue(!HttpRequest.builder(URI.create("http://h/")).method("POST").build().isIdempotent());
        assertTrue(HttpRequest.builder(URI.create("http://h/")).method("DELETE").build().isIdempotent());
    }
}
