package io.jnet.ipc;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.codec.RequestChannel;
import io.jnet.codec.RequestFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link RequestChannel}'s wire format spoken by a Node.js peer written from {@code net-api/MESSAGING.md}
 * ({@code src/test/node/request-peer.js}), over a Unix socket, each side asking in turn.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class NodeRequestInteropTest {
    private static final int REQUESTS = 300;

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private Process node;

    @BeforeAll
    static void nodeIsInstalled() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "node is not runnable");
        } catch (IOException | InterruptedException e) {
            assumeTrue(false, "node is not installed: " + e);
        }
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
        if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String script() {
        return Path.of("src", "test", "node", "request-peer.js").toAbsolutePath().toString();
    }

    @Test
    void jnetAsksANodePeerWhoseRepliesComeBackOutOfOrderAndWhoseErrorsArriveTyped() throws Exception {
        Path path = dir.resolve("node.sock");
        node = new ProcessBuilder("node", script(), "server", path.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("listening "), "node said: " + ready);
        String nodePid = ready.substring("listening ".length());

        List<String> messages = new CopyOnWriteArrayList<>();
        Socket socket = Net.socket(Endpoint.ipc(path), ConnectOptions.defaults());
        sockets.add(socket);
        RequestChannel channel = RequestChannel.of(socket).on(RequestChannel.MESSAGE, m -> messages.add(string(m)));
        socket.connect();

        List<CompletableFuture<ByteBuffer>> replies = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            // Every third one waits in Node, so later requests overtake it.
            String ask = i % 3 == 0 ? "later:" + (i % 7) * 5 + ":late " + i : "upper:żółw " + i;
            replies.add(channel.request(text(ask), Duration.ofSeconds(20)));
        }
        for (int i = 0; i < REQUESTS; i++) {
            String want = i % 3 == 0 ? "late " + i : "ŻÓŁW " + i;
            assertEquals(want, string(replies.get(i).get(20, TimeUnit.SECONDS)), "reply " + i);
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> channel.request(text("fail:disk full")).get(20, TimeUnit.SECONDS));
        assertEquals("disk full", assertInstanceOf(RequestFailedException.class, e.getCause()).remoteMessage());

        channel.send(text("one-way"));
        await().atMost(Duration.ofSeconds(20)).until(() -> messages.size() == 2);
        assertEquals(List.of("hello " + nodePid, "echo:one-way"), messages);
        socket.end();
        node.getOutputStream().close(); // the script exits when its stdin closes and its connections are gone
        assertTrue(node.waitFor(20, TimeUnit.SECONDS));
    }

    @Test
    void aNodePeerAsksAJnetServerAndSeesItsRepliesAndItsErrors() throws Exception {
        Path path = dir.resolve("jnet.sock");
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            RequestChannel.of(socket).onRequest(request -> {
                String text = string(request);
                if (text.startsWith("fail:")) {
                    throw new IllegalStateException(text.substring(5));
                }
                return text(new StringBuilder(text.substring("reverse:".length())).reverse().toString());
            });
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));

        node = new ProcessBuilder("node", script(), "client", path.toString(), String.valueOf(REQUESTS))
                .redirectErrorStream(true).start();
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            output = out.readLine();
        }
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        assertEquals("ok " + REQUESTS, output);
        assertEquals(0, node.exitValue());
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
