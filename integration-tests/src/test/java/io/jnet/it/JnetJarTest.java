package io.jnet.it;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code jnet} jar as a black box: each subcommand run as {@code java -jar jnet.jar ...}, with
 * stdout, stderr and the exit code checked against the contract in issue 5 that scripts rely on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JnetJarTest {
    private static final Duration EXIT = Duration.ofSeconds(20);

    @BeforeAll
    static void jarIsBuilt() {
        assertTrue(Files.isRegularFile(ChildProcess.jnetJar()),
                "missing " + ChildProcess.jnetJar() + ": net-cli must be packaged before integration-tests runs");
    }

    @Test
    void versionPrintsOneLineAndExitsZero() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("--version")) {
            assertEquals(0, jnet.awaitExit(EXIT));
            assertTrue(jnet.stdoutText().matches("jnet \\d+\\.\\d+\\.\\d+\\S*\\R"), jnet.stdoutText());
            assertEquals("", jnet.stderr());
        }
    }

    @Test
    void helpListsEverySubcommand() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("--help")) {
            assertEquals(0, jnet.awaitExit(EXIT));
            for (String command : new String[] {"demo", "serve", "connect", "http"}) {
                assertTrue(jnet.stdoutText().contains("  " + command + " "), command + " missing from:\n" + jnet.stdoutText());
            }
        }
    }

    @Test
    void noArgumentsPrintsTheOverviewOnStderrAndExitsTwo() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet()) {
            assertEquals(2, jnet.awaitExit(EXIT));
            assertEquals("", jnet.stdoutText());
            assertTrue(jnet.stderr().contains("Usage: jnet COMMAND"), jnet.stderr());
        }
    }

    @Test
    void eachSubcommandHasItsOwnHelpWithItsUsageLine() throws Exception {
        for (String command : new String[] {"demo", "serve", "connect", "http"}) {
            try (ChildProcess jnet = ChildProcess.jnet(command, "--help")) {
                assertEquals(0, jnet.awaitExit(EXIT), jnet.stderr());
                assertTrue(jnet.stdoutText().startsWith("Usage: jnet " + command), jnet.stdoutText());
            }
        }
    }

    @Test
    void unknownCommandIsAUsageErrorOnStderr() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("frobnicate")) {
            assertEquals(2, jnet.awaitExit(EXIT));
            assertTrue(jnet.stderr().startsWith("jnet: unknown command \"frobnicate\""), jnet.stderr());
            assertEquals("", jnet.stdoutText());
        }
    }

    @Test
    void unknownOptionNamesTheOptionAndPointsAtSubcommandHelp() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("serve", "--port", "0", "--colour")) {
            assertEquals(2, jnet.awaitExit(EXIT));
            assertEquals("jnet: unknown option --colour\nTry 'jnet serve --help'.\n", jnet.stderr());
        }
    }

    @Test
    void demoRunsEverySectionAndExitsZeroWithinFiveSeconds() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("demo")) {
            long start = System.nanoTime();
            assertEquals(0, jnet.awaitExit(EXIT), jnet.stderr());
            long ms = (System.nanoTime() - start) / 1_000_000;
            // JVM start-up included; the contract is "under 5 s" for the user who types the command.
            assertTrue(ms < 5_000, "jnet demo took " + ms + " ms");
            String out = jnet.stdoutText();
            assertTrue(out.contains("== TCP echo"), out);
            assertTrue(out.contains("client  data \"hello over TCP\\n\""), out);
            assertTrue(out.contains("== The same code over IPC"), out);
            assertTrue(out.contains("client  data \"hello over IPC\\n\""), out);
            assertTrue(out.contains("client  reply {\"pong\":3}"), out);
            assertTrue(out.matches("(?s).*TCP connections +50 +1\n.*"), "50 one-shot connections, 1 keep-alive:\n" + out);
            assertTrue(out.contains("All done in"), out);
            assertEquals("", jnet.stderr());
        }
    }

    @Test
    void serveReportsTheRealPortAndEchoesEveryByteValueForConnect() throws Exception {
        try (ChildProcess server = ChildProcess.jnet("serve", "--port", "0")) {
            int port = tcpPort(server);
            // Every byte value, CR, LF and NUL included: connect must not treat stdin or stdout as text.
            byte[] payload = new byte[3 * 1024 * 1024];
            new java.util.Random(42).nextBytes(payload);
            try (ChildProcess client = ChildProcess.jnet("connect", "127.0.0.1", String.valueOf(port))) {
                client.sendStdinAndClose(payload);
                assertEquals(0, client.awaitExit(EXIT), client.stderr());
                assertArrayEquals(payload, client.stdoutBytes(), "echo through jnet serve and jnet connect");
                assertEquals("", client.stderr());
            }
        }
    }

    @Test
    void serveEchoesAStreamFarLargerThanItsBuffersInOrderToAClientThatReadsSlowly() throws Exception {
        // 32 MiB against a 64 KiB high-water mark and the kernel's buffers: the echo must pause, resume
        // on drain and copy the part of each borrowed view the kernel did not take, without a byte lost
        // or reordered. The client reads in 1 KiB bites so that it, not the server, sets the pace.
        int total = 32 << 20;
        try (ChildProcess server = ChildProcess.jnet("serve", "--port", "0");
             SocketChannel client = SocketChannel.open(
                     new InetSocketAddress("127.0.0.1", tcpPort(server)))) {
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                Future<Long> sent = writer.submit(() -> {
                    CRC32 crc = new CRC32();
                    java.util.Random random = new java.util.Random(7);
                    byte[] block = new byte[64 * 1024];
                    for (int written = 0; written < total; written += block.length) {
                        random.nextBytes(block);
                        crc.update(block);
                        ByteBuffer b = ByteBuffer.wrap(block);
                        while (b.hasRemaining()) {
                            client.write(b);
                        }
                    }
                    client.shutdownOutput();
                    return crc.getValue();
                });
                CRC32 crc = new CRC32();
                ByteBuffer bite = ByteBuffer.allocate(1024);
                long received = 0;
                for (int n; (n = client.read(bite.clear())) >= 0; ) {
                    crc.update(bite.array(), 0, n);
                    received += n;
                }
                assertEquals(total, received, "bytes echoed before serve ended the connection");
                assertEquals(sent.get(10, TimeUnit.SECONDS), crc.getValue(), "CRC32 of what was sent and echoed");
            } finally {
                writer.shutdownNow();
            }
        }
    }

    @Test
    void serveDiscardModeSendsNothingBackAndConnectExitsZeroOnItsEnd() throws Exception {
        try (ChildProcess server = ChildProcess.jnet("serve", "--port", "0", "--mode", "discard")) {
            int port = tcpPort(server);
            try (ChildProcess client = ChildProcess.jnet("connect", "127.0.0.1", String.valueOf(port))) {
                client.sendStdinAndClose(TestBytes.pattern(100_000));
                assertEquals(0, client.awaitExit(EXIT), client.stderr());
                assertEquals(0, client.stdoutBytes().length);
            }
        }
    }

    @Test
    void serveOnATakenPortFailsWithOneEaddrinuseLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             ChildProcess jnet = ChildProcess.jnet("serve", "--port", String.valueOf(taken.getLocalPort()))) {
            assertEquals(1, jnet.awaitExit(EXIT));
            assertEquals("jnet: listen EADDRINUSE: address already in use 127.0.0.1:" + taken.getLocalPort() + "\n",
                    jnet.stderr());
            assertEquals("", jnet.stdoutText());
        }
    }

    @Test
    void connectToAClosedPortFailsWithOneEconnrefusedLine() throws Exception {
        int port = closedPort();
        try (ChildProcess jnet = ChildProcess.jnet("connect", "127.0.0.1", String.valueOf(port))) {
            jnet.stdin().close();
            assertEquals(1, jnet.awaitExit(EXIT));
            assertEquals("jnet: connect ECONNREFUSED 127.0.0.1:" + port + "\n", jnet.stderr());
            assertEquals("", jnet.stdoutText());
        }
    }

    @Test
    void connectHalfClosesOnStdinEofAndStillPrintsWhatThePeerSendsAfterwards() throws Exception {
        // A jnet server in this JVM that answers only once the client has ended: proof that stdin's EOF
        // is a half-close (the connection stays readable), not a close.
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Server server = Net.createServer(peer -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            peer.on(Socket.DATA, chunk -> got.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining()));
            peer.on(Socket.END, () -> {
                received.complete(got.toByteArray());
                peer.end("you sent " + got.size() + " bytes\n");
            });
        });
        server.listen(Endpoint.tcp("127.0.0.1", 0));
        try (ChildProcess client = ChildProcess.jnet("connect", "127.0.0.1", String.valueOf(port(server)))) {
            client.sendStdinAndClose("ping".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, client.awaitExit(EXIT), client.stderr());
            assertEquals("ping", new String(received.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertEquals("you sent 4 bytes\n", client.stdoutText());
        } finally {
            server.close();
        }
    }

    @Test
    void connectWithoutAPortIsAUsageError() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("connect", "127.0.0.1")) {
            assertEquals(2, jnet.awaitExit(EXIT));
            assertTrue(jnet.stderr().startsWith("jnet: expected HOST PORT or --unix PATH"), jnet.stderr());
        }
    }

    @Test
    void serveAndConnectEchoOverAUnixSocketPath(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("jnet.sock");
        try (ChildProcess server = ChildProcess.jnet("serve", "--unix", path.toString())) {
            assertEquals("listening on " + path, server.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(10)));
            byte[] payload = TestBytes.pattern(1024 * 1024);
            try (ChildProcess client = ChildProcess.jnet("connect", "--unix", path.toString())) {
                client.sendStdinAndClose(payload);
                assertEquals(0, client.awaitExit(EXIT), client.stderr());
                assertArrayEquals(payload, client.stdoutBytes(), "echo through jnet serve --unix and jnet connect --unix");
            }
        }
    }

    @Test
    void connectToAMissingSocketPathFailsWithOneLineNamingThePath(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("nobody-here.sock");
        try (ChildProcess jnet = ChildProcess.jnet("connect", "--unix", path.toString())) {
            jnet.stdin().close();
            assertEquals(1, jnet.awaitExit(EXIT));
            String err = jnet.stderr();
            assertTrue(err.startsWith("jnet: connect ENOENT") && err.endsWith(path + "\n") && err.lines().count() == 1, err);
        }
    }

    @Test
    void serveEchoesManyClientsAtOnce() throws Exception {
        try (ChildProcess server = ChildProcess.jnet("serve", "--port", "0")) {
            Endpoint endpoint = Endpoint.tcp("127.0.0.1", tcpPort(server));
            int clients = 20;
            int bytes = 256 * 1024;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Long>> echoed = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    echoed.add(pool.submit(() -> JvmToJvmStreamTest.echoThrough(endpoint, bytes)));
                }
                for (Future<Long> f : echoed) {
                    assertEquals(bytes, f.get(20, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void serveRemovesItsSocketFileWhenTerminated(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("jnet.sock");
        try (ChildProcess server = ChildProcess.jnet("serve", "--unix", path.toString())) {
            server.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(10));
            assertTrue(Files.exists(path), "no socket file at " + path);
            server.terminate();
            server.awaitExit(EXIT);
            assertFalse(Files.exists(path), "socket file left behind at " + path + " after SIGTERM");
        }
    }

    /** Reads the port from serve's first stdout line, checking the line's exact form on the way. */
    static int tcpPort(ChildProcess server) throws InterruptedException {
        String line = server.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(10));
        assertTrue(line.matches("listening on 127\\.0\\.0\\.1:[1-9]\\d*"), line);
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    static int port(Server server) {
        return ((Endpoint.Tcp) server.address()).port();
    }

    /** A loopback port nothing listens on: bound by the system, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
