package io.jnet.cli.demo;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Messages instead of a byte stream: both ends wrap their socket in a newline-delimited
 * {@link MessageChannel} (newline-delimited JSON, as Node's IPC speaks). The client sends three
 * messages in one go, the kernel delivers them as it likes, and the server still sees three whole
 * messages and answers each.
 */
final class MessagingDemo {
    private static final int MAX_MESSAGE = 64 * 1024;

    private MessagingDemo() {
    }

    static void run(Transcript t, Endpoint listenOn) throws Exception {
        Server server = Net.createServer(socket -> {
            MessageChannel channel = MessageChannel.lines(socket, MAX_MESSAGE);
            channel.on(MessageChannel.MESSAGE, message -> {
                String text = StandardCharsets.UTF_8.decode(message).toString();
                t.step("server", "message " + text + " -> reply");
                channel.send(text.replace("\"ping\"", "\"pong\""));
            });
            socket.on(Socket.END, socket::end);
        });
        server.listen(listenOn);
        try {
            t.step("server", "listening on " + server.address() + ", newline-delimited messages, at most "
                    + MAX_MESSAGE + " bytes each");
            List<String> messages = List.of("{\"ping\":1}", "{\"ping\":2}", "{\"ping\":3}");
            CompletableFuture<Void> done = new CompletableFuture<>();
            Socket socket = Net.socket(server.address(), ConnectOptions.defaults());
            MessageChannel client = MessageChannel.lines(socket, MAX_MESSAGE);
            int[] replies = new int[1];
            client.on(MessageChannel.MESSAGE, reply -> {
                t.step("client", "reply " + StandardCharsets.UTF_8.decode(reply));
                if (++replies[0] == messages.size()) {
                    socket.end();
                }
            });
            socket.on(Socket.CONNECT, () -> {
                t.step("client", "connect -> sending " + messages.size() + " messages back to back");
                messages.forEach(client::send);
            });
            socket.on(Socket.ERROR, done::completeExceptionally);
            socket.on(Socket.CLOSE, hadError -> done.complete(null));
            socket.connect();
            done.get(2, TimeUnit.SECONDS);
            if (replies[0] != messages.size()) {
                throw new IllegalStateException("messaging demo: " + replies[0] + " of " + messages.size() + " replies arrived");
            }
        } finally {
            server.close();
        }
    }
}
