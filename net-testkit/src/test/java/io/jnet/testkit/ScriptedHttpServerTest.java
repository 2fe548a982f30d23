package io.jnet.testkit;

import io.jnet.testkit.ScriptedResponse.After;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripted responder against a plain {@link java.net.Socket}: exact bytes, cuts, delays, endings. */
class ScriptedHttpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String GET = "GET /a HTTP/1.1\r\nHost: test\r\n\r\n";

    @RegisterExtension
    ScriptedHttpServer http = ScriptedHttpServer.tcp();

    @Test
    void sendsTheScriptedStatusHeadersAndBodyWithContentLength() throws IOException {
        http.enqueue(ScriptedResponse.status(201).header("X-Id", "7").body("hello").then(After.END));
        try (Socket client = connect()) {
            send(client, GET);
            assertEquals("HTTP/1.1 201 Created\r\nX-Id: 7\r\nContent-Length: 5\r\n\r\nhello", readToEnd(client).text);
        }
    }

    @Test
    void sendsAChunkedBodyInChunksOfTheScriptedSize() throws IOException {
        http.enqueue(ScriptedResponse.ok("hello world").chunked(4).then(After.END));
        try (Socket client = connect()) {
            send(client, GET);
            assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\n\r\n", readToEnd(client).text);
        }
    }

    @Test
    void byteByByteDeliversTheWholeResponseIntact() throws IOException {
        http.enqueue(ScriptedResponse.ok("hello world").chunked(3).byteByByte().then(After.END));
        try (Socket client = connect()) {
            send(client, GET);
            assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nhel\r\n3\r\nlo \r\n3\r\nwor\r\n2\r\nld\r\n0\r\n\r\n", readToEnd(client).text);
        }
    }

    @Test
    void throttledOneByteAtATimeTheClientReadsSingleBytes() throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        http.enqueue(ScriptedResponse.raw(response).throttle(1, Duration.ofMillis(20)).then(After.END));
        try (Socket client = connect()) {
            send(client, GET);
            Read read = readToEnd(client);
            assertEquals(response, read.text);
            // 20 ms between bytes: a read that returns more than one byte means they were sent together.
            assertTrue(read.reads >= response.length() / 2, read.reads + " reads for " + response.length() + " bytes");
        }
    }

    @Test
    void waitsTheHeadersDelayBeforeTheFirstByteAndTheBodyDelayBeforeTheBody() throws IOException {
        http.enqueue(ScriptedResponse.ok("late").headersDelay(Duration.ofMillis(300)).bodyDelay(Duration.ofMillis(300))
                .then(After.END));
        try (Socket client = connect()) {
            long start = System.nanoTime();
            send(client, GET);
            InputStream in = client.getInputStream();
            int first = in.read();
            long headAt = System.nanoTime() - start;
            assertEquals('H', first);
            byte[] head = in.readNBytes("TTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n".length());
            assertEquals("TTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", new String(head, StandardCharsets.ISO_8859_1));
            assertEquals(0, in.available(), "no body byte before the body delay");
            assertEquals("late", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            long bodyAt = System.nanoTime() - start;
            assertTrue(headAt >= Duration.ofMillis(300).toNanos(), "head after " + headAt / 1_000_000 + " ms");
            assertTrue(bodyAt - headAt >= Duration.ofMillis(250).toNanos(), "body " + (bodyAt - headAt) / 1_000_000 + " ms after the head");
        }
    }

    @Test
    void halfClosesAfterTheResponseAndStillReadsWhatTheClientSends() throws IOException {
        http.enqueue(ScriptedResponse.ok("bye").then(After.END));
        try (Socket client = connect()) {
            send(client, GET);
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbye", readToEnd(client).text);
            send(client, "GET /after-end HTTP/1.1\r\nHost: test\r\n\r\n");
            http.takeRequest(WAIT);
            assertEquals("GET /after-end HTTP/1.1", http.takeRequest(WAIT).requestLine());
        }
    }

    @Test
    void resetInsteadOfAResponseIsAConnectionResetForTheClient() throws IOException {
        http.enqueue(ScriptedResponse.reset());
        try (Socket client = connect()) {
            send(client, GET);
            SocketException e = assertThrows(SocketException.class, () -> client.getInputStream().read());
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
    }

    @Test
    void destroyWithoutAResponseIsAnEndOfStreamWithNoByte() throws IOException {
        http.enqueue(ScriptedResponse.noResponse().then(After.DESTROY));
        try (Socket client = connect()) {
            send(client, GET);
            assertEquals("", readToEnd(client).text);
        }
    }

    @Test
    void recordsRequestLineHeadersAndBodiesFramedByLengthOrChunked() throws IOException {
        try (Socket client = connect()) {
            // Two pipelined requests in one write: each is framed by its own header, and both are answered in order.
            send(client, "POST /items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
                    + "PUT /items/1 HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
            RecordedRequest post = http.takeRequest(WAIT);
            RecordedRequest put = http.takeRequest(WAIT);

            assertEquals("POST /items HTTP/1.1", post.requestLine());
            assertEquals("POST", post.method());
            assertEquals("/items", post.target());
            assertEquals("application/json", post.header("content-type"));
            assertEquals("{\"a\":1}", post.bodyUtf8());
            assertEquals("PUT /items/1 HTTP/1.1", put.requestLine());
            assertTrue(put.chunked());
            assertArrayEquals("abcde".getBytes(StandardCharsets.US_ASCII), put.body());
            assertEquals(1, post.connectionIndex());
            assertEquals(1, put.connectionIndex());
            assertEquals(0, post.sequenceOnConnection());
            assertEquals(1, put.sequenceOnConnection());

            String empty = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
            byte[] both = client.getInputStream().readNBytes(2 * empty.length());
            assertEquals(empty + empty, new String(both, StandardCharsets.ISO_8859_1), "the default response, twice");
        }
        assertEquals(2, http.requestCount());
        assertEquals(1, http.connectionCount());
    }

    @Test
    void takeRequestFailsNamingWhatArrivedWhenNothingComes() {
        AssertionError e = assertThrows(AssertionError.class, () -> http.takeRequest(Duration.ofMillis(50)));
        assertEquals("no request within 50 ms; 0 received so far: []", e.getMessage());
    }

    @Test
    void aRequestThatCannotBeFramedFailsTheServerAtClose() throws IOException {
        ScriptedHttpServer own = ScriptedHttpServer.tcp().start();
        try (Socket client = new Socket("127.0.0.1", own.port())) {
            send(client, "POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n");
            assertEquals(-1, client.getInputStream().read(), "the server hangs up");
        }
        AssertionError e = assertThrows(AssertionError.class, own::close);
        assertTrue(e.getMessage().contains("request \"POST / HTTP/1.1\" has Content-Length \"lots\""), e.getMessage());
    }

    @Test
    void servesOverASocketFileToo() throws IOException {
        ScriptedHttpServer ipc = ScriptedHttpServer.ipc().start();
        try {
            ipc.enqueue(ScriptedResponse.ok("via unix").then(After.END));
            assertEquals("http://localhost/info", ipc.url("/info").toString());
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(ipc.path()));
                channel.write(ByteBuffer.wrap(GET.getBytes(StandardCharsets.ISO_8859_1)));
                InputStream in = java.nio.channels.Channels.newInputStream(channel);
                assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nvia unix",
                        new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        } finally {
            ipc.close();
        }
    }

    @Test
    void urlNamesTheLoopbackPort() {
        assertEquals("http://127.0.0.1:" + http.port() + "/x?y=1", http.url("/x?y=1").toString());
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        client.connect(new InetSocketAddress("127.0.0.1", http.port()), 5_000);
        client.setSoTimeout((int) WAIT.toMillis());
        return client;
    }

    private static void send(Socket client, String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private record Read(String text, int reads) {
    }

    /** Reads until the server ends its side (bounded by the socket's read timeout). */
    private static Read readToEnd(Socket client) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int reads = 0;
        InputStream in = client.getInputStream();
        for (int n; (n = in.read(buffer)) != -1; ) {
            all.write(buffer, 0, n);
            reads++;
        }
        return new Read(all.toString(StandardCharsets.ISO_8859_1), reads);
    }
}
