package io.jnet.ipc;

import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.PeerCredentials;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer credentials read from the kernel, and {@code allowPeer} deciding on them, with a real child process. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerCredentialsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private Process child;

    @AfterEach
    void cleanUp() throws InterruptedException {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
        if (child != null) {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Server listen(ServerOptions options, Path path, List<Socket> accepted) {
        Server server = Net.createServer(options, socket -> {
            sockets.add(socket);
            accepted.add(socket);
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));
        return server;
    }

    private Process startChild(Path socketPath) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CredentialsChild.class.getName(), socketPath.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private long ownUid() throws IOException {
        return ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
    }

    @Test
    void serverSeesTheConnectingChildProcessPidAndUid() throws IOException {
        Path path = dir.resolve("creds.sock");
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        StringBuilder line = new StringBuilder();
        Server server = Net.createServer(ServerOptions.defaults(), socket -> {
            sockets.add(socket);
            socket.on(Socket.DATA, chunk -> {
                synchronized (line) {
                    line.append(StandardCharsets.US_ASCII.decode(chunk));
                }
            });
            accepted.add(socket);
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));

        child = startChild(path);
        await().atMost(WAIT).until(() -> accepted.size() == 1);
        await().atMost(WAIT).until(() -> {
            synchronized (line) {
                return line.indexOf("\n") > 0;
            }
        });
        Optional<PeerCredentials> creds = accepted.get(0).peerCredentials();
        assertTrue(creds.isPresent());
        assertEquals(child.pid(), creds.get().pid());
        assertEquals(Long.parseLong(line.toString().trim()), creds.get().pid(), "the pid the child reports itself");
        assertEquals(ownUid(), creds.get().uid());
    }

    @Test
    void clientSeesTheServerProcessCredentials() throws IOException {
        Path path = dir.resolve("self.sock");
        listen(ServerOptions.defaults(), path, new CopyOnWriteArrayList<>());
        List<Optional<PeerCredentials>> seen = new CopyOnWriteArrayList<>();
        Socket client = Net.socket(Endpoint.ipc(path), io.jnet.ConnectOptions.defaults());
        sockets.add(client);
        client.connect(() -> seen.add(client.peerCredentials()));
        await().atMost(WAIT).until(() -> seen.size() == 1);
        PeerCredentials creds = seen.get(0).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), creds.pid());
        assertEquals(ownUid(), creds.uid());
        assertTrue(creds.gid() >= 0);
    }

    @Test
    void allowPeerRefusesAPeerWithDropAndAdmitsTheChosenOne() throws IOException {
        Path path = dir.resolve("gate.sock");
        java.util.concurrent.atomic.AtomicLong admittedPid = new java.util.concurrent.atomic.AtomicLong(-2);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Server server = listen(ServerOptions.builder().allowPeer(peer -> peer.pid() == admittedPid.get()).build(), path, accepted);
        List<Drop> drops = new CopyOnWriteArrayList<>();
        server.on(Server.DROP, drops::add);

        // This JVM is not the admitted pid: dropped before CONNECTION, with its credentials in the DROP.
        // Listeners first, connect second: over IPC the drop can be seen before a later on(CLOSE) call.
        Socket refused = Net.socket(Endpoint.ipc(path), io.jnet.ConnectOptions.defaults());
        sockets.add(refused);
        List<Boolean> closed = new CopyOnWriteArrayList<>();
        refused.on(Socket.CLOSE, closed::add);
        refused.connect();
        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals(Drop.Reason.PEER_REFUSED, drops.get(0).reason());
        assertEquals(ProcessHandle.current().pid(), drops.get(0).peer().pid());
        await().atMost(WAIT).until(() -> closed.size() == 1);
        assertEquals(List.of(), accepted, "CONNECTION never fired for the refused peer");

        child = startChild(path);
        admittedPid.set(child.pid());
        // The pid is set after start, so the child may have been dropped if it raced ahead; it then exits.
        await().atMost(WAIT).until(() -> accepted.size() == 1 || !child.isAlive());
        if (accepted.isEmpty()) {
            child = startChild(path);
            admittedPid.set(child.pid());
            await().atMost(WAIT).until(() -> accepted.size() == 1 || !child.isAlive());
        }
        assertEquals(1, accepted.size());
        assertEquals(child.pid(), accepted.get(0).peerCredentials().orElseThrow().pid());
    }
}
