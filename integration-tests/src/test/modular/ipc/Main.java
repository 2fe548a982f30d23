package example.ipc;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One exchange over a socket file in a fresh temp dir: the client sends a line and ends, the server
 * answers once it has the whole request, and both print what they got. Exits by itself when done.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jnet-modular-ipc");
        Path path = dir.resolve("jnet.sock");
        CompletableFuture<String> reply = new CompletableFuture<>();

        Server server = Net.createServer(peer -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            peer.on(Socket.DATA, chunk -> append(got, chunk));
            peer.on(Socket.END, () -> {
                String request = got.toString(StandardCharsets.UTF_8);
                System.out.println("server got \"" + request + "\"");
                peer.end("echo: " + request);
            });
        });
        server.on(Server.ERROR, reply::completeExceptionally);
        server.listen(Endpoint.ipc(path));

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        // Listeners first, then connect(): events fire on the loop thread, which may connect before
        // a listener added after createConnection() is in place.
        Socket client = Net.socket(Endpoint.ipc(path), ConnectOptions.defaults());
        client.on(Socket.ERROR, reply::completeExceptionally);
        client.on(Socket.DATA, chunk -> append(got, chunk));
        client.on(Socket.CLOSE, hadError -> reply.complete(got.toString(StandardCharsets.UTF_8)));
        client.connect(() -> client.end("hello over IPC"));

        try {
            System.out.println("client got \"" + reply.get(20, TimeUnit.SECONDS) + "\"");
        } finally {
            client.destroy();
            server.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    private static void append(ByteArrayOutputStream sink, ByteBuffer chunk) {
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        sink.writeBytes(bytes);
    }
}
