package io.jnet.internal;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Turns an endpoint into a connected channel for one client socket: the lookup (off the loop, by the
 * transport), one attempt per resolved address in order until one connects, and the overall connect
 * timeout. It reports exactly one outcome to its {@link Outcome}. Loop thread only, after {@link #start}.
 *
 * <p>Attempts are sequential: the next address is tried when the previous one fails. (Node's
 * {@code autoSelectFamily} staggers attempts across families instead; jnet does not do that yet.)
 */
final class Connector {
    private static final Logger log = LoggerFactory.getLogger(io.jnet.Socket.class);

    /** Where the connector's single outcome goes. */
    interface Outcome {
        void connected(SocketChannel channel, SelectionKey key);

        void failed(NetException error);
    }

    private enum Phase { RESOLVING, CONNECTING, DONE }

    private final Transport transport;
    private final EventLoop loop;
    private final Endpoint endpoint;
    private final ConnectOptions options;
    private final IoHandler handler;
    private final Outcome outcome;
    private Phase phase = Phase.RESOLVING;
    private List<SocketAddress> candidates;
    private int candidate;
    private SocketChannel channel;
    private SelectionKey key;
    private Timer timeout;
    /** The attempt's local end when the caller chose one (named in its error, as Node does); else null. */
    private String local;

    Connector(Transport transport, EventLoop loop, Endpoint endpoint, ConnectOptions options, IoHandler handler,
              Outcome outcome) {
        this.transport = transport;
        this.loop = loop;
        this.endpoint = endpoint;
        this.options = options;
        this.handler = handler;
        this.outcome = outcome;
    }

    /** Any thread: starts the lookup now (off the loop) and the timeout on the loop. */
    void start() {
        var resolved = transport.resolve(endpoint, options);
        loop.execute(() -> {
            long nanos = options.connectTimeout().toNanos();
            if (nanos > 0 && phase != Phase.DONE) {
                timeout = loop.schedule(this::timedOut, nanos);
            }
            resolved.whenComplete((addresses, failure) -> loop.execute(() -> resolved(addresses, failure)));
        });
    }

    /** The channel being connected, or null. */
    SocketChannel channel() {
        return channel;
    }

    /** The socket is being destroyed while connecting: stop, close what is open, report nothing. */
    void abandon() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        cancelTimeout();
        closeAttempt();
    }

    /** The selector says the attempt in flight has an answer. */
    void onConnectable() {
        if (phase != Phase.CONNECTING) {
            return;
        }
        try {
            if (channel.finishConnect()) {
                succeed();
            }
        } catch (IOException e) {
            attemptFailed(e);
        }
    }

    private void resolved(List<SocketAddress> addresses, Throwable failure) {
        if (phase != Phase.RESOLVING) {
            return;
        }
        if (failure != null) {
            fail(asNetException(unwrap(failure)));
        } else if (addresses == null || addresses.isEmpty()) {
            fail(new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", endpoint.toString(), "no addresses", null));
        } else {
            candidates = addresses;
            phase = Phase.CONNECTING;
            attempt(0);
        }
    }

    private void attempt(int index) {
        candidate = index;
        SocketAddress address = candidates.get(index);
        try {
            channel = transport.open(address, options);
            local = boundLocalAddress(); // now: the JDK closes the channel when its connect fails
            key = loop.register(channel, SelectionKey.OP_CONNECT, handler);
            if (channel.connect(address)) {
                succeed();
            }
        } catch (IOException e) {
            attemptFailed(e);
        }
    }

    private void attemptFailed(IOException failure) {
        closeAttempt();
        SocketAddress address = candidates.get(candidate);
        if (candidate + 1 < candidates.size()) {
            log.debug("connect to {} failed ({}), trying the next address", address, failure.getMessage());
            attempt(candidate + 1);
            return;
        }
        // Node names the local end too when the caller chose it: "... 127.0.0.1:9 - Local (127.0.0.1:5000)"
        fail(transport.error(failure, "connect", local == null ? where() : where() + " - Local (" + local + ")"));
    }

    /** The local end of the attempt, when the caller asked for a local address or port; else null. */
    private String boundLocalAddress() {
        if ((options.localAddress() == null && options.localPort() == 0) || channel == null) {
            return null;
        }
        try {
            Endpoint ep = transport.endpointOf(channel.getLocalAddress());
            return ep == null ? null : ep.toString();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private void succeed() {
        phase = Phase.DONE;
        cancelTimeout();
        outcome.connected(channel, key);
    }

    private void timedOut() {
        timeout = null;
        if (phase == Phase.RESOLVING || phase == Phase.CONNECTING) {
            // Node's words exactly; the limit is the caller's own connectTimeout.
            fail(new NetException(ErrorCode.ETIMEDOUT, "connect", where(), null, null));
        }
    }

    private void fail(NetException error) {
        phase = Phase.DONE;
        cancelTimeout();
        closeAttempt();
        outcome.failed(error);
    }

    /** The address being tried when there is one (what the error should name), else the endpoint. */
    private String where() {
        if (candidates != null) {
            Endpoint ep = transport.endpointOf(candidates.get(candidate));
            if (ep != null) {
                return ep.toString();
            }
        }
        return endpoint.toString();
    }

    private void closeAttempt() {
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // An attempt that failed or was abandoned; its outcome is what gets reported.
            }
            channel = null;
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    private NetException asNetException(Throwable failure) {
        if (failure instanceof NetException ne) {
            return ne;
        }
        if (failure instanceof IOException io) {
            return transport.error(io, "getaddrinfo", endpoint.toString());
        }
        return new NetException(ErrorCode.EIO, "getaddrinfo", endpoint.toString(), String.valueOf(failure), failure);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
