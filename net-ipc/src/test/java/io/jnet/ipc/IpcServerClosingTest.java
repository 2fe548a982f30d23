package io.jnet.ipc;

import io.jnet.BlockList;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.testing.ServerClosingSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing a server with its connections over socket files; and what is IPC's own: paths, no port, no IPs. */
class IpcServerClosingTest extends ServerClosingSuite {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("c" + next.incrementAndGet() + ".sock"));
    }

    @Test
    void listenOnAPathWithACallbackAndConnectWithoutOne() {
        Path path = dir.resolve("cb.sock");
        AtomicInteger listening = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        Server server = Net.createServer(s -> accepted.incrementAndGet());
        try {
            server.listen(path, listening::incrementAndGet);
            await().atMost(WAIT).until(() -> listening.get() == 1);
            AtomicInteger connected = new AtomicInteger();
            Socket client = Net.createConnection(path, connected::incrementAndGet); // the listener before connecting
            await().atMost(WAIT).until(() -> connected.get() == 1 && accepted.get() == 1);
            client.destroy();
        } finally {
            server.close();
        }
    }

    @Test
    void portIsRefusedForAServerOnAPathAndNamesThePath() {
        Path path = dir.resolve("noport.sock");
        Server server = Net.createServer(s -> { });
        try {
            server.listen(path);
            NetException e = assertThrows(NetException.class, server::port);
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        } finally {
            server.close();
        }
    }

    @Test
    void aBlockListDoesNotApplyToPeersWithoutAnIpAddress() {
        BlockList everything = new BlockList().addSubnet("0.0.0.0", 0).addSubnet("::", 0);
        List<Drop> drops = new CopyOnWriteArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        Server server = Net.createServer(ServerOptions.builder().blockList(everything).build(), s -> accepted.incrementAndGet());
        server.on(Server.DROP, drops::add);
        try {
            server.listen(dir.resolve("nobody-blocked.sock"));
            Socket client = Net.createConnection(server.address());
            await().atMost(WAIT).until(() -> accepted.get() == 1);
            assertEquals(List.of(), drops);
            client.destroy();
        } finally {
            server.close();
        }
    }
}
