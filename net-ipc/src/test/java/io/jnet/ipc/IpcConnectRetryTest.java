package io.jnet.ipc;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Net#connectAsync} with a retry, over a socket path that appears only once the "worker" starts
 * listening, as when a parent process starts a worker and connects to it at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcConnectRetryTest {
    private static final Pattern ATTEMPTS = Pattern.compile("gave up after (\\d+) attempts");

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    @Test
    void connectsToAWorkerThatStartsListening300MsAfterTheCallerBeganConnecting() throws Exception {
        Path path = dir.resolve("worker.sock");
        CompletableFuture<Socket> accepted = new CompletableFuture<>();
        Server worker = Net.createServer(accepted::complete);
        servers.add(worker);
        ConnectOptions options = ConnectOptions.builder().retry(Duration.ofSeconds(10), Duration.ofMillis(10)).build();

        CompletableFuture<Socket> connecting = Net.connectAsync(Endpoint.ipc(path), options);
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> worker.listen(Endpoint.ipc(path)));
        assertFalse(Files.exists(path)); // the first attempt cannot have found it

        Socket socket = connecting.get(20, TimeUnit.SECONDS);
        sockets.add(socket);
        assertFalse(socket.connecting());
        sockets.add(accepted.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aDeadlineThatPassesReportsTheLastErrorAndHowManyAttemptsWereMade() {
        Path path = dir.resolve("never.sock");
        ConnectOptions options = ConnectOptions.builder().retry(Duration.ofMillis(300), Duration.ofMillis(10)).build();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Net.connectAsync(Endpoint.ipc(path), options).get(20, TimeUnit.SECONDS));
        NetException failure = assertInstanceOf(NetException.class, e.getCause());
        assertEquals(ErrorCode.ENOENT, failure.code());
        Matcher m = ATTEMPTS.matcher(failure.getMessage());
        assertTrue(m.find(), failure.getMessage());
        assertTrue(Integer.parseInt(m.group(1)) >= 3, failure.getMessage()); // 10, 20, 40, 80, 150 ms apart
        assertTrue(failure.getMessage().contains("deadline of 300 ms passed") && failure.getMessage().contains(path.toString()),
                failure.getMessage());
        assertInstanceOf(NetException.class, failure.getCause()); // the last attempt's own error
    }

    @Test
    void withoutARetryOneAttemptFailsWithItsOwnError() {
        Path path = dir.resolve("absent.sock");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Net.connectAsync(Endpoint.ipc(path), ConnectOptions.defaults()).get(20, TimeUnit.SECONDS));
        NetException failure = assertInstanceOf(NetException.class, e.getCause());
        assertEquals(ErrorCode.ENOENT, failure.code());
        assertFalse(failure.getMessage().contains("attempts"), failure.getMessage());
    }
}
