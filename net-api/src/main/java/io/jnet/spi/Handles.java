package io.jnet.spi;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.internal.NioServer;
import io.jnet.internal.NioSocket;
import io.jnet.internal.Transports;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What passing sockets and servers between processes needs from the shared socket code: the channel
 * under a jnet {@link Socket} or {@link Server} (whose descriptor is sent), and a live {@code Socket}
 * or {@code Server} made over a channel that was connected or bound elsewhere (a descriptor received),
 * on a loop of the transport that serves such channels. Thread-safe.
 */
public final class Handles {
    private Handles() {
    }

    /** The transport serving {@code endpoint}'s kind ({@code Endpoint.tcp("127.0.0.1", 0)} for TCP). */
    public static Transport transportFor(Endpoint endpoint) {
        return Transports.forEndpoint(endpoint);
    }

    /** The channel under {@code socket}; empty while it connects, or for a socket jnet did not make. */
    public static Optional<SocketChannel> channel(Socket socket) {
        return socket instanceof NioSocket nio ? Optional.ofNullable(nio.channel()) : Optional.empty();
    }

    /** The listening channel under {@code server}; empty when it does not listen. */
    public static Optional<ServerSocketChannel> channel(Server server) {
        return server instanceof NioServer nio ? Optional.ofNullable(nio.channel()) : Optional.empty();
    }

    /**
     * The binding under {@code server} (its channel and the files its close removes); empty when it does
     * not listen. A transport passing the server to another process hands those files over with it.
     */
    public static Optional<ServerBinding> binding(Server server) {
        return server instanceof NioServer nio ? Optional.ofNullable(nio.binding()) : Optional.empty();
    }

    /**
     * A socket over {@code channel} (connected, non-blocking, of {@code transport}'s selector provider),
     * started as a server starts an accepted one; it owns the channel from here.
     */
    public static Socket adopt(Transport transport, SocketChannel channel, ServerOptions options) {
        try {
            return NioSocket.adopt(transport, channel, options);
        } catch (IOException e) {
            closeQuietly(channel);
            throw transport.error(e, "adopt", null);
        }
    }

    /**
     * A server listening on {@code channel} (bound and listening, non-blocking, of {@code transport}'s
     * selector provider); it owns the channel from here, and its CONNECTION events fire in this process,
     * to {@code onConnection} (may be null) from the first one on.
     */
    public static Server adopt(Transport transport, ServerSocketChannel channel, ServerOptions options,
                               Consumer<Socket> onConnection) {
        Endpoint address;
        try {
            address = transport.endpointOf(channel.getLocalAddress());
        } catch (IOException e) {
            closeQuietly(channel);
            throw transport.error(e, "adopt", null);
        }
        if (address == null) {
            closeQuietly(channel);
            throw new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "adopt", null,
                    "the channel has no address " + transport.name() + " can name", null);
        }
        return adopt(transport, ServerBinding.of(channel, address), options, onConnection);
    }

    /**
     * A server listening on {@code binding}'s channel (bound and listening, non-blocking, of
     * {@code transport}'s selector provider), for a transport whose close must undo more than closing
     * the channel (an IPC socket file); the server owns the binding from here, and closes it once.
     */
    public static Server adopt(Transport transport, ServerBinding binding, ServerOptions options,
                               Consumer<Socket> onConnection) {
        NioServer server = new NioServer(options, e -> transport);
        if (onConnection != null) {
            server.on(Server.CONNECTION, onConnection);
        }
        return server.listen(transport, binding);
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing what we could not use: nothing more to do with it
        }
    }
}
