package io.jnet.it;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import io.jnet.it.peer.Echo;
import io.jnet.it.peer.EchoServerPeer;
import io.jnet.it.peer.StreamClientPeer;
import io.jnet.testkit.JnetServerExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jnet talking to jnet in another JVM (started with {@link ProcessBuilder}) over raw byte streams, on
 * TCP and on IPC: megabytes each way, with back-pressure, every byte checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmToJvmStreamTest {
    private static final int BYTES = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Wire.class)
    void clientHereStreamsThroughEchoServerInAnotherJvm(Wire wire) throws Exception {
        try (ChildProcess server = ChildProcess.java(EchoServerPeer.class, wire.listenArgument(dir))) {
            String line = server.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(15));
            Endpoint endpoint = Endpoint.parse(line.substring("listening on ".length()));
            assertEquals(BYTES, echoThrough(endpoint, BYTES));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void clientInAnotherJvmStreamsThroughEchoServerHere(Wire wire) throws Exception {
        try (JnetServerExtension server = wire.testServer(Echo::attach).start();
             ChildProcess client = ChildProcess.java(StreamClientPeer.class, server.endpoint().toString(), String.valueOf(BYTES))) {
            assertEquals(0, client.awaitExit(Duration.ofSeconds(30)), client.stderr());
            assertEquals("verified " + BYTES + " bytes\n", client.stdoutText());
        }
    }

    /**
     * Sends {@code total} pattern bytes to the echo server at {@code endpoint} from a writer thread,
     * reads the echo on this one, and returns how many bytes came back, failing at the first wrong byte.
     */
    static long echoThrough(Endpoint endpoint, int total) throws Exception {
        Socket socket = Net.socket(endpoint, ConnectOptions.defaults());
        InputStream in = socket.inputStream();
        OutputStream out = socket.outputStream();
        socket.connect();
        byte[] payload = TestBytes.pattern(total);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                out.write(payload);
                out.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long got = 0;
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; got += n) {
                long bad = TestBytes.firstMismatch(buf, 0, n, got);
                if (bad >= 0) {
                    throw new AssertionError("echo from " + endpoint + " differs from what was sent at byte " + bad);
                }
            }
            written.get(10, TimeUnit.SECONDS);
        } finally {
            socket.destroy();
        }
        return got;
    }
}
