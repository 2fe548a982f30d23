package io.jnet.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link RealServerSuite} against Node.js's own {@code http} server in a child process; skipped without {@code node}. */
class NodeHttpServerTest extends RealServerSuite {
    @TempDir
    static Path dir;
    private static Process node;
    private static int port;

    @BeforeAll
    static void startNode() throws IOException {
        Path script = dir.resolve("node-http-server.js");
        try (InputStream in = NodeHttpServerTest.class.getResourceAsStream("/node-http-server.js")) {
            Files.copy(in, script);
        }
        try {
            node = new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not installed: " + e.getMessage());
        }
        // The first line is the port; readLine returns null (and the test fails) if node dies first.
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("node exited before printing its port");
        }
        port = Integer.parseInt(line.trim());
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.getOutputStream().close(); // the script exits when stdin closes
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @Override
    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
