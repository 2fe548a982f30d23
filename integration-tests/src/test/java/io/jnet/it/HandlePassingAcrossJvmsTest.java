package io.jnet.it;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.ipc.handles.HandleChannel;
import io.jnet.ipc.handles.ReceivedHandle;
import io.jnet.it.peer.HandleWorkerPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's cluster pattern across real JVMs: this test is the supervisor, {@link HandleWorkerPeer}s are
 * the workers, and TCP or IPC connections or a listening socket travel to them over IPC with SCM_RIGHTS.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HandlePassingAcrossJvmsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> OPENS = List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    @TempDir
    Path dir;

    private final BlockingQueue<HandleChannel> workerChannels = new LinkedBlockingQueue<>();
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private Path supervisorPath;

    @BeforeEach
    void listenForWorkers() {
        supervisorPath = dir.resolve("supervisor.sock");
        Server ipc = Net.createServer(worker -> {
            sockets.add(worker);
            workerChannels.add(HandleChannel.of(worker, ReceivedHandle::close));
        });
        servers.add(ipc);
        ipc.listen(Endpoint.ipc(supervisorPath));
        await().atMost(WAIT).until(ipc::isListening);
    }

    @AfterEach
    void cleanUp() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    private ChildProcess worker() {
        return ChildProcess.java(OPENS, HandleWorkerPeer.class, supervisorPath.toString());
    }

    private HandleChannel nextWorkerChannel() throws InterruptedException {
        HandleChannel channel = workerChannels.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(channel, "a worker did not connect within " + WAIT);
        return channel;
    }

    private Server pausedFront(java.util.function.Consumer<Socket> onConnection) {
        Server front = Net.createServer(ServerOptions.builder().pauseOnConnect(true).build(), onConnection);
        servers.add(front);
        front.listen(Endpoint.tcp("127.0.0.1", 0));
        await().atMost(WAIT).until(front::isListening);
        return front;
    }

    private static int port(Server server) {
        return ((Endpoint.Tcp) server.address()).port();
    }

    /** Sends client {@code id}'s bytes, half-closes, reads the echo to its end; fails unless count and CRC32 match. */
    private static void echoChecked(int port, int id) throws IOException {
        echoChecked(new java.net.Socket("127.0.0.1", port), id);
    }

    private static void echoChecked(Path socketFile, int id) throws IOException {
        echoChecked(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketFile)), id);
    }

    private static void echoChecked(java.net.Socket connected, int id) throws IOException {
        byte[] sent = new byte[2_000 + id * 97 % 30_000];
        new Random(id).nextBytes(sent);
        try (java.net.Socket client = connected) {
            client.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = client.getOutputStream();
            out.write(sent);
            if (client instanceof AFUNIXSocket unix) {
                // On JDK 25 java.net.Socket.shutdownOutput() checks a state junixsocket's connectTo does
                // not set ("Socket is not connected"); its channel shuts the output down directly.
                unix.getChannel().shutdownOutput();
            } else {
                client.shutdownOutput();
            }
            InputStream in = client.getInputStream();
            CRC32 back = new CRC32();
            long count = 0;
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                back.update(buf, 0, n);
                count += n;
            }
            CRC32 expected = new CRC32();
            expected.update(sent);
            assertEquals(sent.length, count, "client " + id + ": bytes echoed");
            assertEquals(expected.getValue(), back.getValue(), "client " + id + ": CRC32 of the echo");
        }
    }

    @Test
    void supervisorHandsTwoHundredConnectionsRoundRobinToTwoWorkerJvms() throws Exception {
        try (ChildProcess first = worker(); ChildProcess second = worker()) {
            List<HandleChannel> workers = List.of(nextWorkerChannel(), nextWorkerChannel());
            AtomicInteger next = new AtomicInteger();
            List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
            Server front = pausedFront(client -> sends.add(workers.get(next.getAndIncrement() % 2).send(client, "client")));

            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int id = 0; id < 200; id++) {
                    int client = id;
                    done.add(clients.submit(() -> {
                        echoChecked(port(front), client);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }

            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, sends.size());
            // Each worker prints after it takes a socket; the line reaches us on its own time, possibly
            // after that client's echo is done (seen once on Temurin 25: 99 of 100 counted).
            await().atMost(WAIT).until(() -> first.countLines(l -> l.startsWith("socket "))
                    + second.countLines(l -> l.startsWith("socket ")) == 200);
            assertEquals(100, first.countLines(l -> l.startsWith("socket ")), first.stdoutText() + first.stderr());
            assertEquals(100, second.countLines(l -> l.startsWith("socket ")), second.stdoutText() + second.stderr());
        }
    }

    @Test
    void twoWorkerJvmsShareOneListeningSocketAndBothGetConnections() throws Exception {
        try (ChildProcess first = worker(); ChildProcess second = worker()) {
            HandleChannel a = nextWorkerChannel();
            HandleChannel b = nextWorkerChannel();
            Server shared = Net.createServer(s -> {
                throw new AssertionError("the supervisor accepted after passing its server away");
            });
            shared.listen(Endpoint.tcp("127.0.0.1", 0));
            await().atMost(WAIT).until(shared::isListening);
            int port = port(shared);

            a.send(shared, "shared", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            b.send(shared, "shared").get(WAIT.toSeconds(), TimeUnit.SECONDS); // the supervisor's copy closes now
            await().atMost(WAIT).until(() -> !shared.isListening());
            first.awaitLine("server shared"::equals, WAIT);
            second.awaitLine("server shared"::equals, WAIT);

            // The kernel picks the accepting process; keep connecting (bounded) until both have served.
            int connections = 0;
            while (connections < 400 && (first.countLines("connection"::equals) == 0
                    || second.countLines("connection"::equals) == 0)) {
                echoChecked(port, connections++);
            }
            long byFirst = first.countLines("connection"::equals);
            long bySecond = second.countLines("connection"::equals);
            assertTrue(byFirst > 0 && bySecond > 0,
                    "after " + connections + " connections: first served " + byFirst + ", second " + bySecond);
        }
    }

    @Test
    void supervisorHandsIpcConnectionsToWorkerJvmsAsNodePassesPipes() throws Exception {
        try (ChildProcess first = worker(); ChildProcess second = worker()) {
            List<HandleChannel> workers = List.of(nextWorkerChannel(), nextWorkerChannel());
            AtomicInteger next = new AtomicInteger();
            List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
            Path frontFile = dir.resolve("front.sock");
            Server front = Net.createServer(ServerOptions.builder().pauseOnConnect(true).build(),
                    client -> sends.add(workers.get(next.getAndIncrement() % 2).send(client, "pipe")));
            servers.add(front);
            front.listen(Endpoint.ipc(frontFile));
            await().atMost(WAIT).until(front::isListening);

            for (int id = 0; id < 20; id++) {
                echoChecked(frontFile, id);
            }

            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // Each worker prints as it takes a socket; its stdout reaches us on its own time.
            await().atMost(WAIT).until(() -> first.countLines("socket pipe"::equals) + second.countLines("socket pipe"::equals) == 20);
            assertEquals(10, first.countLines("socket pipe"::equals), first.stdoutText() + first.stderr());
            assertEquals(10, second.countLines("socket pipe"::equals), second.stdoutText() + second.stderr());
        }
    }

    @Test
    void aWorkerJvmServesAPassedIpcServerAtItsSocketFile() throws Exception {
        try (ChildProcess worker = worker()) {
            HandleChannel channel = nextWorkerChannel();
            Path file = dir.resolve("shared.sock");
            Server shared = Net.createServer(s -> {
                throw new AssertionError("the supervisor accepted after passing its server away");
            });
            shared.listen(Endpoint.ipc(file));
            await().atMost(WAIT).until(shared::isListening);

            channel.send(shared, "ipc server").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> !shared.isListening());
            worker.awaitLine("server ipc server"::equals, WAIT);
            assertTrue(Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    "the supervisor's copy closed and left the socket file to the worker");

            for (int id = 0; id < 5; id++) {
                echoChecked(file, id);
            }
            await().atMost(WAIT).until(() -> worker.countLines("connection"::equals) == 5);
        }
    }

    @Test
    void aWorkerKilledMidTransferLeavesNoDescriptorInTheSupervisor() throws Exception {
        List<java.net.Socket> clients = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
        List<String> before = socketDescriptors();
        try (ChildProcess worker = worker()) {
            HandleChannel channel = nextWorkerChannel();
            Server front = pausedFront(client -> sends.add(channel.send(client, "client")));
            try {
                for (int i = 0; i < 10; i++) {
                    clients.add(new java.net.Socket("127.0.0.1", port(front)));
                }
                await().atMost(WAIT).until(() -> worker.countLines(l -> l.startsWith("socket ")) == 10);
                worker.kill();
                // Hand-offs keep coming while the worker dies: each must end, sent into the void or failed.
                for (int i = 0; i < 30; i++) {
                    clients.add(new java.net.Socket("127.0.0.1", port(front)));
                }
                await().atMost(WAIT).until(() -> sends.size() == 40 && sends.stream().allMatch(CompletableFuture::isDone));
            } finally {
                for (java.net.Socket c : clients) {
                    c.close();
                }
            }
            front.close();
            await().atMost(WAIT).until(() -> !front.isListening());
        }
        // Everything this test added is gone: the 40 clients, the passed sockets, the duplicates, and the
        // IPC connection to the dead worker (closed by itself, not by clean-up).
        try {
            await().atMost(WAIT).until(() -> socketDescriptors().size() <= before.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("sockets before: " + before + "\nafter: " + socketDescriptors(), e);
        }
    }

    /** This JVM's socket descriptors, as {@code fd -> socket:[inode]}. */
    private static List<String> socketDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return ""; // closed while listing
                }
            }).filter(s -> s.contains("socket:")).collect(Collectors.toList());
        }
    }
}
