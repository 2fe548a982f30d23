package io.jnet.tcp;

import io.jnet.BlockList;
import io.jnet.ConnectOptions;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a TCP server admits (blockList) and how it listens (port(), reusePort). */
class TcpServerFilteringTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        servers.forEach(Server::close);
    }

    private Server server(ServerOptions options, AtomicInteger accepted, List<Drop> drops) {
        Server server = Net.createServer(options, s -> {
            sockets.add(s);
            accepted.incrementAndGet();
        });
        server.on(Server.DROP, drops::add);
        servers.add(server);
        return server;
    }

    private Socket connect(String host, int port) {
        Socket socket = Net.socket(Endpoint.tcp(host, port), ConnectOptions.defaults());
        sockets.add(socket);
        socket.on(Socket.ERROR, e -> { }); // a dropped peer may see ECONNRESET
        socket.on(Socket.DATA, chunk -> { });
        socket.connect();
        return socket;
    }

    @Test
    void aBlockedPeerIsClosedBeforeConnectionAndReportedOnDropAsBlocked() {
        BlockList blocked = new BlockList().addAddress("127.0.0.1");
        AtomicInteger accepted = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = server(ServerOptions.builder().blockList(blocked).build(), accepted, drops);
        server.listen(0, "127.0.0.1");

        Socket client = connect("127.0.0.1", server.port());

        await().atMost(WAIT).until(() -> drops.size() == 1 && client.isDestroyed());
        Drop drop = drops.get(0);
        assertEquals(Drop.Reason.BLOCKED, drop.reason());
        assertEquals("127.0.0.1", ((Endpoint.Tcp) drop.remoteAddress()).host());
        assertEquals(server.address(), drop.localAddress());
        assertEquals(0, accepted.get(), "CONNECTION never fires for a blocked peer");
        assertEquals(0, server.getConnections());
    }

    @Test
    void aPeerOffTheListIsAdmittedAndRulesAddedWhileListeningApplyToTheNextPeer() {
        BlockList blocked = new BlockList().addRange("127.0.0.2", "127.0.0.9");
        AtomicInteger accepted = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = server(ServerOptions.builder().blockList(blocked).build(), accepted, drops);
        server.listen(0, "127.0.0.1");

        connect("127.0.0.1", server.port());
        await().atMost(WAIT).until(() -> accepted.get() == 1);

        blocked.addSubnet("127.0.0.0", 8);
        connect("127.0.0.1", server.port());
        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals(Drop.Reason.BLOCKED, drops.get(0).reason());
        assertEquals(1, accepted.get());
    }

    @Test
    void anIpv4PeerOfADualStackServerIsBlockedByItsIpv4MappedRule() {
        BlockList blocked = new BlockList().addAddress("::ffff:127.0.0.1", "ipv6");
        AtomicInteger accepted = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = server(ServerOptions.builder().blockList(blocked).build(), accepted, drops);
        server.listen(0); // every address: on a dual-stack host the peer arrives as ::ffff:127.0.0.1

        connect("127.0.0.1", server.port());

        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals(Drop.Reason.BLOCKED, drops.get(0).reason());
        assertEquals(0, accepted.get());
    }

    @Test
    void anIpv6PeerIsBlockedByItsSubnet() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "no IPv6 loopback on this host");
        BlockList blocked = new BlockList().addSubnet("::", 64, "ipv6");
        AtomicInteger accepted = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = server(ServerOptions.builder().blockList(blocked).build(), accepted, drops);
        server.listen(0, "::1");

        connect("::1", server.port());

        await().atMost(WAIT).until(() -> drops.size() == 1);
        assertEquals("::1", ((Endpoint.Tcp) drops.get(0).remoteAddress()).host());
        assertEquals(0, accepted.get());
    }

    @Test
    void listenOnAPortWithACallbackAndReadThePortWithoutACast() {
        AtomicInteger listening = new AtomicInteger();
        Server server = server(ServerOptions.defaults(), new AtomicInteger(), new CopyOnWriteArrayList<>());
        NetException notRunning = assertThrows(NetException.class, server::port);
        assertEquals(ErrorCode.ERR_SERVER_NOT_RUNNING, notRunning.code());

        server.listen(0, listening::incrementAndGet);

        await().atMost(WAIT).until(() -> listening.get() == 1);
        int port = server.port();
        assertTrue(port > 0, "a real port after listen(0), was " + port);
        assertEquals(((Endpoint.Tcp) server.address()).port(), port);
    }

    @Test
    void listenOnAPortAndHostWithACallbackAsNodeDoes() {
        AtomicInteger listening = new AtomicInteger();
        Server server = server(ServerOptions.defaults(), new AtomicInteger(), new CopyOnWriteArrayList<>());

        server.listen(0, "127.0.0.1", listening::incrementAndGet);

        await().atMost(WAIT).until(() -> listening.get() == 1);
        Endpoint.Tcp bound = (Endpoint.Tcp) server.address();
        assertEquals("127.0.0.1", bound.host(), "bound to the host asked for");
        assertTrue(bound.port() > 0, "a real port after listen(0, host, cb), was " + bound.port());
    }

    @Test
    void twoServersWithReusePortShareOnePortAndBothGetConnections() {
        Assumptions.assumeTrue(reusePortSupported(), "SO_REUSEPORT not offered by this JDK here");
        ServerOptions reuse = ServerOptions.builder().reusePort(true).build();
        AtomicInteger firstAccepted = new AtomicInteger();
        AtomicInteger secondAccepted = new AtomicInteger();
        Server first = server(reuse, firstAccepted, new CopyOnWriteArrayList<>());
        first.listen(0, "127.0.0.1");
        Server second = server(reuse, secondAccepted, new CopyOnWriteArrayList<>());
        second.listen(first.port(), "127.0.0.1");
        assertEquals(first.port(), second.port());

        int batches = 10;
        int perBatch = 20; // 200 connections, at most 20 open at once
        for (int batch = 0; batch < batches; batch++) {
            List<Socket> clients = new java.util.ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                clients.add(connect("127.0.0.1", first.port()));
            }
            int expected = (batch + 1) * perBatch;
            await().atMost(WAIT).until(() -> firstAccepted.get() + secondAccepted.get() == expected);
            clients.forEach(Socket::destroy);
        }

        assertTrue(firstAccepted.get() > 0 && secondAccepted.get() > 0,
                "the kernel spreads connections over both: first " + firstAccepted + ", second " + secondAccepted);
    }

    @Test
    void withoutReusePortASecondServerOnTheSamePortFailsWithEaddrinuse() {
        Server first = server(ServerOptions.defaults(), new AtomicInteger(), new CopyOnWriteArrayList<>());
        first.listen(0, "127.0.0.1");
        Server second = server(ServerOptions.builder().reusePort(false).build(), new AtomicInteger(), new CopyOnWriteArrayList<>());
        NetException e = assertThrows(NetException.class, () -> second.listen(first.port(), "127.0.0.1"));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
    }

    private static boolean reusePortSupported() {
        try (ServerSocket s = new ServerSocket()) {
            return s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** test-net-blocklist.js: a client's blockList refuses the address before a packet leaves. */
    @Test
    void aClientBlockListRefusesTheAddressWithErrIpBlockedAndTheServerNeverSeesIt() {
        AtomicInteger accepted = new AtomicInteger();
        List<Drop> drops = new CopyOnWriteArrayList<>();
        Server server = server(ServerOptions.defaults(), accepted, drops);
        server.listen(0, "127.0.0.1");
        for (String rule : List.of("127.0.0.1", "::ffff:127.0.0.1")) { // an IPv4-mapped rule blocks the IPv4 peer too
            BlockList blocked = new BlockList().addAddress(rule);
            Socket client = Net.socket(Endpoint.tcp("127.0.0.1", server.port()),
                    ConnectOptions.builder().blockList(blocked).build());
            sockets.add(client);
            List<String> events = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            client.on(Socket.CONNECT, () -> events.add("connect"));
            client.on(Socket.ERROR, e -> {
                errors.add(e);
                events.add("error");
            });
            client.on(Socket.CLOSE, hadError -> events.add("close:" + hadError));
            client.connect();
            await().atMost(WAIT).until(() -> events.contains("close:true"));
            assertEquals(List.of("error", "close:true"), events, rule);
            NetException e = (NetException) errors.get(0);
            assertEquals(ErrorCode.ERR_IP_BLOCKED, e.code());
            assertEquals("connect ERR_IP_BLOCKED: IP(127.0.0.1) is blocked by net.BlockList 127.0.0.1:" + server.port(),
                    e.getMessage());
        }
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> accepted.get() == 0);
    }
}
