package io.jnet.tcp;

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

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only TCP has: ports, hosts, IPv6, name lookups, socket options, resets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
        for (AutoCloseable c : others) {
            c.close();
        }
    }

    private Server echo() {
        Server s = Net.createServer(socket -> {
            sockets.add(socket);
            socket.on(Socket.DATA, socket::write);
            socket.on(Socket.END, socket::end);
        });
        servers.add(s);
        return s;
    }

    private Socket socket(Endpoint endpoint, ConnectOptions options) {
        Socket s = Net.socket(endpoint, options);
        sockets.add(s);
        return s;
    }

    @Test
    void listenOnPortZeroPicksAFreePortAndAddressReportsIt() {
        Server server = echo().listen(0, "127.0.0.1");
        Endpoint.Tcp address = (Endpoint.Tcp) server.address();
        assertEquals("127.0.0.1", address.host());
        assertNotEquals(0, address.port());
        Socket client = socket(address, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end("over IPv4");
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals("over IPv4", log.text());
        assertEquals(address, client.remoteAddress());
    }

    /** From a plain thread, with no loop in between: the kernel itself must refuse once close() returns. */
    @Test
    void aBlockingConnectRightAfterCloseReturnsIsRefused() {
        for (int round = 0; round < 50; round++) {
            Server server = echo().listen(0, "127.0.0.1");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", ((Endpoint.Tcp) server.address()).port());
            server.close();
            int r = round;
            assertThrows(java.net.ConnectException.class, () -> {
                try (SocketChannel ch = SocketChannel.open(address)) {
                    ch.getRemoteAddress(); // connected: close() returned with the port still listening
                }
            }, () -> "round " + r + ": connected to " + address + " after close() returned");
        }
    }

    @Test
    void listensAndConnectsOverIpv6Loopback() {
        Server server = echo().listen(0, "::1");
        Endpoint.Tcp address = (Endpoint.Tcp) server.address();
        assertEquals("::1", address.host());
        Socket client = socket(address, ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end("over IPv6");
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals("over IPv6", log.text());
        assertEquals("::1", ((Endpoint.Tcp) client.localAddress()).host());
    }

    @Test
    void listenOnAPortInUseThrowsEaddrinuseNamingHostAndPortAndTheServerCanListenElsewhere() {
        Server first = echo().listen(0, "127.0.0.1");
        int port = ((Endpoint.Tcp) first.address()).port();
        Server second = echo();
        NetException e = assertThrows(NetException.class, () -> second.listen(port, "127.0.0.1"));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().startsWith("listen EADDRINUSE"), e.getMessage());
        assertFalse(second.isListening());
        second.listen(0, "127.0.0.1");
        assertTrue(second.isListening());
    }

    @Test
    void connectingToAClosedPortFiresEconnrefusedNamingTheAddressThenCloseWithError() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Socket client = socket(Endpoint.tcp("127.0.0.1", port), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("error:ECONNREFUSED", "close:true"), log.events());
        assertEquals("connect ECONNREFUSED 127.0.0.1:" + port, log.error().getMessage());
    }

    @Test
    void aConnectThatDoesNotFinishInTimeFailsWithEtimedout() throws IOException {
        // A listener that never accepts, with its accept queue full: the kernel drops further SYNs,
        // so the next connect hangs on loopback until our timeout.
        ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        others.add(full);
        int port = full.getLocalPort();
        List<SocketChannel> fillers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            c.connect(new InetSocketAddress("127.0.0.1", port));
            fillers.add(c);
            others.add(c);
        }
        Socket client = socket(Endpoint.tcp("127.0.0.1", port),
                ConnectOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("error:ETIMEDOUT", "close:true"), log.events());
        assertTrue(log.error().getMessage().startsWith("connect ETIMEDOUT 127.0.0.1:" + port), log.error().getMessage());
    }

    @Test
    void anUnknownHostFailsWithEnotfoundLookedUpOffTheLoop() {
        Socket client = socket(Endpoint.tcp("no-such-host.invalid", 80), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("error:ENOTFOUND", "close:true"), log.events());
        assertEquals("getaddrinfo ENOTFOUND no-such-host.invalid", log.error().getMessage());
    }

    @Test
    void localhostResolvesAndConnects() {
        Server server = echo().listen(0, "127.0.0.1");
        int port = ((Endpoint.Tcp) server.address()).port();
        Socket client = socket(Endpoint.tcp("localhost", port), ConnectOptions.builder().family(4).build());
        EventLog log = EventLog.of(client);
        client.connect();
        client.end("by name");
        await().atMost(WAIT).until(() -> log.has("close:false"));
        assertEquals("by name", log.text());
    }

    @Test
    void setNoDelayAndSetKeepAliveReachTheChannel() throws Exception {
        Server server = echo().listen(0, "127.0.0.1");
        Socket client = socket(server.address(), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        SocketChannel channel = channelOf(client);
        assertFalse(channel.getOption(StandardSocketOptions.TCP_NODELAY));
        client.setNoDelay(true);
        client.setKeepAlive(true, Duration.ofSeconds(30));
        await().atMost(WAIT).until(() -> channel.getOption(StandardSocketOptions.TCP_NODELAY)
                && channel.getOption(StandardSocketOptions.SO_KEEPALIVE));
        assertEquals(30, channel.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
        client.setNoDelay(false);
        await().atMost(WAIT).until(() -> !channel.getOption(StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    void noDelayOptionIsAppliedOnConnect() throws Exception {
        Server server = echo().listen(0, "127.0.0.1");
        Socket client = socket(server.address(), ConnectOptions.builder().noDelay(true).keepAlive(true).build());
        EventLog log = EventLog.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> log.has("connect"));
        assertTrue(channelOf(client).getOption(StandardSocketOptions.TCP_NODELAY));
        assertTrue(channelOf(client).getOption(StandardSocketOptions.SO_KEEPALIVE));
    }

    @Test
    void aResetFromThePeerFiresEconnresetThenCloseWithError() throws Exception {
        ServerSocket raw = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        others.add(raw);
        Socket client = socket(Endpoint.tcp("127.0.0.1", raw.getLocalPort()), ConnectOptions.defaults());
        EventLog log = EventLog.of(client);
        client.connect();
        try (java.net.Socket peer = raw.accept()) {
            // Reset only once the client has seen CONNECT: a reset that beats the loop's finishConnect()
            // is reported by the connect itself (connect ECONNRESET), which is another test's case.
            await().atMost(WAIT).until(() -> log.has("connect"));
            // SO_LINGER 0: close() sends RST instead of FIN.
            peer.setSoLinger(true, 0);
        }
        await().atMost(WAIT).until(() -> log.has("close:true"));
        assertEquals(List.of("connect", "error:ECONNRESET", "close:true"), log.events());
        assertInstanceOf(NetException.class, log.error());
        assertTrue(log.error().getMessage().startsWith("read ECONNRESET 127.0.0.1:"), log.error().getMessage());
    }

    @Test
    void dropEventCarriesTheRemoteAddress() {
        Server server = echo().listen(0, "127.0.0.1");
        server.setMaxConnections(1);
        AtomicReference<io.jnet.Drop> drop = new AtomicReference<>();
        server.on(Server.DROP, drop::set);
        Socket first = socket(server.address(), ConnectOptions.defaults());
        EventLog firstLog = EventLog.of(first);
        first.connect();
        first.write("x");
        await().atMost(WAIT).until(() -> firstLog.text().equals("x"));
        Socket second = socket(server.address(), ConnectOptions.defaults());
        EventLog secondLog = EventLog.of(second);
        second.connect();
        await().atMost(WAIT).until(() -> secondLog.has("connect"));
        await().atMost(WAIT).until(() -> drop.get() != null);
        assertEquals(second.localAddress(), drop.get().remoteAddress());
    }

    private static SocketChannel channelOf(Socket socket) throws ReflectiveOperationException {
        Field f = socket.getClass().getDeclaredField("channel");
        f.setAccessible(true);
        return (SocketChannel) f.get(socket);
    }
}
