package io.jnet.ipc.handles;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passing TCP and IPC handles over a real Unix domain socket inside one JVM: the "supervisor" end and
 * the "worker" end are the two sides of one jnet IPC connection; the peers are plain JDK sockets (TCP)
 * or junixsocket channels (IPC).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandleChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** What the worker end's socket reported on ERROR, per connection. */
    private final BlockingQueue<Throwable> workerErrors = new LinkedBlockingQueue<>();
    private Server ipcServer;
    private volatile Consumer<ReceivedHandle> worker = ReceivedHandle::close;

    @BeforeEach
    void listenForWorkerEnds() {
        ipcServer = Net.createServer(socket -> {
            sockets.add(socket);
            socket.on(Socket.ERROR, workerErrors::add);
            HandleChannel.of(socket, handle -> worker.accept(handle));
        });
        servers.add(ipcServer);
        ipcServer.listen(Endpoint.ipc(dir.resolve("handles.sock")));
        await().atMost(WAIT).until(ipcServer::isListening);
    }

    @AfterEach
    void cleanUp() {
        sockets.forEach(Socket::destroy);
        servers.stream().filter(Server::isListening).forEach(Server::close);
    }

    private HandleChannel supervisorEnd() {
        Socket ipc = Net.createConnection(Endpoint.ipc(dir.resolve("handles.sock")));
        sockets.add(ipc);
        return HandleChannel.of(ipc, ReceivedHandle::close);
    }

    private Server pausedTcpServer(Consumer<Socket> onConnection) {
        Server front = Net.createServer(ServerOptions.builder().pauseOnConnect(true).build(), s -> {
            sockets.add(s);
            onConnection.accept(s);
        });
        servers.add(front);
        front.listen(Endpoint.tcp("127.0.0.1", 0));
        await().atMost(WAIT).until(front::isListening);
        return front;
    }

    private static int port(Server server) {
        return ((Endpoint.Tcp) server.address()).port();
    }

    private static String echo(int port, String text) throws IOException {
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
            client.setSoTimeout((int) WAIT.toMillis());
            client.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            byte[] back = client.getInputStream().readNBytes(text.length());
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    private void workerEchoes() {
        worker = handle -> {
            Socket s = handle.socket();
            sockets.add(s);
            s.on(Socket.DATA, s::write);
        };
    }

    @Test
    void passedSocketEchoesOnTheReceiverAndTheSendersCopyIsClosed() throws Exception {
        workerEchoes();
        HandleChannel supervisor = supervisorEnd();
        List<Socket> passed = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
        Server front = pausedTcpServer(s -> {
            passed.add(s);
            sends.add(supervisor.send(s, "client"));
        });

        assertEquals("hello through a passed socket", echo(port(front), "hello through a passed socket"));

        sends.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> passed.get(0).isDestroyed());
        assertEquals(0, passed.get(0).bytesRead(), "the supervisor never read the client's bytes");
    }

    @Test
    void framesQueuedBehindEachOtherEachKeepTheirOwnDescriptor() throws Exception {
        // 4 KiB messages: 100 frames outgrow the socket buffer, so most wait in the write queue and are
        // flushed on writability; each descriptor must still arrive with its own frame.
        int count = 100;
        String padding = "x".repeat(4000);
        AtomicInteger received = new AtomicInteger();
        worker = handle -> {
            // Tell the client which frame this descriptor came with: its own port, if they were paired right.
            Socket s = handle.socket();
            sockets.add(s);
            s.write(handle.message().substring(0, handle.message().indexOf(':')) + "\n");
            received.incrementAndGet();
        };
        HandleChannel supervisor = supervisorEnd();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Server front = pausedTcpServer(accepted::add);
        List<java.net.Socket> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(new java.net.Socket("127.0.0.1", port(front)));
            }
            await().atMost(WAIT).until(() -> accepted.size() == count);
            List<CompletableFuture<Void>> sends = new java.util.ArrayList<>();
            for (Socket s : accepted) {
                sends.add(supervisor.send(s, ((Endpoint.Tcp) s.remoteAddress()).port() + ":" + padding));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> received.get() == count);
            for (java.net.Socket c : clients) {
                c.setSoTimeout((int) WAIT.toMillis());
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream())).readLine();
                assertEquals(String.valueOf(c.getLocalPort()), line, "the socket of this client came with another's frame");
            }
            assertTrue(workerErrors.isEmpty(), () -> "worker errors: " + workerErrors);
        } finally {
            for (java.net.Socket c : clients) {
                c.close();
            }
        }
    }

    @Test
    void receiverGetsTheMessageAndThePeerAddress() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        worker = handle -> {
            Socket s = handle.socket();
            sockets.add(s);
            seen.add(handle.kind() + " " + handle.message() + " " + s.remoteAddress());
        };
        HandleChannel supervisor = supervisorEnd();
        Server front = pausedTcpServer(s -> supervisor.send(s, "héllo ✓"));
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", port(front))) {
            String line = seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("SOCKET héllo ✓ " + Endpoint.tcp("127.0.0.1", client.getLocalPort()), line);
        }
    }

    @Test
    void passedServerFiresConnectionOnTheReceiverAndTheSenderStopsListening() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        worker = handle -> servers.add(handle.server(s -> {
            connections.incrementAndGet();
            sockets.add(s);
            s.on(Socket.DATA, s::write);
        }));
        HandleChannel supervisor = supervisorEnd();
        Server shared = Net.createServer(s -> {
            throw new AssertionError("the sender accepted after passing its server");
        });
        shared.listen(Endpoint.tcp("127.0.0.1", 0));
        await().atMost(WAIT).until(shared::isListening);
        int port = port(shared);

        supervisor.send(shared, "shared").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !shared.isListening());

        assertEquals("a", echo(port, "a"));
        assertEquals("b", echo(port, "b"));
        assertEquals(2, connections.get());
    }

    @Test
    void keepOpenLeavesTheSendersServerListening() throws Exception {
        BlockingQueue<Server> adopted = new LinkedBlockingQueue<>();
        worker = handle -> adopted.add(handle.server(s -> sockets.add(s)));
        HandleChannel supervisor = supervisorEnd();
        Server shared = Net.createServer(sockets::add);
        servers.add(shared);
        shared.listen(Endpoint.tcp("127.0.0.1", 0));
        await().atMost(WAIT).until(shared::isListening);

        supervisor.send(shared, "", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Server copy = adopted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        servers.add(copy);

        assertTrue(shared.isListening());
        await().atMost(WAIT).until(copy::isListening);
        assertEquals(shared.address(), copy.address());
    }

    @Test
    void aHandleTheListenerDoesNotClaimIsClosed() throws Exception {
        worker = handle -> { }; // neither claimed nor closed
        HandleChannel supervisor = supervisorEnd();
        Server front = pausedTcpServer(s -> supervisor.send(s, "unwanted"));
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", port(front))) {
            client.setSoTimeout((int) WAIT.toMillis());
            InputStream in = client.getInputStream();
            assertEquals(-1, in.read(), "both copies closed: the client sees the end of the stream");
        }
    }

    @Test
    void aFrameWithoutItsDescriptorIsATypedError() throws Exception {
        try (AFUNIXSocketChannel raw = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(dir.resolve("handles.sock")))) {
            ByteBuffer frame = new HandleFrame(ReceivedHandle.Kind.SOCKET, StandardProtocolFamily.INET,
                    new InetSocketAddress("127.0.0.1", 9), "no fd").encode();
            raw.write(frame);

            Throwable error = workerErrors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            NetException e = assertInstanceOf(NetException.class, error);
            assertEquals(ErrorCode.ERR_HANDLE_WITHOUT_DESCRIPTOR, e.code());
            assertTrue(e.getMessage().contains("SOCKET frame at byte 0"), e.getMessage());
        }
    }

    @Test
    void garbageWithADescriptorIsRefusedTheDescriptorClosedAndOtherPeersStillServed() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "x");
        try (AFUNIXSocketChannel raw = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(dir.resolve("handles.sock")))) {
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                raw.setOutboundFileDescriptors(out.getFD());
                raw.write(ByteBuffer.wrap("hello, this is not a handle frame\n".getBytes(StandardCharsets.US_ASCII)));
            }
            Throwable error = workerErrors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            NetException e = assertInstanceOf(NetException.class, error);
            assertEquals(ErrorCode.ERR_MALFORMED_MESSAGE, e.code());
            assertTrue(e.getMessage().contains("\"hello, thi\""), e.getMessage());
            // Our copy is closed; no descriptor of this process may still point at the file.
            await().atMost(WAIT).until(() -> descriptorsOpenOn(file) == 0);
        }

        workerEchoes();
        HandleChannel supervisor = supervisorEnd();
        Server front = pausedTcpServer(s -> supervisor.send(s, "after the garbage"));
        assertEquals("still serving", echo(port(front), "still serving"));
    }

    @Test
    void aDescriptorOfAFrameCutShortByTheChannelClosingIsClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("half.txt"), "x");
        AtomicInteger handles = new AtomicInteger();
        worker = handle -> handles.incrementAndGet();
        try (AFUNIXSocketChannel raw = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(dir.resolve("handles.sock")));
             FileOutputStream out = new FileOutputStream(file.toFile())) {
            ByteBuffer frame = new HandleFrame(ReceivedHandle.Kind.SOCKET, StandardProtocolFamily.INET,
                    new InetSocketAddress("127.0.0.1", 9), "cut short").encode();
            raw.setOutboundFileDescriptors(out.getFD());
            raw.write(frame.limit(5)); // the descriptor and half a header, then the sender goes
        }
        await().atMost(WAIT).until(() -> descriptorsOpenOn(file) == 0);
        assertEquals(0, handles.get());
    }

    @Test
    void anIpcSocketFrameClaimingASocketFileIsRefusedAndItsDescriptorClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("claimed.txt"), "x");
        try (AFUNIXSocketChannel raw = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(dir.resolve("handles.sock")));
             FileOutputStream out = new FileOutputStream(file.toFile())) {
            ByteBuffer frame = new HandleFrame(ReceivedHandle.Kind.SOCKET, StandardProtocolFamily.UNIX, null,
                    null, false, "moves?").encode();
            frame.putShort(6, (short) 1); // "the socket file moves": only a SERVER with a path has one
            raw.setOutboundFileDescriptors(out.getFD());
            raw.write(frame);

            Throwable error = workerErrors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            NetException e = assertInstanceOf(NetException.class, error);
            assertEquals(ErrorCode.ERR_MALFORMED_MESSAGE, e.code());
            assertTrue(e.getMessage().contains("AF_UNIX SOCKET frame cannot have the flags 1"), e.getMessage());
        }
        await().atMost(WAIT).until(() -> descriptorsOpenOn(file) == 0);
    }

    @Test
    void sendingASocketThatAlreadyReadFailsAndClosesIt() throws Exception {
        HandleChannel supervisor = supervisorEnd();
        BlockingQueue<CompletableFuture<Void>> sends = new LinkedBlockingQueue<>();
        Server front = Net.createServer(s -> {
            sockets.add(s);
            s.once(Socket.DATA, chunk -> sends.add(supervisor.send(s, "too late")));
        });
        servers.add(front);
        front.listen(Endpoint.tcp("127.0.0.1", 0));
        await().atMost(WAIT).until(front::isListening);
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", port(front))) {
            client.setSoTimeout((int) WAIT.toMillis());
            client.getOutputStream().write('x');
            CompletableFuture<Void> send = sends.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(send.isCompletedExceptionally());
            NetException e = assertInstanceOf(NetException.class, send.handle((v, t) -> t).join());
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
            assertTrue(e.getMessage().contains("has read 1 bytes"), e.getMessage());
            assertEquals(-1, client.getInputStream().read(), "the sender's copy is closed when the send fails");
        }
    }

    // ---- IPC handles ------------------------------------------------------------------------------

    private Server pausedIpcServer(Endpoint at, Consumer<Socket> onConnection) {
        Server front = Net.createServer(ServerOptions.builder().pauseOnConnect(true).build(), s -> {
            sockets.add(s);
            onConnection.accept(s);
        });
        servers.add(front);
        front.listen(at);
        await().atMost(WAIT).until(front::isListening);
        return front;
    }

    private static String echoOverIpc(Path socketFile, String text) throws IOException {
        try (AFUNIXSocketChannel client = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(socketFile))) {
            client.socket().setSoTimeout((int) WAIT.toMillis());
            client.socket().getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            byte[] back = client.socket().getInputStream().readNBytes(text.length());
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    /** The names in the test's directory (the IPC server under test has a private directory there too). */
    private List<String> listing() throws IOException {
        try (Stream<Path> names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** How many of this process's descriptors are sockets (IPC or TCP): what a leak would grow. */
    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void passedIpcSocketEchoesOnTheReceiverOnAnIpcLoop() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        worker = handle -> {
            Socket s = handle.socket();
            sockets.add(s);
            seen.add(handle.kind() + " ipc=" + handle.isIpc() + " " + handle.message());
            s.on(Socket.DATA, s::write);
        };
        HandleChannel supervisor = supervisorEnd();
        List<Socket> passed = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
        Path front = dir.resolve("front.sock");
        pausedIpcServer(Endpoint.ipc(front), s -> {
            passed.add(s);
            sends.add(supervisor.send(s, "ipc client"));
        });

        assertEquals("hello through a passed pipe", echoOverIpc(front, "hello through a passed pipe"));

        assertEquals("SOCKET ipc=true ipc client", seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        sends.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> passed.get(0).isDestroyed());
        assertEquals(0, passed.get(0).bytesRead(), "the supervisor never read the client's bytes");
        assertTrue(workerErrors.isEmpty(), () -> "worker errors: " + workerErrors);
    }

    @Test
    void theReceiversIpcSocketEndingIsSeenByTheClientAndNoDescriptorIsLeft() throws Exception {
        long before = openSockets();
        worker = handle -> {
            Socket s = handle.socket();
            sockets.add(s);
            s.on(Socket.DATA, chunk -> s.end(chunk));
        };
        HandleChannel supervisor = supervisorEnd();
        Path front = dir.resolve("front.sock");
        Server frontServer = pausedIpcServer(Endpoint.ipc(front), s -> supervisor.send(s, ""));
        for (int i = 0; i < 5; i++) {
            try (AFUNIXSocketChannel client = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(front))) {
                client.socket().setSoTimeout((int) WAIT.toMillis());
                client.socket().getOutputStream().write('x');
                InputStream in = client.socket().getInputStream();
                assertEquals('x', in.read());
                assertEquals(-1, in.read(), "the receiver's end() reaches the client: no other copy holds it open");
            }
        }
        frontServer.close();
        supervisor.socket().destroy();
        // The IPC connection (two ends) and the front server are gone too: back to where we started.
        await().atMost(WAIT).until(() -> openSockets() <= before);
    }

    @Test
    void passedIpcServerFiresConnectionOnTheReceiverAndItsCloseRemovesTheSocketFile() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        BlockingQueue<Server> adopted = new LinkedBlockingQueue<>();
        worker = handle -> adopted.add(handle.server(s -> {
            connections.incrementAndGet();
            sockets.add(s);
            s.on(Socket.DATA, s::write);
        }));
        HandleChannel supervisor = supervisorEnd();
        List<String> before = listing();
        Path file = dir.resolve("shared.sock");
        Server shared = Net.createServer(s -> {
            throw new AssertionError("the sender accepted after passing its server");
        });
        shared.listen(Endpoint.ipc(file));
        await().atMost(WAIT).until(shared::isListening);

        supervisor.send(shared, "shared").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Server copy = adopted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        servers.add(copy);
        await().atMost(WAIT).until(() -> !shared.isListening());
        assertTrue(Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the sender's close left the file to the receiver");

        assertEquals("a", echoOverIpc(file, "a"));
        assertEquals("b", echoOverIpc(file, "b"));
        assertEquals(2, connections.get());
        assertEquals(Endpoint.ipc(file), copy.address());

        copy.close();
        await().atMost(WAIT).until(() -> !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, listing(), "the receiver removed the socket file and its private directory");
    }

    @Test
    void keptOpenIpcServerStaysTheSendersFile() throws Exception {
        BlockingQueue<Server> adopted = new LinkedBlockingQueue<>();
        worker = handle -> adopted.add(handle.server(s -> sockets.add(s)));
        HandleChannel supervisor = supervisorEnd();
        Path file = dir.resolve("kept.sock");
        Server shared = Net.createServer(s -> {
            sockets.add(s);
            s.on(Socket.DATA, s::write);
        });
        servers.add(shared);
        shared.listen(Endpoint.ipc(file));
        await().atMost(WAIT).until(shared::isListening);

        supervisor.send(shared, "", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Server copy = adopted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(copy::isListening);
        assertEquals(shared.address(), copy.address());

        copy.close();
        await().atMost(WAIT).until(() -> !copy.isListening());
        assertTrue(Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the receiver's close left the sender's file");
        assertEquals("still the sender's", echoOverIpc(file, "still the sender's"));
    }

    @Test
    void passedAbstractIpcServerAcceptsOnTheReceiver() throws Exception {
        String name = "jnet-handles-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        AtomicInteger connections = new AtomicInteger();
        BlockingQueue<Server> adopted = new LinkedBlockingQueue<>();
        worker = handle -> adopted.add(handle.server(s -> {
            connections.incrementAndGet();
            sockets.add(s);
        }));
        HandleChannel supervisor = supervisorEnd();
        Server shared = Net.createServer(s -> {
            throw new AssertionError("the sender accepted after passing its server");
        });
        shared.listen(Endpoint.ipcAbstract(name));
        await().atMost(WAIT).until(shared::isListening);

        supervisor.send(shared, "abstract").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Server copy = adopted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        servers.add(copy);
        assertEquals(Endpoint.ipcAbstract(name), copy.address());
        Socket client = Net.createConnection(Endpoint.ipcAbstract(name));
        sockets.add(client);
        await().atMost(WAIT).until(() -> connections.get() == 1);
    }

    @Test
    void anUnclaimedIpcServerIsClosedAndItsSocketFileRemoved() throws Exception {
        worker = handle -> { }; // neither claimed nor closed
        HandleChannel supervisor = supervisorEnd();
        List<String> before = listing();
        Path file = dir.resolve("unwanted.sock");
        Server shared = Net.createServer(s -> { });
        shared.listen(Endpoint.ipc(file));
        await().atMost(WAIT).until(shared::isListening);

        supervisor.send(shared, "unwanted").get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, listing(), "the socket file's private directory went with it");
    }

    /** How many of this process's descriptors are open on {@code file}. */
    private static long descriptorsOpenOn(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed while listing (the listing's own descriptor, for one)
                }
            }).count();
        }
    }

    @Test
    void theSendersServerIsNotListeningAfterSendUnlessKeptOpen() {
        // covered above; here only that a server that never listened cannot be sent
        HandleChannel supervisor = supervisorEnd();
        Server idle = Net.createServer(s -> { });
        CompletableFuture<Void> send = supervisor.send(idle, "idle");
        NetException e = assertInstanceOf(NetException.class, send.handle((v, t) -> t).join());
        assertEquals(ErrorCode.ERR_SERVER_NOT_RUNNING, e.code());
        assertFalse(idle.isListening());
    }
}
