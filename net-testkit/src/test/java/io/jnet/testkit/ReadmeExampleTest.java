package io.jnet.testkit;

import io.jnet.ConnectOptions;
import io.jnet.Net;
import io.jnet.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The root README's "Testing with jnet" examples, kept compiling and passing. */
@ExtendWith(JnetLeakCheck.class)
class ReadmeExampleTest {

    @RegisterExtension
    JnetServerExtension server = JnetServerExtension.tcp(socket -> socket.on(Socket.DATA, socket::write));

    @RegisterExtension
    ScriptedHttpServer http = ScriptedHttpServer.tcp();

    @Test
    void echoesWhatTheClientSendsThenBothSidesClose() {
        Socket client = Net.socket(server.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.connect();
        client.end("hello");

        trace.awaitClose(Duration.ofSeconds(5))
                .assertSequence("connect", "data 5", "end", "close false");
        assertEquals("hello", trace.text());
    }

    @Test
    void aClientReadsAChunkedBodyDeliveredByteByByte() throws Exception {
        http.enqueue(ScriptedResponse.ok("{\"ok\":true}").chunked(4).byteByByte());

        String body = get(http.url("/status").getPort(), "/status"); // stands in for the HTTP client under test

        assertEquals("{\"ok\":true}", body);
        assertEquals("GET /status HTTP/1.1", http.takeRequest(Duration.ofSeconds(5)).requestLine());
    }

    /** A minimal HTTP/1.1 GET that reads a chunked body, for the example. */
    private static String get(int port, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            readLine(in); // the status line
            String header;
            do {
                header = readLine(in);
            } while (!header.isEmpty());
            StringBuilder body = new StringBuilder();
            for (int size; (size = Integer.parseInt(readLine(in), 16)) > 0; readLine(in)) {
                body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            }
            return body.toString();
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new java.io.EOFException("connection closed in the middle of a line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
