package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import io.jnet.testkit.ScriptedResponse.After;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Content-Length} bodies over real loopback sockets, around the sizes where the client's read
 * path changes: the loop's 64 KiB read buffer, and the 256 KiB up to which a body is read into one array.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KnownLengthBodyTest {
    @RegisterExtension
    final ScriptedHttpServer server = ScriptedHttpServer.tcp();
    private final HttpClient client = HttpClient.create();

    @AfterEach
    void tearDown() {
        client.close();
    }

    private HttpRequest get(String path) {
        return HttpRequest.builder(server.url(path)).build();
    }

    /** Bytes that differ from their neighbours, so a byte dropped, doubled or reordered shows. */
    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static ScriptedResponse withLength(byte[] body) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return ScriptedResponse.raw(all);
    }

    @Test
    void sixtyFourKiBDeliveredOneByteAtATimeArrivesWholeAndTheConnectionIsReused() throws Exception {
        byte[] body = pattern(64 * 1024);
        server.enqueue(withLength(body).byteByByte());
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (HttpResponse response = client.send(get("/64k"))) {
            assertArrayEquals(body, response.bodyBytes());
        }
        try (HttpResponse response = client.send(get("/next"))) {
            assertEquals("ok", response.bodyString());
        }
        assertEquals(1, server.connectionCount(), "a body read to its end leaves the connection reusable");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_000, BodyStream.HIGH_WATER, BodyStream.HIGH_WATER + 1, 1 << 20})
    void bodiesAroundTheReadBufferAndTheOneArrayLimitArriveWholeThroughEachWayOfReading(int size) throws Exception {
        byte[] body = pattern(size);
        server.enqueue(withLength(body), withLength(body), withLength(body));
        try (HttpResponse response = client.send(get("/bytes"))) {
            assertArrayEquals(body, response.bodyBytes());
        }
        try (HttpResponse response = client.send(get("/stream")); InputStream in = response.bodyStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] small = new byte[1000];
            for (int n; (n = in.read(small)) > 0; ) {
                out.write(small, 0, n);
            }
            assertArrayEquals(body, out.toByteArray());
        }
        try (HttpResponse response = client.send(get("/mixed")); InputStream in = response.bodyStream()) {
            int first = in.read();
            assertEquals(size == 0 ? -1 : body[0] & 0xff, first);
            byte[] rest = in.readAllBytes();
            assertArrayEquals(size == 0 ? body : Arrays.copyOfRange(body, 1, size), rest);
        }
        assertEquals(1, server.connectionCount());
    }

    @Test
    void bodyShorterThanItsDeclared64KiBIsATypedErrorNamingTheLength() throws Exception {
        ScriptedResponse shortBody = ScriptedResponse.raw(("HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n"
                + "x".repeat(40_000)).getBytes(StandardCharsets.US_ASCII)).then(After.END);
        server.enqueue(shortBody, shortBody);
        try (HttpResponse response = client.send(get("/short"))) {
            IOException e = assertThrows(IOException.class, response::bodyBytes);
            assertInstanceOf(HttpProtocolException.class, e.getCause());
            assertTrue(e.getMessage().contains("after 40000 of 65536 body bytes (Content-Length)"), e.getMessage());
        }
        try (HttpResponse response = client.send(get("/short-streamed")); InputStream in = response.bodyStream()) {
            byte[] buf = new byte[8192];
            long read = 0;
            IOException e = null;
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    read += n;
                }
            } catch (IOException failed) {
                e = failed;
            }
            assertEquals(40_000, read, "every byte that came, then the error, never a clean end");
            assertTrue(e != null && e.getMessage().contains("of 65536 body bytes"), String.valueOf(e));
        }
    }

    @Test
    void bytesPastTheDeclaredLengthAreNotPartOfTheBody() throws Exception {
        byte[] body = pattern(64 * 1024);
        byte[] withExtra = Arrays.copyOf(body, body.length + 5);
        server.enqueue(ScriptedResponse.raw(concat(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), withExtra)).then(After.END));
        try (HttpResponse response = client.send(get("/long"))) {
            assertArrayEquals(body, response.bodyBytes());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
