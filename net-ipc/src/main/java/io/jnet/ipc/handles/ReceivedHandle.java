package io.jnet.ipc.handles;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.spi.Handles;
import io.jnet.spi.Transport;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A socket or server another process passed over a {@link HandleChannel}, with the message it came
 * with. Claim it with {@link #socket()} or {@link #server(Consumer)} inside the channel's listener:
 * once the listener returns, a handle nobody claimed is closed (its descriptor never lingers), and
 * claiming it later fails.
 *
 * <p>Called on the IPC socket's loop thread, inside the listener only; the socket or server it gives
 * lives on a TCP loop of this process.
 */
public final class ReceivedHandle {
    /** What was passed. */
    public enum Kind {
        /** A connected TCP socket: {@link #socket()}. */
        SOCKET,
        /** A listening TCP server: {@link #server(Consumer)}. */
        SERVER
    }

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

    /** The message the sender passed with the handle; empty when it gave none. */
    public String message() {
        return frame.message();
    }

    /** The passed socket, live here with {@link ServerOptions#defaults()} as an accepted socket would have them. */
    public Socket socket() {
        return socket(ServerOptions.defaults());
    }

    /**
     * The passed socket, connected, on a TCP loop of this process: it reads per Node's rules as an
     * accepted socket does (what arrives before a {@code DATA} listener is kept for the first one;
     * {@link ServerOptions#pauseOnConnect()} keeps it paused).
     *
     * @throws IllegalStateException when this is a SERVER, or was claimed or closed already
     */
    public Socket socket(ServerOptions options) {
        FileDescriptor fd = claim(Kind.SOCKET);
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
     * The passed server, listening on a TCP loop of this process: its {@code CONNECTION} events fire
     * here, to {@code onConnection} first. When the sender kept its copy open, the kernel shares the
     * incoming connections between the processes that accept on it.
     *
     * @throws IllegalStateException when this is a SOCKET, or was claimed or closed already
     */
    public Server server(ServerOptions options, Consumer<Socket> onConnection) {
        FileDescriptor fd = claim(Kind.SERVER);
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

    /** Refuses the handle: closes its descriptor now (a socket's peer sees the end of the stream). Idempotent. */
    public void close() {
        FileDescriptor fd = descriptor;
        descriptor = null;
        if (fd == null) {
            return;
        }
        if (frame.kind() == Kind.SOCKET) {
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

    private static NetException asNetException(Exception e, Transport tcp) {
        if (e instanceof NetException n) {
            return n;
        }
        if (e instanceof IOException io) {
            return tcp.error(io, "adopt", null);
        }
        return new NetException(ErrorCode.EIO, "adopt", null, e.toString(), e);
    }

    @Override
    public String toString() {
        return "ReceivedHandle[" + frame.kind() + (frame.peer() != null ? " from " + frame.peer() : "")
                + ", message=\"" + frame.message() + "\"]";
    }
}
