package io.jnet.cli.demo;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest HTTP/1.1 server that is honest about connections, written straight on jnet's
 * {@link Server} the way the lesson writes HTTP on a raw socket: it answers every request head with a
 * short {@code 200 OK}, keeps the connection open for the next request unless the request said
 * {@code Connection: close}, and counts the connections it accepted.
 *
 * <p>Only for the demo: it reads request heads (no request bodies) and trusts its client. Thread-safe
 * counters; each connection's state lives on that connection's loop thread.
 */
final class TinyHttpResponder implements AutoCloseable {
    private static final byte[] BODY = "hello from jnet\n".getBytes(StandardCharsets.US_ASCII);
    /** Requests heads are tiny here; a larger one means the client is not the one we expect. */
    private static final int MAX_HEAD = 8 * 1024;

    private final Server server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    TinyHttpResponder(Endpoint listenOn) {
        this.server = Net.createServer(this::serve);
        server.listen(listenOn);
    }

    /** Where it listens. */
    Endpoint address() {
        return server.address();
    }

    /** Connections accepted since the last {@link #resetCounts()}. */
    int connections() {
        return connections.get();
    }

    /** Requests answered since the last {@link #resetCounts()}. */
    int requests() {
        return requests.get();
    }

    void resetCounts() {
        connections.set(0);
        requests.set(0);
    }

    private void serve(Socket socket) {
        connections.incrementAndGet();
        socket.setNoDelay(true);
        StringBuilder head = new StringBuilder();
        socket.on(Socket.DATA, chunk -> {
            // ISO-8859-1 maps each byte to one char, so indexes in the text are byte offsets.
            head.append(StandardCharsets.ISO_8859_1.decode(chunk));
            for (int end; (end = head.indexOf("\r\n\r\n")) >= 0; ) {
                String request = head.substring(0, end);
                head.delete(0, end + 4);
                respond(socket, request);
            }
            if (head.length() > MAX_HEAD) {
                socket.end("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        socket.on(Socket.END, socket::end);
        socket.on(Socket.ERROR, e -> { /* the demo client closing mid-way is not news */ });
    }

    private void respond(Socket socket, String request) {
        requests.incrementAndGet();
        boolean close = request.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n";
        // One write for head and body: two small writes would meet Nagle's algorithm and the client's
        // delayed ACK, and every keep-alive request would wait ~40 ms for nothing.
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer response = ByteBuffer.allocate(headBytes.length + BODY.length).put(headBytes).put(BODY).flip();
        socket.write(response);
        if (close) {
            socket.end();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
