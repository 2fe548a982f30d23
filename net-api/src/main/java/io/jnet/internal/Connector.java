package io.jnet.internal;

import io.jnet.AggregateNetException;
import io.jnet.BlockList;
import io.jnet.ConnectOptions;
import io.jnet.ConnectionAttempt;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.LookupEvent;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Socket;
import io.jnet.spi.Transport;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Turns an endpoint into a connected channel for one client socket: the lookup (off the loop, by the
 * transport), the connection attempts, and the overall connect timeout. It reports exactly one outcome
 * to its {@link Outcome}. Loop thread only, after {@link #start}.
 *
 * <p>With Happy Eyeballs (RFC 8305, Node's {@code autoSelectFamily}) the addresses are tried with the
 * families interleaved, the first address's family first (Node's order); each attempt gets a head start
 * of {@code autoSelectFamilyAttemptTimeout}, after which the next one starts while the earlier ones go
 * on; a failure starts the next one at once. The first attempt to connect wins and every other is
 * closed. Node closes an attempt whose head start is over; jnet lets it run, as the RFC does, so a
 * server slower than the head start is still reached when the other family fails fast. Without Happy
 * Eyeballs the addresses are tried one after another in the order found.
 *
 * <p>Each attempt is its own channel and its own selection key whose handler is the attempt; the
 * winner's key is handed to the socket.
 */
final class Connector {

    /** Where the connector's single outcome, and the events on the way to it, go. */
    interface Outcome {
        void connected(SocketChannel channel, SelectionKey key);

        void failed(NetException error);

        /** An event for the socket's listeners, which may destroy the socket ({@link #abandon} then runs). */
        <T> void report(Event<Socket, T> event, T value);
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
    private int next;
    /** Attempts started and neither failed nor won, oldest first. */
    private final List<Attempt> inFlight = new ArrayList<>(2);
    /** The attempt started last: only its failure or its head start's end starts the next one. */
    private Attempt newest;
    private final List<NetException> errors = new ArrayList<>(2);
    /** The head start of each attempt, or 0: one attempt after another. */
    private long staggerNanos;
    private Timer stagger;
    private Timer timeout;
    /** Read from any thread ({@link Socket#autoSelectFamilyAttemptedAddresses()}); replaced, never changed. */
    private volatile List<String> attempted = List.of();

    Connector(Transport transport, EventLoop loop, Endpoint endpoint, ConnectOptions options, IoHandler handler,
              Outcome outcome) {
        this.transport = transport;
        this.loop = loop;
        this.endpoint = endpoint;
        this.options = options;
        this.handler = handler;
        this.outcome = outcome;
    }

    ConnectOptions options() {
        return options;
    }

    /** Where the socket connects: its name in errors before it has addresses. */
    String target() {
        return endpoint.toString();
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

    /** Every address an attempt was made to, {@code ip:port}, in order. Any thread. */
    List<String> attemptedAddresses() {
        return attempted;
    }

    /** The socket is being destroyed while connecting: stop, close what is open, report nothing. */
    void abandon() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        cancelTimers();
        closeAll();
    }

    private void resolved(List<SocketAddress> addresses, Throwable failure) {
        if (phase != Phase.RESOLVING) {
            return;
        }
        String host = lookedUpName();
        if (failure != null) {
            NetException error = asNetException(unwrap(failure));
            if (host != null && error.code() != ErrorCode.ERR_INVALID_ARG_VALUE) {
                outcome.report(Socket.LOOKUP, new LookupEvent(error, null, 0, host));
            }
            fail(error);
            return;
        }
        if (addresses == null || addresses.isEmpty()) {
            fail(new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", host != null ? host : endpoint.toString(), null, null));
            return;
        }
        List<SocketAddress> unique = new ArrayList<>(new LinkedHashSet<>(addresses)); // each address once, as Node
        if (host != null) {
            for (SocketAddress a : unique) {
                ConnectionAttempt info = describe(a);
                if (info != null) {
                    outcome.report(Socket.LOOKUP, new LookupEvent(null, info.address(), info.family(), host));
                    if (phase != Phase.RESOLVING) {
                        return; // a LOOKUP listener destroyed the socket
                    }
                }
            }
        }
        if (happyEyeballs(unique)) {
            candidates = interleaveFamilies(unique);
            staggerNanos = attemptTimeout();
        } else {
            candidates = unique;
            staggerNanos = 0;
        }
        phase = Phase.CONNECTING;
        startNext();
    }

    /** As Node decides: on unless turned off, or a family or a local address is fixed; only for IP addresses. */
    private boolean happyEyeballs(List<SocketAddress> addresses) {
        Boolean own = options.autoSelectFamily();
        boolean on = own != null ? own : Net.getDefaultAutoSelectFamily();
        return on && options.family() == 0 && options.localAddress() == null && addresses.size() > 1
                && addresses.stream().allMatch(a -> a instanceof InetSocketAddress);
    }

    private long attemptTimeout() {
        var own = options.autoSelectFamilyAttemptTimeout();
        return (own != null ? own : Net.getDefaultAutoSelectFamilyAttemptTimeout()).toNanos();
    }

    /** Node's order: the first address's family, then the other, alternating; within a family, as found. */
    static List<SocketAddress> interleaveFamilies(List<SocketAddress> addresses) {
        boolean firstIsV6 = isV6(addresses.get(0));
        List<SocketAddress> first = new ArrayList<>();
        List<SocketAddress> second = new ArrayList<>();
        for (SocketAddress a : addresses) {
            (isV6(a) == firstIsV6 ? first : second).add(a);
        }
        List<SocketAddress> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < second.size()) {
                out.add(second.get(i));
            }
        }
        return out;
    }

    private static boolean isV6(SocketAddress a) {
        return a instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
    }

    /** Starts the next attempt, or fails when none is left and none is running. */
    private void startNext() {
        if (phase != Phase.CONNECTING) {
            return;
        }
        if (next == candidates.size()) {
            if (inFlight.isEmpty()) {
                failAll();
            }
            return;
        }
        Attempt a = new Attempt(candidates.get(next++));
        newest = a;
        inFlight.add(a);
        if (a.info != null) {
            List<String> grown = new ArrayList<>(attempted);
            grown.add(a.info.address() + ":" + a.info.port());
            attempted = List.copyOf(grown);
            outcome.report(Socket.CONNECTION_ATTEMPT, a.info);
            if (phase != Phase.CONNECTING) {
                return;
            }
        }
        BlockList blocked = options.blockList();
        if (blocked != null && a.address instanceof InetSocketAddress inet && inet.getAddress() != null
                && blocked.check(inet.getAddress())) {
            // Node's words; refused before a channel exists, so not a packet leaves.
            String ip = Net.isIP(inet.getHostString()) != 0 ? inet.getHostString() : inet.getAddress().getHostAddress();
            attemptFailed(a, new NetException(ErrorCode.ERR_IP_BLOCKED, "connect", a.name(),
                    "IP(" + ip + ") is blocked by net.BlockList", null));
            return;
        }
        try {
            a.channel = transport.open(a.address, options);
            a.local = boundLocalAddress(a.channel); // now: the JDK closes the channel when its connect fails
            a.key = loop.register(a.channel, SelectionKey.OP_CONNECT, a);
            if (a.channel.connect(a.address)) {
                won(a);
                return;
            }
        } catch (IOException e) {
            attemptFailed(a, connectError(a, e));
            return;
        } catch (NetException e) { // the transport's own words, as for a failed local bind
            attemptFailed(a, e);
            return;
        }
        if (staggerNanos > 0 && next < candidates.size()) {
            stagger = loop.schedule(() -> headStartOver(a), staggerNanos);
        }
    }

    private void headStartOver(Attempt a) {
        stagger = null;
        if (phase != Phase.CONNECTING || !inFlight.contains(a)) {
            return;
        }
        outcome.report(Socket.CONNECTION_ATTEMPT_TIMEOUT, a.info);
        startNext();
    }

    private void attemptFailed(Attempt a, NetException error) {
        if (phase != Phase.CONNECTING || !inFlight.remove(a)) {
            return;
        }
        a.close();
        errors.add(error);
        if (a.info != null) {
            outcome.report(Socket.CONNECTION_ATTEMPT_FAILED,
                    new ConnectionAttempt(a.info.address(), a.info.port(), a.info.family(), error));
            if (phase != Phase.CONNECTING) {
                return;
            }
        }
        if (a == newest) {
            cancelStagger(); // RFC 8305: a failure ends the head start at once
            startNext();
        } else if (next == candidates.size() && inFlight.isEmpty()) {
            failAll();
        }
    }

    private void won(Attempt a) {
        phase = Phase.DONE;
        cancelTimers();
        inFlight.remove(a);
        closeAll();
        a.key.attach(handler); // from now on the socket's own
        outcome.connected(a.channel, a.key);
    }

    private void failAll() {
        fail(errors.size() == 1 ? errors.get(0) : new AggregateNetException(endpoint.toString(), errors));
    }

    /** Node names the local end too when the caller chose it: "... 127.0.0.1:9 - Local (127.0.0.1:5000)". */
    private NetException connectError(Attempt a, IOException failure) {
        return transport.error(failure, "connect", a.local == null ? a.name() : a.name() + " - Local (" + a.local + ")");
    }

    /** The local end of an attempt, when the caller asked for a local address or port; else null. */
    private String boundLocalAddress(SocketChannel channel) {
        if (options.localAddress() == null && options.localPort() == 0) {
            return null;
        }
        try {
            Endpoint ep = transport.endpointOf(channel.getLocalAddress());
            return ep == null ? null : ep.toString();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private void timedOut() {
        timeout = null;
        if (phase == Phase.RESOLVING || phase == Phase.CONNECTING) {
            // Node's words exactly; the limit is the caller's own connectTimeout.
            fail(new NetException(ErrorCode.ETIMEDOUT, "connect", newest != null ? newest.name() : endpoint.toString(),
                    null, null));
        }
    }

    private void fail(NetException error) {
        phase = Phase.DONE;
        cancelTimers();
        closeAll();
        outcome.failed(error);
    }

    /** The host name this connect looks up, or null for an IP literal or a non-TCP endpoint. */
    private String lookedUpName() {
        if (endpoint instanceof Endpoint.Tcp tcp) {
            String host = tcp.host() == null ? "localhost" : tcp.host();
            return Net.isIP(host) == 0 ? host : null;
        }
        return null;
    }

    /** The address, port and family of an IP socket address; null for any other kind. */
    private ConnectionAttempt describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null
                && transport.endpointOf(address) instanceof Endpoint.Tcp tcp) {
            return new ConnectionAttempt(tcp.host(), inet.getPort(), isV6(address) ? 6 : 4, null);
        }
        return null;
    }

    private void closeAll() {
        for (Attempt a : inFlight) {
            a.close();
        }
        inFlight.clear();
    }

    private void cancelStagger() {
        if (stagger != null) {
            stagger.cancel();
            stagger = null;
        }
    }

    private void cancelTimers() {
        cancelStagger();
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

    /** One address being tried: its own channel, its own key, its own readiness. */
    private final class Attempt implements IoHandler {
        final SocketAddress address;
        /** Its address, port and family for the events; null for a non-IP address (IPC). */
        final ConnectionAttempt info;
        SocketChannel channel;
        SelectionKey key;
        /** The local end when the caller chose one (named in its error, as Node does); else null. */
        String local;

        Attempt(SocketAddress address) {
            this.address = address;
            this.info = describe(address);
        }

        @Override
        public void onReady(SelectionKey k) {
            if (phase != Phase.CONNECTING || channel == null) {
                return;
            }
            try {
                if (channel.finishConnect()) {
                    won(this);
                }
            } catch (IOException e) {
                attemptFailed(this, connectError(this, e));
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            attemptFailed(this, failure instanceof NetException ne ? ne
                    : new NetException(ErrorCode.EIO, "connect", name(), String.valueOf(failure), failure));
        }

        /** The address as errors name it. */
        String name() {
            Endpoint ep = transport.endpointOf(address);
            return ep != null ? ep.toString() : endpoint.toString();
        }

        void close() {
            if (key != null) {
                key.cancel();
                key = null;
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // An attempt that lost, failed or was abandoned; its outcome is what gets reported.
                }
                channel = null;
            }
        }
    }
}
