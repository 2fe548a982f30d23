package io.jnet.it;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.it.peer.Echo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jnet against Node.js's own {@code net} module, each side as client and as server, with the scripts
 * in {@code src/test/node}. Skipped (not failed) where {@code node} is not installed.
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

    @Test
    void jnetClientStreamsThroughNodeEchoServerOverTcp() throws Exception {
        try (ChildProcess node = ChildProcess.node("echo-server.js", "0")) {
            String line = node.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Endpoint endpoint = Endpoint.parse(line.substring("listening on ".length()));
            assertEquals(BYTES, JvmToJvmStreamTest.echoThrough(endpoint, BYTES));
        }
    }

    @Test
    void nodeClientStreamsThroughJnetEchoServerOverTcp() throws Exception {
        Server server = Net.createServer(Echo::attach);
        server.listen(Endpoint.tcp("127.0.0.1", 0));
        try (ChildProcess node = ChildProcess.node("stream-client.js", server.address().toString(), String.valueOf(BYTES))) {
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), node.stderr());
            assertEquals("verified " + BYTES + " bytes\n", node.stdoutText());
        } finally {
            server.close();
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
}
