package io.jnet.ipc.handles;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.ipc.PassedServers;
import io.jnet.spi.Handles;
import io.jnet.spi.ServerBinding;
import io.jnet.spi.Transport;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A socket or server another process passed over a {@link HandleChannel}, with the message it came
 * with. Claim it with {@link #socket()} or {@link #server(Consumer)} inside the channel's listener:
 * once the listener returns, a handle nobody claimed is closed (its descriptor never lingers; an IPC
 * server's socket file that came with it is removed), and claiming it later fails.
 *
 * <p>Called on the IPC socket's loop thread, inside the listener only; the socket or server it gives
 * lives on a loop of this process of its own transport: TCP, or IPC when {@link #isIpc()}.
 */
public final class ReceivedHandle {
    /** What was passed. */
    public enum Kind {
        /** A connected TCP or IPC socket: {@link #socket()}. */
        SOCKET,
        /** A listening TCP or IPC server: {@link #server(Consumer)}. */
        SERVER
    }

    /** Any IPC endpoint: it names the transport that serves received IPC handles. */
    private static final Endpoint IPC = Endpoint.ipcAbstract("jnet-handles");

    private final HandleFrame frame;
    private FileDescriptor descriptor;
    private boolean listenerReturned;

    ReceivedHandle(HandleFrame frame, FileDescriptor descriptor) {
        this.frame = frame;
        this.descriptor = descriptor;
    }

    public Kind kind() {
        return frame.kind();
    }

    /** Whether this is an IPC (Unix domain) socket or server rather than a TCP one. */
    public boolean isIpc() {
        return frame.family() == StandardProtocolFamily.UNIX;
    }

    /** The message the sender passed with the handle; empty when it gave none. */
    public String message() {
        return frame.message();
    }

    /** The passed socket, live here with {@link ServerOptions#defaults()} as an accepted socket would have them. */
    public Socket socket() {
        return socket(ServerOptions.defaults());
    }

    /**
     * The passed socket, connected, on a TCP or IPC loop of this process: it reads per Node's rules as an
     * accepted socket does (what arrives before a {@code DATA} listener is kept for the first one;
     * {@link ServerOptions#pauseOnConnect()} keeps it paused).
     *
     * @throws IllegalStateException when this is a SERVER, or was claimed or closed already
     */
    public Socket socket(ServerOptions options) {
        FileDescriptor fd = claim(Kind.SOCKET);
        if (isIpc()) {
            Transport ipc = Handles.transportFor(IPC);
            try {
                return Handles.adopt(ipc, UnixChannels.socket(fd), options);
            } catch (IOException | RuntimeException e) {
                Descriptors.close(fd);
                throw asNetException(e, ipc);
            }
        }
        Transport tcp = Handles.transportFor(Endpoint.tcp("127.0.0.1", 0));
        SocketChannel channel;
        try {
            channel = JdkChannels.socket(fd, frame.family(), frame.peer());
            // The sender closed its copy with SO_LINGER 0 so that the JDK would not shut the output down;
            // here the socket closes as any other does.
            channel.setOption(StandardSocketOptions.SO_LINGER, -1);
        } catch (IOException | RuntimeException e) {
            Descriptors.close(fd);
            throw asNetException(e, tcp);
        }
        return Handles.adopt(tcp, channel, options);
    }

    /** The passed server, listening here with default options; {@code onConnection} gets its connections. */
    public Server server(Consumer<Socket> onConnection) {
        return server(ServerOptions.defaults(), onConnection);
    }

    /**
     * The passed server, listening on a TCP or IPC loop of this process: its {@code CONNECTION} events
     * fire here, to {@code onConnection} first. When the sender kept its copy open, the kernel shares
     * the incoming connections between the processes that accept on it. An IPC server's
     * {@link Server#address()} is the socket file the sender listened on (or its abstract name); its
     * {@code close()} removes that file when the sender passed it without keeping a copy, as
     * {@link HandleChannel} describes.
     *
     * @throws IllegalStateException when this is a SOCKET, or was claimed or closed already
     */
    public Server server(ServerOptions options, Consumer<Socket> onConnection) {
        FileDescriptor fd = claim(Kind.SERVER);
        if (isIpc()) {
            Transport ipc = Handles.transportFor(IPC);
            ServerBinding binding;
            try {
                binding = ipcBinding(fd);
            } catch (IOException | RuntimeException e) {
                throw asNetException(e, ipc);
            }
            return Handles.adopt(ipc, binding, options, onConnection);
        }
        Transport tcp = Handles.transportFor(Endpoint.tcp("127.0.0.1", 0));
        ServerSocketChannel channel;
        try {
            channel = JdkChannels.server(fd, frame.family());
        } catch (IOException | RuntimeException e) {
            Descriptors.close(fd);
            throw asNetException(e, tcp);
        }
        return Handles.adopt(tcp, channel, options, onConnection);
    }

    /**
     * Refuses the handle: closes its descriptor now (a socket's peer sees the end of the stream; an IPC
     * server's socket file that came with it is removed). Idempotent.
     */
    public void close() {
        FileDescriptor fd = descriptor;
        descriptor = null;
        if (fd == null) {
            return;
        }
        if (isIpc() && frame.kind() == Kind.SERVER && frame.socketFileMoves()) {
            try {
                ipcBinding(fd).close();
            } catch (IOException | RuntimeException e) {
                // ipcBinding closed the descriptor; a file left behind is stale, and reclaimStale takes it
            }
            return;
        }
        if (frame.kind() == Kind.SOCKET && !isIpc()) {
            // Through a channel, to take back the sender's SO_LINGER 0: a refused client gets a FIN, not an RST.
            try (SocketChannel channel = JdkChannels.socket(fd, frame.family(), frame.peer())) {
                channel.setOption(StandardSocketOptions.SO_LINGER, -1);
                return;
            } catch (IOException | RuntimeException e) {
                // closed by the try, or not a channel: the descriptor is closed below either way
            }
        }
        Descriptors.close(fd);
    }

    /** The listener returned: what it did not claim is closed, and no claim may come later. */
    void listenerReturned() {
        listenerReturned = true;
        close();
    }

    /** The binding of a received IPC server; closes {@code fd} when it cannot make one. */
    private ServerBinding ipcBinding(FileDescriptor fd) throws IOException {
        AFUNIXServerSocketChannel channel;
        try {
            channel = UnixChannels.server(fd);
        } catch (IOException | RuntimeException e) {
            Descriptors.close(fd);
            throw e;
        }
        try {
            return PassedServers.adopt(channel, frame.socketFile() == null ? null : Path.of(frame.socketFile()),
                    frame.socketFileMoves());
        } catch (IOException | RuntimeException e) {
            Descriptors.close(fd); // first: junixsocket's close would shut the socket down for the sender too
            channel.close();
            throw e;
        }
    }

    private FileDescriptor claim(Kind wanted) {
        if (frame.kind() != wanted) {
            throw new IllegalStateException("this handle is a " + frame.kind() + ", not a " + wanted);
        }
        if (listenerReturned) {
            throw new IllegalStateException("a handle must be claimed inside the listener; it was closed when the listener returned");
        }
        if (descriptor == null) {
            throw new IllegalStateException("this handle was claimed or closed already");
        }
        FileDescriptor fd = descriptor;
        descriptor = null;
        return fd;
    }

    private static NetException asNetException(Exception e, Transport transport) {
        if (e instanceof NetException n) {
            return n;
        }
        if (e instanceof IOException io) {
            return transport.error(io, "adopt", null);
        }
        return new NetException(ErrorCode.EIO, "adopt", null, e.toString(), e);
    }

    @Override
    public String toString() {
        return "ReceivedHandle[" + frame.kind() + (frame.peer() != null ? " from " + frame.peer() : "")
                + (frame.socketFile() != null ? " at " + frame.socketFile() : "")
                + ", message=\"" + frame.message() + "\"]";
    }
}
