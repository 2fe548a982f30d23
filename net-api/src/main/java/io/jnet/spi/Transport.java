package io.jnet.spi;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.ServerOptions;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A way of moving bytes (TCP, Unix domain sockets) plugged into jnet's shared socket and event-loop
 * code. {@link io.jnet.Net} finds transports with {@link java.util.ServiceLoader}; a transport module
 * declares {@code provides io.jnet.spi.Transport with ...} and a {@code META-INF/services} entry.
 *
 * <p>The transport owns only its channels: opening, binding, resolving, options, credentials, and
 * naming errors. Everything Node-shaped (events, the write queue, back-pressure, timeouts, half-close)
 * is shared, so the transports cannot drift apart. Channels must be {@link SocketChannel}s and
 * {@link java.nio.channels.ServerSocketChannel}s of {@link #selectorProvider()}: jnet's event loops
 * (internal, shared by every transport's sockets) open their selectors from it.
 *
 * <p>Implementations are thread-safe.
 */
public interface Transport {

    /** The Maven coordinates of the module, named in errors ({@code io.jnet:net-tcp}). */
    String artifact();

    /** Whether this transport serves the endpoint. */
    boolean serves(Endpoint endpoint);

    /** A short name for the transport's loop threads ({@code jnet-tcp-0}) and logs: {@code tcp}, {@code ipc}. */
    String name();

    /**
     * Where the selectors this transport's channels register with come from: the JDK's for its own
     * channels, junixsocket's for its (they register only with their own selector).
     */
    default SelectorProvider selectorProvider() {
        return SelectorProvider.provider();
    }

    /**
     * Opens a non-blocking server channel and binds it, on the caller's thread.
     *
     * @throws NetException naming the endpoint ({@code EADDRINUSE}, {@code EACCES}, {@code ENOENT}, …)
     */
    ServerBinding bind(Endpoint endpoint, ServerOptions options);

    /**
     * The addresses to try, in order, to reach the endpoint. Name lookups must not run on a loop thread;
     * the future may complete on any thread. Fails with {@code ENOTFOUND} naming the host.
     */
    CompletableFuture<List<SocketAddress>> resolve(Endpoint endpoint, ConnectOptions options);

    /**
     * Opens a non-blocking, unconnected channel able to reach {@code target}, with the options that
     * must be set before connecting (local bind, no-delay, keep-alive) applied.
     */
    SocketChannel open(SocketAddress target, ConnectOptions options) throws IOException;

    /** Applies no-delay where the transport has it; a no-op where it does not. */
    void setNoDelay(SocketChannel channel, boolean noDelay) throws IOException;

    /** Applies keep-alive where the transport has it; a no-op where it does not. */
    void setKeepAlive(SocketChannel channel, boolean enable, Duration initialDelay) throws IOException;

    /** The endpoint a socket address stands for, or null for an unnamed one. */
    Endpoint endpointOf(SocketAddress address);

    /**
     * Whether a read that returns 0 bytes as the first read after the selector reported the channel
     * readable means end of stream. False for the JDK's channels, which return -1 there. True for
     * junixsocket 2.10.1, whose non-blocking read returns 0 instead of -1 at end of stream (junixsocket
     * issue #171, fixed after 2.10.1): with a level-triggered selector, readable-but-empty is EOF.
     */
    default boolean zeroReadWhenReadableIsEndOfStream() {
        return false;
    }

    /**
     * Makes the next {@code close()} of {@code channel} abort the connection (an RST, so the peer sees
     * {@code ECONNRESET}) instead of finishing it; Node's {@code resetAndDestroy()}.
     *
     * Called only where {@link #canReset()}.
     */
    default void prepareReset(SocketChannel channel) throws IOException {
        throw new UnsupportedOperationException(artifact() + " cannot reset a connection");
    }

    /**
     * Sets the type-of-service byte of the packets {@code channel} sends (Node's {@code setTypeOfService}).
     * Transports without IP headers do nothing: the socket keeps the value, as Node does for a pipe.
     */
    default void setTypeOfService(SocketChannel channel, int tos) throws IOException {
    }

    /** What the kernel reports as {@code channel}'s type-of-service byte; empty where there is none (IPC). */
    default OptionalInt typeOfService(SocketChannel channel) throws IOException {
        return OptionalInt.empty();
    }

    /**
     * Whether {@code write(ByteBuffer[], int, int)} on this transport's channels hands all the buffers
     * to the kernel in one call, as the JDK's {@code writev} does. False makes jnet copy small queued
     * buffers into one before writing (a system call per flush, not per buffer, and writes that leave
     * together arrive together).
     */
    default boolean gathersWrites() {
        return true;
    }

    /** Whether {@link #prepareReset} works here: TCP can send an RST, Unix domain sockets have none. */
    default boolean canReset() {
        return false;
    }

    /** The peer's credentials where the transport can read them; empty otherwise. */
    Optional<PeerCredentials> peerCredentials(SocketChannel channel);

    /**
     * Turns an I/O failure into a {@link NetException} with the right code.
     *
     * @param syscall the operation ({@code connect}, {@code read}, {@code write}, {@code accept})
     * @param address the address involved as the user would write it, or null
     */
    default NetException error(IOException failure, String syscall, String address) {
        return Errors.fromIo(failure, syscall, address);
    }
}
