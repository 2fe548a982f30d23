package io.jnet.ipc;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.ServerOptions;
import io.jnet.spi.ServerBinding;
import io.jnet.spi.Transport;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * IPC over Unix domain sockets on junixsocket's NIO channels and selector. Found by
 * {@link java.util.ServiceLoader}; users never name it, they add {@code io.jnet:net-ipc} and write:
 *
 * <pre>{@code
 * Server server = Net.createServer(socket -> socket.on(Socket.DATA, socket::write));
 * server.listen(Endpoint.ipc(Path.of("/run/app/app.sock")));   // created 0600, removed on close()
 * Socket client = Net.createConnection(Endpoint.ipc(Path.of("/run/app/app.sock")), () -> log.info("up"));
 * }</pre>
 *
 * <p>What {@code listen} does with the socket file, so that nothing surprises the operator:
 * <ul>
 *   <li>It never replaces what is at the path: a live listener, a regular file or a directory is
 *       {@code EADDRINUSE}; so is a stale socket file (nobody listens on it) unless
 *       {@link ServerOptions#reclaimStale()} is set, in which case it is probed with a connect and
 *       replaced only if that is refused.</li>
 *   <li>The file is {@code 0600} from the first moment whatever the umask ({@code readableAll} and
 *       {@code writableAll} widen it). To get there without a window, the socket is bound inside a
 *       private {@code 0700} directory next to the path, named {@code .jnet-*}, and hard-linked into
 *       place; that directory stays while the server listens and is removed with the socket file on
 *       {@code close()}.</li>
 *   <li>Paths longer than {@code sun_path} (107 bytes on Linux) are {@code ENAMETOOLONG}; a missing
 *       directory is {@code ENOENT}; a directory this process may not write is {@code EACCES}.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class IpcTransport implements Transport {
    /** One group for the JVM: junixsocket's channels register only with junixsocket's own selectors. */
    /** Called by {@link java.util.ServiceLoader}. */
    public IpcTransport() {
    }

    @Override
    public String artifact() {
        return "io.jnet:net-ipc";
    }

    @Override
    public boolean serves(Endpoint endpoint) {
        return endpoint instanceof Endpoint.Ipc || endpoint instanceof Endpoint.IpcAbstract;
    }

    @Override
    public String name() {
        return "ipc";
    }

    @Override
    public java.nio.channels.spi.SelectorProvider selectorProvider() {
        return AFUNIXSelectorProvider.provider();
    }

    @Override
    public ServerBinding bind(Endpoint endpoint, ServerOptions options) {
        if (endpoint instanceof Endpoint.Ipc ipc) {
            return SocketFileBinder.bind(ipc, options);
        }
        if (endpoint instanceof Endpoint.IpcAbstract name) {
            return SocketFileBinder.bindAbstract(name, options);
        }
        throw unsupported(endpoint);
    }

    @Override
    public CompletableFuture<List<SocketAddress>> resolve(Endpoint endpoint, ConnectOptions options) {
        try {
            // Nothing to look up: a path or an abstract name is its own address.
            SocketAddress address;
            if (endpoint instanceof Endpoint.Ipc ipc) {
                address = SunPath.of(ipc.path(), "connect");
            } else if (endpoint instanceof Endpoint.IpcAbstract name) {
                address = SunPath.ofAbstract(name.name(), "connect");
            } else {
                throw unsupported(endpoint);
            }
            return CompletableFuture.completedFuture(List.of(address));
        } catch (NetException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public SocketChannel open(SocketAddress target, ConnectOptions options) throws IOException {
        AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
        try {
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * False: junixsocket 2.10.1's gathering write writes only its first buffer ("FIXME support more
     * than one buffer"), so a queue of small writes would cost a system call each and a cork would
     * leave its writes in pieces.
     */
    @Override
    public boolean gathersWrites() {
        return false;
    }

    /** No-op: Nagle's algorithm does not exist on Unix domain sockets. */
    @Override
    public void setNoDelay(SocketChannel channel, boolean noDelay) {
    }

    /** No-op: keep-alive probes do not exist on Unix domain sockets (a dead peer is seen at once). */
    @Override
    public void setKeepAlive(SocketChannel channel, boolean enable, Duration initialDelay) {
    }

    /**
     * True: junixsocket 2.10.1's non-blocking read returns 0, not -1, at end of stream (its issue #171),
     * so a readable channel that yields nothing has reached its end.
     */
    @Override
    public boolean zeroReadWhenReadableIsEndOfStream() {
        return true;
    }

    @Override
    public Endpoint endpointOf(SocketAddress address) {
        if (!(address instanceof AFUNIXSocketAddress unix)) {
            return null;
        }
        if (unix.isInAbstractNamespace()) {
            byte[] bytes = unix.getPathAsBytes();
            return Endpoint.ipcAbstract(new String(bytes, 1, bytes.length - 1, AFUNIXSocketAddress.addressCharset()));
        }
        if (!unix.hasFilename()) {
            return null; // an unnamed client socket, as almost all are
        }
        String path = unix.getPath();
        Endpoint published = PrivateNames.publicFor(path);
        return published != null ? published : Endpoint.ipc(Path.of(path));
    }

    @Override
    public Optional<PeerCredentials> peerCredentials(SocketChannel channel) {
        if (!(channel instanceof AFUNIXSocketChannel unix)) {
            return Optional.empty();
        }
        try {
            AFUNIXSocketCredentials c = unix.getPeerCredentials();
            if (c == null || c.isEmpty()) {
                return Optional.empty();
            }
            long[] gids = c.getGids();
            List<Long> groups = new ArrayList<>();
            if (gids != null) {
                for (long g : gids) {
                    groups.add(g);
                }
            }
            if (groups.isEmpty() && c.getGid() >= 0) {
                groups.add(c.getGid());
            }
            return Optional.of(new PeerCredentials(c.getPid(), c.getUid(), groups));
        } catch (IOException e) {
            // The peer may be gone already; "unknown" is the honest answer, and allowPeer refuses unknown peers.
            return Optional.empty();
        }
    }

    private static NetException unsupported(Endpoint endpoint) {
        return new NetException(ErrorCode.ERR_TRANSPORT_UNAVAILABLE, null, String.valueOf(endpoint),
                "net-ipc serves only IPC endpoints (a socket path or an abstract name)", null);
    }

    @Override
    public String toString() {
        return "IpcTransport";
    }
}
