package io.jnet.ipc.handles;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.ipc.PassedServers;
import io.jnet.spi.AncillaryWrite;
import io.jnet.spi.Handles;
import io.jnet.spi.ServerBinding;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Passes connected sockets and listening servers, TCP or IPC, to another process over a connected IPC
 * {@link Socket}, as Node's {@code child.send(message, handle)} passes sockets, servers and pipes: the
 * descriptor travels with SCM_RIGHTS and the other process gets a live {@code Socket} or {@code Server}
 * on its own loop of the same transport, with no bytes proxied. A supervisor accepts and hands
 * connections to workers, or shares one listening socket among them (Node's cluster).
 *
 * <pre>{@code
 * // supervisor: accept paused (nothing read here), hand each connection to a worker
 * Server front = Net.createServer(ServerOptions.builder().pauseOnConnect(true).build(),
 *         client -> workers.next().send(client, "client"));          // closes our copy once sent
 * front.listen(8080);
 *
 * // worker: one HandleChannel on its IPC connection to the supervisor
 * Socket supervisor = Net.createConnection(Endpoint.ipc(Path.of("/run/app/sup.sock")));
 * HandleChannel.of(supervisor, handle -> {
 *     Socket client = handle.socket();                                // live here, reading as accepted
 *     client.on(Socket.DATA, client::write);
 * });
 * }</pre>
 *
 * <p>The channel owns the IPC socket's bytes: nothing else may write to it or read from it. Make it
 * before the socket reads anything (in its {@code CONNECT} or the server's {@code CONNECTION}
 * listener, or right after {@code createConnection}), so that no descriptor arrives before it listens.
 * A peer that breaks the format (below) gets the IPC socket destroyed with a
 * {@link NetException} naming the byte and what was seen ({@code ERR_MALFORMED_MESSAGE},
 * {@code ERR_HANDLE_WITHOUT_DESCRIPTOR}) on its {@code ERROR}; no received descriptor outlives the
 * channel, and a handle the listener does not claim is closed when it returns.
 *
 * <h2>Wire format</h2>
 * Each handle is one frame, big-endian, written with one {@code sendmsg} that carries exactly one
 * descriptor as SCM_RIGHTS ancillary data; Linux delivers it with the read that returns the frame's
 * first byte. A Node or Python peer can speak it:
 * <pre>
 * offset  size  field
 * 0       2     magic 0x4A 0x48 ("JH")
 * 2       1     version, 1
 * 3       1     kind: 1 = SOCKET (a connected socket), 2 = SERVER (a listening socket)
 * 4       1     address family of the descriptor: 1 = AF_UNIX, 4 = AF_INET, 6 = AF_INET6
 * 5       1     A, the length of the address:
 *                 AF_INET/AF_INET6 SOCKET: 4 or 16, the peer's IP address;  SERVER: 0
 *                 AF_UNIX SOCKET: 0;  SERVER: the socket file's path in UTF-8 (at most 108 bytes),
 *                 or 0 for an abstract name (the receiver reads it from the socket)
 * 6       2     AF_INET/AF_INET6: the peer's port (0 for a SERVER)
 *               AF_UNIX: flags, 1 = the socket file moves to the receiver (SERVER with a path only), else 0
 * 8       2     M, the length of the message, at most 4096
 * 10      A     the address
 * 10+A    M     the message, UTF-8
 * </pre>
 * Version 1 gained family 1 (AF_UNIX) without changing TCP frames; a peer that knows only TCP
 * refuses an AF_UNIX frame as malformed ("unknown address family 1").
 * A read that brings a descriptor where no frame starts, more than one descriptor, or a frame without
 * one, is the peer's error; the traffic is one-way per direction and carries nothing else.
 *
 * <h2>Who removes an IPC server's socket file</h2>
 * The process that listens last on it, as if the server had listened there itself: a server passed
 * without {@code keepOpen} takes its socket file (and the private directory jnet binds it in) with it:
 * the sender's copy closes leaving them, and the receiver's {@code Server.close()} removes them (or its
 * channel, if it refuses the handle). With {@code keepOpen} the file stays the sender's: its close
 * removes it, the receiver's does not (and once the sender closed, the receiver's copy still accepts
 * connections already queued, but nobody can reach it by path). If the frame is lost after the kernel
 * took it (the receiver's IPC socket closes before it reads), nobody removes the file; a stale socket
 * file is taken over by {@link io.jnet.ServerOptions#reclaimStale()}.
 *
 * <p>Passing TCP handles needs the JDK's channels from descriptors: run both JVMs with
 * {@code --add-opens java.base/sun.nio.ch=io.jnet.ipc} (on the class path {@code =ALL-UNNAMED}); IPC
 * handles need nothing (junixsocket makes its channels of descriptors itself).
 * Thread-safe; the listener runs on the IPC socket's loop thread.
 */
public final class HandleChannel {
    private static final Logger log = LoggerFactory.getLogger(HandleChannel.class);
    /** Room for the one descriptor of a frame; junixsocket rounds it up to what its platform needs. */
    private static final int ANCILLARY_BUFFER_BYTES = 256;

    private final Socket ipc;
    private final Consumer<ReceivedHandle> onHandle;
    private final HandleDecoder decoder = new HandleDecoder(this::deliver);
    /** Loop thread: the channel under the IPC socket, once connected. */
    private AFUNIXSocketChannel unix;
    private boolean failed;

    private HandleChannel(Socket ipc, Consumer<ReceivedHandle> onHandle) {
        this.ipc = ipc;
        this.onHandle = onHandle;
    }

    /**
     * Makes {@code ipc} (connected or connecting, nothing read yet) a handle channel; {@code onHandle}
     * gets each handle the peer passes, on the socket's loop thread.
     *
     * @throws IllegalStateException when the socket already read bytes (descriptors may have been lost)
     */
    public static HandleChannel of(Socket ipc, Consumer<ReceivedHandle> onHandle) {
        Objects.requireNonNull(ipc, "ipc");
        Objects.requireNonNull(onHandle, "onHandle");
        if (ipc.bytesRead() > 0) {
            throw new IllegalStateException(ipc + " has read " + ipc.bytesRead()
                    + " bytes already: make the HandleChannel before the socket reads, or descriptors are lost");
        }
        HandleChannel channel = new HandleChannel(ipc, onHandle);
        ipc.executor().execute(channel::start);
        return channel;
    }

    /** The IPC socket the handles travel on. */
    public Socket socket() {
        return ipc;
    }

    /** Passes {@code handle}; this process's copy is closed (see {@link #send(Socket, String, boolean)}). */
    public CompletableFuture<Void> send(Socket handle, String message) {
        return send(handle, message, false);
    }

    /**
     * Passes a connected TCP or IPC socket. Unless {@code keepOpen}, this process's socket is paused and
     * destroyed now (its {@code CLOSE} fires here; the connection lives on in a descriptor of our own
     * until the kernel has it in flight, then in the receiver); if the send fails, that descriptor is
     * closed too and the client sees the connection reset (TCP) or ended (IPC). Pass sockets that read
     * nothing yet (accept with {@code pauseOnConnect}): bytes this process read are not the receiver's
     * to see. With {@code keepOpen} both processes hold the connection; do not close either copy while
     * the other uses it (the JDK shuts the output of a registered TCP channel down when it closes it,
     * junixsocket shuts an IPC socket down on every close).
     *
     * @param message a label for the receiver ({@link ReceivedHandle#message()}), at most 4096 bytes in UTF-8
     * @return completes once the descriptor is with the kernel, or fails ({@code ERR_INVALID_HANDLE_TYPE},
     *         {@code ERR_SOCKET_CLOSED}, the IPC socket's error)
     */
    public CompletableFuture<Void> send(Socket handle, String message, boolean keepOpen) {
        Objects.requireNonNull(handle, "handle");
        Optional<SocketChannel> channel = Handles.channel(handle);
        if (channel.isEmpty() || !channel.get().isConnected()) {
            return failSend(handle::destroy, keepOpen, new NetException(ErrorCode.ERR_SOCKET_CLOSED, "send", null,
                    "only a connected socket can be passed; " + handle + " is " + handle.readyState(), null));
        }
        if (!keepOpen && handle.bytesRead() > 0) {
            return failSend(handle::destroy, false, new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "send", null,
                    handle + " has read " + handle.bytesRead() + " bytes the receiver would never see: accept "
                            + "with pauseOnConnect(true) and pass it before it reads", null));
        }
        SocketChannel ch = channel.get();
        if (UnixChannels.isUnixChannel(ch)) {
            return sendIpcSocket(handle, ch, message, keepOpen);
        }
        InetSocketAddress peer;
        try {
            peer = (InetSocketAddress) ch.getRemoteAddress();
        } catch (IOException | ClassCastException e) {
            peer = null;
        }
        if (peer == null) {
            return failSend(handle::destroy, keepOpen, new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "send", null,
                    "only TCP and IPC sockets can be passed; " + handle + " has no IP peer address", null));
        }
        try {
            JdkChannels.requireAccess();
        } catch (NetException e) {
            return failSend(handle::destroy, keepOpen, e);
        }
        if (keepOpen) {
            return sendDescriptor(ch, ReceivedHandle.Kind.SOCKET, peer, null, message, CompletableFuture.completedFuture(null), () -> { });
        }
        handle.pause();
        // The JDK shuts a connected channel's output down when it closes it while still registered with
        // a selector, as the sender's is: the client would get a FIN while the receiver serves it. It
        // skips that when SO_LINGER is 0, so linger goes to 0 here, the sender's copy closes before the
        // frame leaves (our duplicate keeps the connection), and the receiver turns lingering off again.
        CompletableFuture<Void> senderClosed;
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            senderClosed = new CompletableFuture<>();
        } catch (IOException | RuntimeException e) {
            return failSend(handle::destroy, false, new NetException(ErrorCode.EIO, "send", null,
                    "cannot pass " + handle + ": " + e, e));
        }
        return sendDescriptor(ch, ReceivedHandle.Kind.SOCKET, peer, null, message, senderClosed, () -> {
            handle.closed().whenComplete((hadError, t) -> senderClosed.complete(null));
            handle.destroy();
        });
    }

    /**
     * An IPC socket. junixsocket shuts a socket down when it closes it, which would end the connection
     * for the receiver too; so this copy's descriptor is closed under the channel first, on its loop
     * thread (no select in between), and the channel closes with nothing left to shut down.
     */
    private CompletableFuture<Void> sendIpcSocket(Socket handle, SocketChannel ch, String message, boolean keepOpen) {
        CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        if (keepOpen) {
            return sendDescriptor(ch, ReceivedHandle.Kind.SOCKET, null, null, message, ready, () -> { });
        }
        handle.pause();
        CompletableFuture<Void> senderClosed = new CompletableFuture<>();
        return sendDescriptor(ch, ReceivedHandle.Kind.SOCKET, null, null, message, senderClosed, () -> handle.executor().execute(() -> {
            // Named now, while the channel can still tell: CLOSE listeners here may ask afterwards.
            handle.localAddress();
            handle.remoteAddress();
            try {
                Descriptors.close(((AFUNIXSocketChannel) ch).getFileDescriptor());
            } catch (IOException e) {
                log.debug("{}: releasing the passed socket's descriptor: {}", ipc, e.toString());
            }
            handle.destroy();
            senderClosed.complete(null);
        }));
    }

    /** Passes {@code handle} and closes this process's copy once it was sent (or the send failed). */
    public CompletableFuture<Void> send(Server handle, String message) {
        return send(handle, message, false);
    }

    /**
     * Passes a listening TCP or IPC server. Unless {@code keepOpen}, this process's server closes once
     * the descriptor was handed to the kernel (or the send failed); with it, both processes accept on
     * the same socket and the kernel shares the connections between them, and each closes only its own
     * copy. An IPC server's socket file goes with it or stays, as the class Javadoc says.
     *
     * @return completes once the descriptor is with the kernel, or fails as {@link #send(Socket, String, boolean)}
     */
    public CompletableFuture<Void> send(Server handle, String message, boolean keepOpen) {
        Objects.requireNonNull(handle, "handle");
        Optional<ServerSocketChannel> channel = Handles.channel(handle);
        if (channel.isEmpty()) {
            return failSend(handle::close, keepOpen, new NetException(ErrorCode.ERR_SERVER_NOT_RUNNING, "send", null,
                    "only a listening server can be passed; " + handle + " does not listen", null));
        }
        CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        ServerBinding binding = Handles.binding(handle).orElse(null);
        Path socketFile = binding == null ? null : PassedServers.socketFile(binding);
        SocketFile file = socketFile == null ? null : new SocketFile(socketFile.toString(), !keepOpen);
        if (keepOpen) {
            if (binding != null) {
                PassedServers.share(binding);
            }
            return sendDescriptor(channel.get(), ReceivedHandle.Kind.SERVER, null, file, message, ready, () -> { });
        }
        // A listening channel closes without touching its connections: this copy goes once the frame left,
        // leaving the socket file to the receiver once the kernel has the descriptor.
        CompletableFuture<Void> sent = sendDescriptor(channel.get(), ReceivedHandle.Kind.SERVER, null, file, message, ready, () -> { });
        return sent.whenComplete((v, t) -> {
            if (t == null && binding != null) {
                PassedServers.handOver(binding);
            }
            handle.close();
        });
    }

    /** An IPC server's socket file as the frame names it, and whether the receiver takes it over. */
    private record SocketFile(String path, boolean moves) {
    }

    /**
     * Duplicates the descriptor (ours until the kernel has it in flight, whatever happens to the handle
     * meanwhile), runs {@code afterDuplicate}, and writes the frame with the descriptor once
     * {@code ready} completes.
     */
    private CompletableFuture<Void> sendDescriptor(NetworkChannel ch, ReceivedHandle.Kind kind, InetSocketAddress peer,
                                                   SocketFile file, String message, CompletableFuture<Void> ready,
                                                   Runnable afterDuplicate) {
        ByteBuffer frame;
        FileDescriptor own;
        String text = message == null ? "" : message;
        try {
            if (UnixChannels.isUnixChannel(ch)) {
                frame = new HandleFrame(kind, StandardProtocolFamily.UNIX, null, file == null ? null : file.path(),
                        file != null && file.moves(), text).encode();
                own = Descriptors.duplicate(UnixChannels.descriptor(ch));
            } else if (JdkChannels.isJdkChannel(ch)) {
                frame = new HandleFrame(kind, JdkChannels.family(ch), peer, text).encode();
                own = Descriptors.duplicate(JdkChannels.descriptor(ch));
            } else {
                throw new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "send", null,
                        "only TCP and IPC sockets and servers can be passed; this " + kind + " is "
                                + ch.getClass().getSimpleName(), null);
            }
        } catch (IOException | RuntimeException e) {
            NetException error = e instanceof NetException n ? n
                    : new NetException(ErrorCode.EIO, "send", null, "cannot pass the " + kind + ": " + e, e);
            afterDuplicate.run();
            return CompletableFuture.failedFuture(error);
        }
        afterDuplicate.run();
        int length = frame.remaining();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        ready.whenComplete((v, t) -> ipc.write(frame, new AncillaryWrite() {
            @Override
            public void beforeFirstByte(SocketChannel channel, ByteBuffer data) {
                if (data.remaining() != length) {
                    return; // the descriptor went with the first bytes already
                }
                try {
                    ((AFUNIXSocketChannel) channel).setOutboundFileDescriptors(own);
                } catch (IOException e) {
                    // The frame then goes without it, and the receiver refuses it by name.
                    log.warn("{}: cannot attach the descriptor of a {}", ipc, kind, e);
                }
            }

            @Override
            public void onWritten(Throwable error) {
                Descriptors.close(own); // the kernel holds its own reference from the sendmsg on
                if (error == null) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(error);
                }
            }
        }));
        return sent;
    }

    private static CompletableFuture<Void> failSend(Runnable release, boolean keepOpen, NetException error) {
        if (!keepOpen) {
            release.run();
        }
        return CompletableFuture.failedFuture(error);
    }

    // ---- loop thread ---------------------------------------------------------------------------------

    private void start() {
        Optional<SocketChannel> channel = Handles.channel(ipc);
        if (channel.isPresent()) {
            enable(channel.get());
        } else if (!ipc.isDestroyed()) {
            ipc.once(Socket.CONNECT, () -> Handles.channel(ipc).ifPresent(this::enable));
        }
        ipc.on(Socket.DATA_BORROWED, this::onData);
        ipc.on(Socket.CLOSE, hadError -> onClose());
    }

    private void enable(SocketChannel channel) {
        if (!(channel instanceof AFUNIXSocketChannel afunix)) {
            fail(new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "recvmsg", null,
                    "handles travel only over IPC (Unix domain) sockets, not over " + ipc, null));
            return;
        }
        if (ipc.bytesRead() > 0) {
            fail(new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "recvmsg", null, ipc + " read "
                    + ipc.bytesRead() + " bytes before its HandleChannel listened: descriptors may be lost", null));
            return;
        }
        afunix.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER_BYTES);
        unix = afunix;
    }

    private void onData(ByteBuffer chunk) {
        FileDescriptor[] received = takeReceived();
        if (failed) {
            closeAll(received);
            return;
        }
        try {
            decoder.accept(chunk, received);
        } catch (NetException e) {
            fail(e);
        }
    }

    /**
     * What came with the last read, as descriptors of our own: junixsocket closes the ones it handed out
     * when the IPC channel closes, which must not take an adopted socket with it.
     */
    private FileDescriptor[] takeReceived() {
        FileDescriptor[] received = received();
        FileDescriptor[] own = new FileDescriptor[received.length];
        for (int i = 0; i < received.length; i++) {
            try {
                own[i] = Descriptors.duplicate(received[i]);
            } catch (IOException e) {
                closeAll(own);
                closeAll(received);
                fail(new NetException(ErrorCode.EMFILE, "recvmsg", null, "cannot take a received descriptor: " + e, e));
                return new FileDescriptor[0];
            } finally {
                Descriptors.close(received[i]);
            }
        }
        return own;
    }

    private void deliver(HandleFrame frame, FileDescriptor fd) {
        ReceivedHandle handle = new ReceivedHandle(frame, fd);
        try {
            onHandle.accept(handle);
        } catch (RuntimeException | Error e) {
            log.warn("{}: a handle listener threw; the handle is closed", ipc, e);
        } finally {
            handle.listenerReturned();
        }
    }

    private void fail(NetException error) {
        if (failed) {
            return;
        }
        failed = true;
        decoder.close();
        ipc.destroy(error);
    }

    private void onClose() {
        decoder.close();
        closeAll(received());
    }

    private FileDescriptor[] received() {
        if (unix == null) {
            return new FileDescriptor[0];
        }
        try {
            FileDescriptor[] fds = unix.getReceivedFileDescriptors();
            return fds == null ? new FileDescriptor[0] : fds;
        } catch (IOException e) {
            // junixsocket declares it; it only copies a list. Whatever it still holds it closes with the channel.
            return new FileDescriptor[0];
        }
    }

    private static void closeAll(FileDescriptor[] fds) {
        for (FileDescriptor fd : fds) {
            Descriptors.close(fd);
        }
    }

    @Override
    public String toString() {
        return "HandleChannel[" + ipc + "]";
    }
}
