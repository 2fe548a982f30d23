package io.jnet.it.conformance;

import io.jnet.ConnectOptions;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node's {@code net} behaviours over Unix domain socket files, plus those only socket paths have. */
class IpcNodeNetConformanceTest extends NodeNetConformanceTest {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("s" + next.incrementAndGet() + ".sock"));
    }

    /** An IPC client binds no name, so a dropped one has no remote address to report. */
    @Override
    protected void assertDroppedRemote(Drop drop) {
    }

    /** test-net-better-error-messages-path.js: Node's words are exactly {@code connect ENOENT <path>}. */
    /**
     * test-net-socket-tos.js over a socket file: no IP header, so Node only keeps the value for a pipe;
     * so does jnet, connected or not, and nothing throws.
     */
    @Test
    void typeOfServiceOverIpcIsOnlyKept() {
        Server server = listen(s -> s.on(Socket.DATA, c -> { }));
        Socket client = socketTo(server);
        client.connect();
        client.connected().orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        client.setTypeOfService(0x10);
        assertEquals(0x10, client.typeOfService());
    }

    @Test
    void connectToAMissingPathSaysConnectEnoentAndThePath() {
        Path missing = dir.resolve("fadagagsdfgsdf");
        Throwable error = connectError(Endpoint.ipc(missing), ConnectOptions.defaults());
        assertEquals("ENOENT", ((NetException) error).code().name());
        assertEquals("connect ENOENT " + missing, error.getMessage());
    }

    /** test-net-better-error-messages-listen-path.js: listening in a missing directory is an ERROR naming the path. */
    @Test
    void listenInAMissingDirectoryFiresAnErrorNamingThePath() {
        Path path = dir.resolve("blah").resolve("fadfa");
        Throwable error = listenError(track(Net.createServer()), Endpoint.ipc(path));
        assertTrue(error.getMessage().contains(path.toString()), error.getMessage());
    }

    /** test-net-pipe-connect-errors.js: connecting to a regular file is refused (Node: ENOTSOCK or ECONNREFUSED). */
    @Test
    void connectToARegularFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("0.txt"), "");
        Throwable error = connectError(Endpoint.ipc(file), ConnectOptions.defaults());
        assertEquals("ECONNREFUSED", ((NetException) error).code().name(), error.getMessage());
    }
}
