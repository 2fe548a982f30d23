package io.jnet.tcp;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.ServerOptions;
import io.jnet.spi.ServerBinding;
import io.jnet.spi.Transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * TCP on the JDK's own {@code java.nio} channels and selector. Found by {@link java.util.ServiceLoader};
 * users never name it.
 */
public final class TcpTransport implements Transport {
    static {
        warmUpJdkChannels();
    }

    /**
     * Opens and closes one channel of each kind, so that the JDK's lazily initialised close machinery
     * (which itself needs descriptors) is ready before a server can run out of them.
     */
    private static void warmUpJdkChannels() {
        try {
            SocketChannel.open().close();
            ServerSocketChannel.open().close();
        } catch (IOException e) {
            // Only a warm-up: the real open will report the problem with an address attached.
        }
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String artifact() {
        return "io.jnet:net-tcp";
    }

    @Override
    public boolean serves(Endpoint endpoint) {
        return endpoint instanceof Endpoint.Tcp;
    }

    @Override
    public ServerBinding bind(Endpoint endpoint, ServerOptions options) {
        Endpoint.Tcp tcp = (Endpoint.Tcp) endpoint;
        InetSocketAddress address = Resolver.forListen(tcp);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            // As libuv does: a restarted server can bind while old connections sit in TIME_WAIT.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (options.reusePort()) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "listen", endpoint.toString(),
                            "reusePort is not supported on " + System.getProperty("os.name") + " by this JDK", null);
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, options.backlog());
            channel.configureBlocking(false);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            return ServerBinding.of(channel, Endpoint.tcp(Resolver.literal(bound.getAddress()), bound.getPort()));
        } catch (IOException e) {
            closeQuietly(channel);
            throw error(e, "listen", endpoint.toString());
        } catch (NetException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public CompletableFuture<List<SocketAddress>> resolve(Endpoint endpoint, ConnectOptions options) {
        return Resolver.resolve((Endpoint.Tcp) endpoint, options.family(), options.hints(), options.lookup());
    }

    @Override
    public SocketChannel open(SocketAddress target, ConnectOptions options) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            if (options.localAddress() != null || options.localPort() != 0) {
                bindLocal(channel, options);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Binds before connecting; a failure is named as Node names it: {@code bind EADDRINUSE 127.0.0.1:5000}. */
    private void bindLocal(SocketChannel channel, ConnectOptions options) throws IOException {
        // A literal (ConnectOptions checks it), so this looks nothing up.
        InetAddress local = options.localAddress() == null ? null : InetAddress.getByName(options.localAddress());
        try {
            channel.bind(new InetSocketAddress(local, options.localPort()));
        } catch (IOException e) {
            String host = local == null ? (options.localPort() == 0 ? null : "::") : Resolver.literal(local);
            String where = options.localPort() == 0 ? host : host + ":" + options.localPort();
            throw error(e, "bind", where);
        }
    }

    @Override
    public void prepareReset(SocketChannel channel) throws IOException {
        // A zero linger time turns close() into an abort: the kernel sends RST and drops what is unsent.
        channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
    }

    @Override
    public boolean canReset() {
        return true;
    }

    @Override
    public void setTypeOfService(SocketChannel channel, int tos) throws IOException {
        channel.setOption(StandardSocketOptions.IP_TOS, tos);
    }

    @Override
    public OptionalInt typeOfService(SocketChannel channel) throws IOException {
        return OptionalInt.of(channel.getOption(StandardSocketOptions.IP_TOS));
    }

    @Override
    public void setNoDelay(SocketChannel channel, boolean noDelay) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
    }

    @Override
    public void setKeepAlive(SocketChannel channel, boolean enable, Duration initialDelay) throws IOException {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, enable);
        if (enable && !initialDelay.isZero()) {
            KeepAliveIdle.set(channel, initialDelay);
        }
    }

    @Override
    public Endpoint endpointOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return Endpoint.tcp(Resolver.literal(inet.getAddress()), inet.getPort());
        }
        return null;
    }

    @Override
    public Optional<PeerCredentials> peerCredentials(SocketChannel channel) {
        return Optional.empty();
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing; the original error is the one reported.
            }
        }
    }

    @Override
    public String toString() {
        return "TcpTransport";
    }
}
