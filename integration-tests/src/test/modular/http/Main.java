package example.http;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.http.HttpClient;
import io.jnet.http.HttpRequest;
import io.jnet.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * jnet's HTTP client fetching from a tiny HTTP server in this program, first over loopback TCP, then
 * over a Unix socket path in a fresh temp dir; prints each status line and body. The transports are
 * not named here: they are found on the module path. Exits by itself when done.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Server tcp = httpServer("TCP").listen(Endpoint.tcp("127.0.0.1", 0));
        int port = ((Endpoint.Tcp) tcp.address()).port();
        try (HttpClient client = HttpClient.create();
             HttpResponse response = client.send(HttpRequest.get("http://127.0.0.1:" + port + "/hello"))) {
            System.out.println("tcp: " + response.statusCode() + " " + response.bodyString());
        } finally {
            tcp.close();
        }

        Path dir = Files.createTempDirectory("jnet-modular-http");
        Path path = dir.resolve("http.sock");
        Server unix = httpServer("a Unix socket").listen(Endpoint.ipc(path));
        try (HttpClient client = HttpClient.builder().socketPath(path).build();
             HttpResponse response = client.send(HttpRequest.get("http://localhost/hello"))) {
            System.out.println("unix: " + response.statusCode() + " " + response.bodyString());
        } finally {
            unix.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    /** Answers every GET (no request body) with a short text naming the path and the transport. */
    private static Server httpServer(String transport) {
        return Net.createServer(peer -> {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            peer.on(Socket.DATA, chunk -> {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                pending.writeBytes(bytes);
                String text = pending.toString(StandardCharsets.ISO_8859_1);
                for (int end; (end = text.indexOf("\r\n\r\n")) >= 0; text = text.substring(end + 4)) {
                    String target = text.substring(text.indexOf(' ') + 1, text.indexOf(" HTTP/"));
                    byte[] body = ("GET " + target + " over " + transport).getBytes(StandardCharsets.UTF_8);
                    peer.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n");
                    peer.write(body);
                }
                pending.reset();
                pending.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            });
        });
    }
}
