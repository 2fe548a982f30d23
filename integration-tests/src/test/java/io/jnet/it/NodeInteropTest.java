package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.codec.MessageChannel;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.it.peer.Echo;
import io.jnet.testkit.EventTrace;
import io.jnet.testkit.JnetServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jnet against Node.js's own {@code net} module, each side as client and as server, over TCP and IPC,
 * with the scripts in {@code src/test/node}. Skipped (not failed) where {@code node} is not installed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeInteropTest {
    private static final int BYTES = 4 * 1024 * 1024;

    @BeforeAll
    static void nodeIsInstalled() {
        assumeTrue(NodeInteropTest.nodeAvailable(), "node is not on PATH; the Node.js interop suite is skipped");
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Wire.class)
    void jnetClientStreamsThroughNodeEchoServer(Wire wire) throws Exception {
        try (ChildProcess node = ChildProcess.node("echo-server.js", wire.nodeListenArgument(dir))) {
            String line = node.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Endpoint endpoint = Endpoint.parse(line.substring("listening on ".length()));
            assertEquals(BYTES, JvmToJvmStreamTest.echoThrough(endpoint, BYTES));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void nodeClientStreamsThroughJnetEchoServer(Wire wire) throws Exception {
        try (JnetServerExtension server = wire.testServer(Echo::attach).start();
             ChildProcess node = ChildProcess.node("stream-client.js", server.endpoint().toString(), String.valueOf(BYTES))) {
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), node.stderr());
            assertEquals("verified " + BYTES + " bytes\n", node.stdoutText());
        }
    }

    @Test
    void nodeClientSeesJnetServeAsAnEchoServer() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("serve", "--port", "0")) {
            int port = JnetJarTest.tcpPort(jnet);
            try (ChildProcess node = ChildProcess.node("stream-client.js", "127.0.0.1:" + port, String.valueOf(BYTES))) {
                assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), node.stderr());
                assertEquals("verified " + BYTES + " bytes\n", node.stdoutText());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void jnetMessageChannelTalksNewlineDelimitedJsonWithNode(Wire wire) throws Exception {
        try (ChildProcess node = ChildProcess.node("ndjson-server.js", wire.nodeListenArgument(dir))) {
            String line = node.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Endpoint endpoint = Endpoint.parse(line.substring("listening on ".length()));
            // Multi-byte UTF-8 in every message, so a code point split across chunks would show on both sides.
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add("{\"i\":" + i + ",\"text\":\"h\u00e9llo \u2713 \ud83c\udf89 " + "x".repeat(i * 37 % 5000) + "\"}");
            }
            List<String> replies = new ArrayList<>();
            Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
            EventTrace trace = EventTrace.withoutData(socket); // the channel reads
            MessageChannel channel = MessageChannel.lines(socket, 64 * 1024);
            channel.on(MessageChannel.MESSAGE, m -> {
                replies.add(StandardCharsets.UTF_8.decode(m).toString());
                if (replies.size() == sent.size()) {
                    socket.end();
                }
            });
            socket.on(Socket.CONNECT, () -> sent.forEach(channel::send));
            socket.connect();
            trace.awaitClose(Duration.ofSeconds(30)).assertSubsequence("connect", "end", "close false");
            assertEquals(sent.size(), replies.size());
            for (int i = 0; i < sent.size(); i++) {
                assertEquals("{\"n\":" + (i + 1) + ",\"echo\":" + sent.get(i) + "}", replies.get(i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void nodeNewlineDelimitedJsonClientIsAnsweredByAJnetMessageChannel(Wire wire) throws Exception {
        JnetServerExtension server = wire.testServer(socket -> {
            MessageChannel channel = MessageChannel.lines(socket, 64 * 1024);
            int[] n = new int[1];
            channel.on(MessageChannel.MESSAGE, m ->
                    channel.send("{\"n\":" + ++n[0] + ",\"echo\":" + StandardCharsets.UTF_8.decode(m) + "}"));
            socket.on(Socket.END, socket::end);
        });
        try (server; ChildProcess node = ChildProcess.node("ndjson-client.js", server.start().endpoint().toString(), "300")) {
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), node.stderr());
            assertEquals("verified 300 replies\n", node.stdoutText());
        }
    }
}
