package io.jnet.testkit;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JnetServerExtensionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    JnetServerExtension echo = JnetServerExtension.tcp(socket -> socket.on(Socket.DATA, socket::write));

    @Test
    void givesTheTestAnEchoServerOnALoopbackPort() {
        assertEquals(Endpoint.tcp("127.0.0.1", echo.port()), echo.endpoint());
        assertTrue(echo.port() > 0);
        assertTrue(echo.server().isListening());

        Socket client = Net.socket(echo.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.connect();
        client.write("ping");
        await().atMost(WAIT).until(() -> trace.text().equals("ping"));
        client.destroy();
        trace.awaitEvent("close false", WAIT).assertSubsequence("connect", "close false");
    }

    @Test
    void aTcpServerHasNoSocketFile() {
        IllegalStateException e = assertThrows(IllegalStateException.class, echo::path);
        assertTrue(e.getMessage().contains(echo.endpoint().toString()), e.getMessage());
    }

    @Test
    void closingDestroysTheConnectionsTheServerAcceptedSoTheClientSeesClose() {
        JnetServerExtension silent = JnetServerExtension.tcp(null).start();
        Socket client = Net.socket(silent.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.connect();
        await().atMost(WAIT).until(() -> silent.connections().size() == 1);

        silent.close();

        trace.awaitEvent("close false", WAIT).assertSequence("connect", "end", "close false");
        assertThrows(IllegalStateException.class, silent::endpoint, "not running once closed");
    }

    @Test
    void anIpcServerListensOnASocketFileInAFreshDirectoryRemovedAtClose() {
        JnetServerExtension ipc = JnetServerExtension.ipc(socket -> socket.on(Socket.DATA, socket::write)).start();
        Path path = ipc.path();
        assertTrue(Files.exists(path), path + " exists while the server listens");
        assertThrows(IllegalStateException.class, ipc::port);

        Socket client = Net.socket(ipc.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.connect();
        client.write("over ipc");
        await().atMost(WAIT).until(() -> trace.text().equals("over ipc"));

        ipc.close();

        trace.awaitEvent("close false", WAIT).assertSubsequence("connect", "end", "close false");
        assertFalse(Files.exists(path.getParent()), path.getParent() + " is deleted");
    }

    @Test
    void serverOptionsApplyToTheTestServer() {
        JnetServerExtension one = JnetServerExtension.tcp(null)
                .withOptions(ServerOptions.builder().maxConnections(1).build()).start();
        try {
            EventTrace serverTrace = EventTrace.of(one.server());
            Socket first = Net.createConnection(one.endpoint());
            await().atMost(WAIT).until(() -> one.connections().size() == 1);
            Socket second = Net.socket(one.endpoint(), ConnectOptions.defaults());
            EventTrace secondTrace = EventTrace.of(second);
            second.connect();
            serverTrace.awaitEvent("drop", WAIT);
            secondTrace.awaitClose(WAIT);
            first.destroy();
        } finally {
            one.close();
        }
    }

    @Test
    void startingTwiceIsRefusedNamingWhereItListens() {
        IllegalStateException e = assertThrows(IllegalStateException.class, echo::start);
        assertTrue(e.getMessage().contains(echo.endpoint().toString()), e.getMessage());
    }
}
