package io.jnet.http;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link ForgottenClientTest}: starts a jnet server, makes one keep-alive request
 * with a client it never closes, closes the server and returns from main. The accepted connection is
 * ref'd, as every socket a server accepts is, so it keeps the JVM alive until the client's pool lets
 * its idle side go; the server side prints when that happened.
 */
public final class ForgottenClientMain {
    private ForgottenClientMain() {
    }

    public static void main(String[] args) throws Exception {
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.ISO_8859_1);
        long[] returned = new long[1];
        Server server = Net.createServer(socket -> {
            socket.on(Socket.DATA, chunk -> socket.write(ByteBuffer.wrap(reply))); // one request per connection here
            // END, not CLOSE: the socket still holds the JVM while END is delivered, so the line gets out.
            socket.on(Socket.END, () -> System.out.println("client ended its side "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - returned[0]) + " ms after main returned"));
        });
        server.listen(0, "127.0.0.1");
        int port = ((Endpoint.Tcp) server.address()).port();
        HttpClient client = HttpClient.create(); // never closed, on purpose
        try (HttpResponse response = client.send(HttpRequest.get("http://127.0.0.1:" + port + "/"))) {
            System.out.println("answer " + response.statusCode() + " " + response.bodyString());
        }
        server.close(); // stops listening; the accepted connection stays, as in Node
        returned[0] = System.nanoTime();
        System.out.println("main returns");
    }
}
