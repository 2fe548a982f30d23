package io.jnet.ipc;

import io.jnet.AbortController;
import io.jnet.AbortSignal;
import io.jnet.ConnectOptions;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's {@code signal} connect option over a Unix domain socket: an aborted signal destroys the socket
 * with {@code ABORT_ERR}, before or after it connected. An IPC connect has no lookup and no attempts,
 * so none of the TCP attempt events fire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcAbortSignalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    @Test
    void anAlreadyAbortedSignalFailsTheConnectWithAbortErr() {
        Path path = listening();
        Socket socket = record(Net.socket(Endpoint.ipc(path), ConnectOptions.builder().signal(AbortSignal.aborted()).build()));
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        NetException e = assertInstanceOf(NetException.class, errors.get(0));
        assertEquals(ErrorCode.ABORT_ERR, e.code());
        assertEquals("The operation was aborted", e.getMessage());
        assertEquals(List.of("close:true"), events);
    }

    @Test
    void abortingAfterConnectingDestroysTheSocketAndNoAttemptEventFires() {
        Path path = listening();
        AbortController controller = new AbortController();
        Socket socket = record(Net.socket(Endpoint.ipc(path), ConnectOptions.builder().signal(controller.signal()).build()));
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("connect"));
        controller.abort();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        assertEquals(ErrorCode.ABORT_ERR, ((NetException) errors.get(0)).code());
        assertEquals(List.of("connect", "close:true"), events);
        assertTrue(socket.autoSelectFamilyAttemptedAddresses().isEmpty());
    }

    private Path listening() {
        Path path = dir.resolve("s.sock");
        Server server = Net.createServer(sockets::add);
        servers.add(server);
        server.listen(Endpoint.ipc(path));
        await().atMost(WAIT).until(server::isListening);
        return path;
    }

    private Socket record(Socket socket) {
        sockets.add(socket);
        socket.on(Socket.LOOKUP, l -> events.add("lookup"));
        socket.on(Socket.CONNECTION_ATTEMPT, a -> events.add("attempt"));
        socket.on(Socket.CONNECTION_ATTEMPT_FAILED, a -> events.add("attemptFailed"));
        socket.on(Socket.CONNECTION_ATTEMPT_TIMEOUT, a -> events.add("attemptTimeout"));
        socket.on(Socket.CONNECT, () -> events.add("connect"));
        socket.on(Socket.ERROR, errors::add);
        socket.on(Socket.CLOSE, hadError -> events.add("close:" + hadError));
        return socket;
    }
}
