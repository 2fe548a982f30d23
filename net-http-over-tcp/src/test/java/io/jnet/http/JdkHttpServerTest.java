package io.jnet.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link RealServerSuite} against the JDK's own {@code com.sun.net.httpserver}, in-process on loopback. */
class JdkHttpServerTest extends RealServerSuite {
    static {
        // The JDK server writes head and body separately; with Nagle on, each response waits for our delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
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
        server.createContext("/connections", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort()); // this request's connection counts too
            respond(ex, 200, String.valueOf(clientPorts.size()).getBytes(StandardCharsets.US_ASCII));
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
        server.stop(0);
    }

    @Override
    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
