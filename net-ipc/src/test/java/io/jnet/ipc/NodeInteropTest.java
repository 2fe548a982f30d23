package io.jnet.ipc;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.PeerCredentials;
import io.jnet.Server;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jnet and Node.js's {@code net} over one Unix socket, both ways, exchanging newline-delimited JSON (the
 * framing of Node's own child_process IPC channel). The Node scripts are in {@code src/test/node}.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class NodeInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final int MESSAGES = 500;

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

    private static Path script(String name) {
        return Path.of("src", "test", "node", name).toAbsolutePath();
    }

    @Test
    void nodeClientRoundTripsNdjsonThroughAJnetServerThatSeesNodesPid() throws Exception {
        Path path = dir.resolve("jnet.sock");
        List<Optional<PeerCredentials>> peers = new CopyOnWriteArrayList<>();
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            peers.add(socket.peerCredentials());
            socket.on(Socket.DATA, new LineSplitter(line -> {
                Matcher m = SEQ.matcher(line);
                String seq = m.find() ? m.group(1) : "-1";
                socket.write("{\"seq\":" + seq + ",\"echo\":" + line + "}\n");
            }));
            socket.on(Socket.END, socket::end);
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));

        node = new ProcessBuilder("node", script("ndjson-client.js").toString(), path.toString(), String.valueOf(MESSAGES))
                .redirectErrorStream(true).start();
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            output = out.readLine();
        }
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        assertEquals("ok " + MESSAGES, output);
        assertEquals(0, node.exitValue());
        assertEquals(node.pid(), peers.get(0).orElseThrow().pid());
    }

    @Test
    void jnetClientRoundTripsNdjsonThroughANodeServer() throws Exception {
        Path path = dir.resolve("node.sock");
        node = new ProcessBuilder("node", script("ndjson-echo-server.js").toString(), path.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("listening "), "node said: " + ready);
        long nodePid = Long.parseLong(ready.substring("listening ".length()));

        List<String> replies = new CopyOnWriteArrayList<>();
        List<Optional<PeerCredentials>> peers = new CopyOnWriteArrayList<>();
        Socket client = Net.socket(Endpoint.ipc(path), ConnectOptions.defaults());
        sockets.add(client);
        client.on(Socket.DATA, new LineSplitter(replies::add));
        List<String> sent = new ArrayList<>();
        for (int seq = 0; seq < MESSAGES; seq++) {
            sent.add("{\"seq\":" + seq + ",\"text\":\"message " + seq + " " + "y".repeat(seq % 89) + "\",\"unicode\":\"żółw ✓\"}");
        }
        client.connect(() -> peers.add(client.peerCredentials()));
        sent.forEach(line -> client.write(line + "\n"));
        await().atMost(WAIT).until(() -> replies.size() == MESSAGES);
        client.end();
        for (int seq = 0; seq < MESSAGES; seq++) {
            assertEquals("{\"seq\":" + seq + ",\"echo\":" + sent.get(seq) + ",\"pid\":" + nodePid + "}", replies.get(seq));
        }
        assertEquals(nodePid, peers.get(0).orElseThrow().pid());
        node.getOutputStream().close(); // the script exits when its stdin closes
        assertTrue(node.waitFor(20, TimeUnit.SECONDS));
    }
}
