package io.jnet.it.conformance;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's adoption of existing descriptors ({@code new net.Socket({fd})}, {@code server.listen(handle)}),
 * as jnet offers it on the JVM: {@link Net#adopt(SocketChannel)} and {@link Server#listen(ServerSocketChannel)}
 * over channels opened elsewhere (the JDK's for TCP, junixsocket's for IPC), since the JVM has no portable
 * channel-from-descriptor-number API.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdoptChannelConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Server> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    private Server echoServer(Endpoint at) {
        Server server = Net.createServer(s -> {
            sockets.add(s);
            s.on(Socket.DATA, s::write);
        });
        servers.add(server);
        server.listen(at);
        await().atMost(WAIT).until(server::isListening);
        return server;
    }

    /** Writes {@code text} on an adopted socket and returns what comes back from the echo server. */
    private String roundTrip(Socket adopted, String text) throws InterruptedException {
        sockets.add(adopted);
        BlockingQueue<String> back = new LinkedBlockingQueue<>();
        StringBuilder got = new StringBuilder();
        adopted.on(Socket.DATA, chunk -> {
            got.append(StandardCharsets.UTF_8.decode(chunk));
            if (got.length() >= text.length()) {
                back.add(got.toString());
            }
        });
        adopted.write(text);
        return back.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** test-net-connect-options-fd.js: a socket wrapped around a connected TCP channel exchanges data. */
    @Test
    void anAdoptedTcpChannelExchangesData() throws Exception {
        Server echo = echoServer(Endpoint.tcp("127.0.0.1", 0));
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", ((Endpoint.Tcp) echo.address()).port()));

        Socket adopted = Net.adopt(channel);

        assertEquals("over an adopted channel", roundTrip(adopted, "over an adopted channel"));
        assertEquals(echo.address(), adopted.remoteAddress());
    }

    /** test-net-connect-options-fd.js over a pipe: a socket wrapped around a connected IPC channel exchanges data. */
    @Test
    void anAdoptedIpcChannelExchangesData() throws Exception {
        Path path = dir.resolve("echo.sock");
        echoServer(Endpoint.ipc(path));
        AFUNIXSocketChannel channel = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(path));

        Socket adopted = Net.adopt(channel);

        assertEquals("over an adopted pipe", roundTrip(adopted, "over an adopted pipe"));
    }

    /** test-net-server-listen-handle.js: listen() on an existing bound TCP channel accepts on it. */
    @Test
    void listenOnABoundTcpChannelAcceptsOnIt() throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Server server = Net.createServer(accepted::add);
        servers.add(server);

        server.listen(channel);

        await().atMost(WAIT).until(server::isListening);
        assertEquals(Endpoint.tcp("127.0.0.1", port), server.address());
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
            Socket s = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            sockets.add(s);
            assertEquals(client.getLocalPort(), ((Endpoint.Tcp) s.remoteAddress()).port());
        }
        server.close();
        await().atMost(WAIT).until(() -> !channel.isOpen());
    }

    /** test-net-server-listen-handle.js over a pipe: listen() on an existing bound IPC channel accepts on it. */
    @Test
    void listenOnABoundIpcChannelAcceptsOnIt() throws Exception {
        Path path = dir.resolve("bound.sock");
        AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
        channel.bind(AFUNIXSocketAddress.of(path));
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Server server = Net.createServer(accepted::add);
        servers.add(server);

        server.listen(channel);

        await().atMost(WAIT).until(server::isListening);
        assertEquals(Endpoint.ipc(path), server.address());
        Socket client = Net.createConnection(Endpoint.ipc(path));
        sockets.add(client);
        sockets.add(accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** test-net-listen-fd0.js: listening on what is not a bound socket fails at once (Node: EINVAL/ENOTSOCK). */
    @Test
    void listenOnAnUnboundChannelIsRefusedAndLeavesItOpen() throws Exception {
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            Server server = Net.createServer();
            NetException e = assertThrows(NetException.class, () -> server.listen(unbound));
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
            assertTrue(e.getMessage().contains("is not bound"), e.getMessage());
            assertTrue(unbound.isOpen());
        }
    }

    /** The JDK's own Unix-domain channels share TCP's selector but no jnet transport serves them. */
    @Test
    void aJdkUnixDomainChannelIsAnInvalidHandleType() throws Exception {
        try (ServerSocketChannel jdkUnix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            jdkUnix.bind(UnixDomainSocketAddress.of(dir.resolve("jdk.sock")));
            NetException e = assertThrows(NetException.class, () -> Net.createServer().listen(jdkUnix));
            assertEquals(ErrorCode.ERR_INVALID_HANDLE_TYPE, e.code());
        }
    }

    @Test
    void adoptingAnUnconnectedChannelIsRefused() throws IOException {
        try (SocketChannel unconnected = SocketChannel.open()) {
            NetException e = assertThrows(NetException.class, () -> Net.adopt(unconnected));
            assertEquals(ErrorCode.ERR_SOCKET_CLOSED, e.code());
        }
    }
}
