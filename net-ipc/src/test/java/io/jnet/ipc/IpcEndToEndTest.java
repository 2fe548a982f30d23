package io.jnet.ipc;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.testing.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPC through the public API: {@code Net.createServer(...).listen(Endpoint.ipc(path))} and friends. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    private Server echoServer(Endpoint endpoint) {
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            socket.on(Socket.DATA, socket::write);
            socket.on(Socket.END, socket::end);
        });
        servers.add(server);
        server.listen(endpoint);
        return server;
    }

    private EventLog roundTrip(Endpoint endpoint, String text) {
        Socket client = Net.socket(endpoint, ConnectOptions.defaults());
        sockets.add(client);
        EventLog log = EventLog.of(client);
        client.connect();
        client.end(text);
        await().atMost(WAIT).until(() -> log.has("close:false") || log.has("close:true"));
        return log;
    }

    private EventLog failedConnect(Endpoint endpoint) {
        Socket client = Net.socket(endpoint, ConnectOptions.defaults());
        sockets.add(client);
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        return log;
    }

    @Test
    void echoOverASocketPathAndCloseRemovesTheFile() {
        Path path = dir.resolve("echo.sock");
        Server server = echoServer(Endpoint.ipc(path));
        assertEquals(Endpoint.ipc(path), server.address());
        EventLog log = roundTrip(Endpoint.ipc(path), "hello over ipc");
        assertEquals(List.of("connect", "end", "close:false"), log.events());
        assertEquals("hello over ipc", log.text());
        server.close();
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void listenOnAPathAndConnectToAPathAsInNode() {
        Path path = dir.resolve("node-style.sock");
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            socket.end("hi from " + socket.localAddress());
        });
        servers.add(server);
        server.listen(path);
        List<String> got = new CopyOnWriteArrayList<>();
        Socket client = Net.createConnection(path, null);
        sockets.add(client);
        client.on(Socket.DATA, chunk -> got.add(java.nio.charset.StandardCharsets.UTF_8.decode(chunk).toString()));
        await().atMost(WAIT).until(() -> String.join("", got).equals("hi from " + path));
    }

    @Test
    void aClosedServerCanListenOnTheSamePathAgain() {
        Path path = dir.resolve("again.sock");
        Server first = echoServer(Endpoint.ipc(path));
        first.close();
        Server second = echoServer(Endpoint.ipc(path));
        assertEquals("again", roundTrip(second.address(), "again").text());
    }

    @Test
    void acceptedSocketNamesThePublicPathNotThePrivateBindName() {
        Path path = dir.resolve("named.sock");
        List<Endpoint> locals = new CopyOnWriteArrayList<>();
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            locals.add(socket.localAddress());
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));
        Socket client = Net.createConnection(Endpoint.ipc(path));
        sockets.add(client);
        await().atMost(WAIT).until(() -> locals.size() == 1);
        assertEquals(Endpoint.ipc(path), locals.get(0));
    }

    @Test
    void abstractNamespaceEchoesLeavesNoFileAndRefusesASecondListener() throws IOException {
        Endpoint.IpcAbstract name = Endpoint.ipcAbstract("jnet-test-" + UUID.randomUUID());
        Server server = echoServer(name);
        assertEquals(name, server.address());
        EventLog log = roundTrip(name, "abstract");
        assertEquals("abstract", log.text());
        NetException e = assertThrows(NetException.class, () -> Net.createServer().listen(name));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains(name.toString()), e.getMessage());
        try (var entries = Files.list(dir)) {
            assertEquals(0, entries.count());
        }
        server.close();
        EventLog late = failedConnect(name);
        assertEquals(ErrorCode.ECONNREFUSED, ((NetException) late.error()).code());
    }

    @Test
    void connectToAMissingPathIsEnoentNamingIt() {
        Path path = dir.resolve("nobody.sock");
        EventLog log = failedConnect(Endpoint.ipc(path));
        NetException e = assertInstanceOf(NetException.class, log.error());
        assertEquals(ErrorCode.ENOENT, e.code());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void connectToAStaleSocketFileIsConnectionRefused() throws IOException {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel jdk = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            jdk.bind(UnixDomainSocketAddress.of(path));
        }
        EventLog log = failedConnect(Endpoint.ipc(path));
        assertEquals(ErrorCode.ECONNREFUSED, ((NetException) log.error()).code());
    }

    @Test
    void connectToAPathOverTheSunPathLimitIsEnametoolong() {
        Path path = dir.resolve("z".repeat(120));
        EventLog log = failedConnect(Endpoint.ipc(path));
        NetException e = assertInstanceOf(NetException.class, log.error());
        assertEquals(ErrorCode.ENAMETOOLONG, e.code());
        assertTrue(e.getMessage().contains("sun_path"), e.getMessage());
    }

    @Test
    void peerClosingWhileThisSideIsPausedIsSeenOnResume() {
        Path path = dir.resolve("paused.sock");
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Server server = Net.createServer(socket -> {
            sockets.add(socket);
            accepted.add(socket);
        });
        servers.add(server);
        server.listen(Endpoint.ipc(path));
        Socket client = Net.socket(Endpoint.ipc(path), ConnectOptions.defaults());
        sockets.add(client);
        EventLog log = EventLog.of(client);
        client.pause();
        client.connect();
        await().atMost(WAIT).until(() -> accepted.size() == 1);
        Socket serverSide = accepted.get(0);
        // Written, then closed outright: the client's selector sees a hang-up while the client is paused.
        serverSide.write("last words", written -> serverSide.destroy());
        await().atMost(WAIT).until(() -> server.getConnections() == 0);
        assertTrue(client.isPaused());
        client.resume();
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals("last words", log.text());
        assertTrue(log.has("end"));
    }
}
