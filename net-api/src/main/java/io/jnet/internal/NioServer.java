package io.jnet.internal;

import io.jnet.BlockList;
import io.jnet.Drop;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Signal;
import io.jnet.Socket;
import io.jnet.spi.Errors;
import io.jnet.spi.ServerBinding;
import io.jnet.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one {@link Server} implementation, shared by every transport. Accepts on its own loop, where
 * {@link #CONNECTION} fires like every other server event; each accepted socket goes to the next loop
 * of the transport's group, and what the listener asked of it runs there once the listener has
 * returned ({@link ConnectionHandover}).
 */
public final class NioServer implements Server, IoHandler {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    /** Accepts per readiness event, so a connect storm cannot starve the loop's other sockets. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** After EMFILE, how long accepting rests before trying again (the pending connection stays queued). */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;
    /** How long close() off the loop waits for the loop to free the listening socket. */
    private static final long RELEASE_WAIT_SECONDS = 5;

    static {
        // Loaded now, not when first needed: the first EMFILE would otherwise fail to load the very
        // classes that report it (a class file needs a descriptor too when it comes from a directory).
        Errors.fromIo(new IOException("class preload"), "accept", null);
        new io.jnet.spi.CarriedNetException(new NetException(ErrorCode.EMFILE, "class preload")).exception();
        new Drop(null, null, Drop.Reason.MAX_CONNECTIONS, null).toString();
    }

    /** A server's life; a closed server may listen again. */
    private enum State { IDLE, LISTENING, CLOSED }

    private final ServerOptions options;
    private final Function<Endpoint, Transport> transports;
    /** This type's event keys by slot (see {@link Emitter}). */
    private static final Object[] KEYS = {Server.LISTENING, Server.CLOSE, Server.CONNECTION, Server.ERROR, Server.DROP};

    private final Emitter emitter = new Emitter("Server", KEYS);
    private final AtomicInteger connections = new AtomicInteger();
    /** The open accepted sockets, oldest first (added on the server's loop, removed on each socket's). */
    private final OpenConnections open = new OpenConnections();
    /** Given to every accepted socket: one object per server, not a closure per connection. */
    private final Consumer<NioSocket> connectionClosed = this::onConnectionClosed;
    private volatile int maxConnections;

    private volatile State state = State.IDLE;
    private volatile Transport transport;
    private volatile EventLoop loop;
    private volatile ServerBinding binding;
    /** The binding still to close: whichever thread takes it out closes it, so it is closed once. */
    private final AtomicReference<ServerBinding> unclosed = new AtomicReference<>();
    private SelectionKey key;
    private boolean refed = true;
    private boolean holdsKeepAlive;
    private boolean closeEmitted;
    /** Whether CLOSE has fired since the last listen (closed() is then complete at once). Guarded by this. */
    private boolean closeHasFired;
    private CompletableFuture<Void> closedFuture;
    /** Loop thread: destroys what {@link #close(Duration)} ended and is still open; cancelled by CLOSE. */
    private Timer graceTimer;

    public NioServer(ServerOptions options, Function<Endpoint, Transport> transports) {
        this.options = options;
        this.transports = transports;
        this.maxConnections = options.maxConnections();
    }

    @Override
    public Server on(Signal<Server> event, Runnable listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, false);
        return this;
    }

    @Override
    public <T> Server on(Event<Server, T> event, Consumer<? super T> listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, false);
        return this;
    }

    @Override
    public Server once(Signal<Server> event, Runnable listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, true);
        return this;
    }

    @Override
    public <T> Server once(Event<Server, T> event, Consumer<? super T> listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, true);
        return this;
    }

    @Override
    public Server off(Signal<Server> event, Runnable listener) {
        emitter.remove(emitter.slotOf(event, event.index()), listener);
        return this;
    }

    @Override
    public <T> Server off(Event<Server, T> event, Consumer<? super T> listener) {
        emitter.remove(emitter.slotOf(event, event.index()), listener);
        return this;
    }

    @Override
    public Server listen(Endpoint endpoint) {
        return listen(endpoint, options);
    }

    @Override
    public Server listen(Endpoint endpoint, int backlog) {
        return listen(endpoint, options.toBuilder().backlog(backlog).build());
    }

    @Override
    public synchronized Server listen(ServerSocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        requireNotListening(channel);
        SocketAddress local;
        try {
            local = channel.getLocalAddress();
        } catch (IOException e) {
            throw Errors.fromIo(e, "listen", null);
        }
        if (local == null) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "listen", null,
                    channel + " is not bound: bind it first, or listen on an endpoint", null);
        }
        Transport t = Transports.forChannel(channel, local, "listen");
        Endpoint address = t.endpointOf(local);
        if (address == null) {
            throw new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "listen", String.valueOf(local),
                    "Invalid handle type: " + t.name() + " cannot name the address " + local + " the channel is bound to", null);
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw t.error(e, "listen", address.toString());
        }
        return listen(t, ServerBinding.of(channel, address));
    }

    private synchronized Server listen(Endpoint endpoint, ServerOptions listenOptions) {
        requireNotListening(endpoint);
        Transport t = transports.apply(endpoint);
        EventLoopGroup group = Loops.of(t);
        ServerBinding b;
        try {
            b = t.bind(endpoint, listenOptions);
        } catch (NetException e) {
            if (!emitter.has(ERROR.index())) {
                throw e; // nobody listens for ERROR: the caller hears it (never swallowed)
            }
            group.next().execute(() -> fire(ERROR, e)); // Node emits it on a later tick
            return this;
        }
        return start(t, b);
    }

    /**
     * Listens on a channel bound elsewhere (another process passed it over IPC): as {@code listen}
     * after its bind. Its CONNECTION events fire here from now on.
     */
    public synchronized Server listen(Transport t, ServerBinding b) {
        requireNotListening(b.address());
        return start(t, b);
    }

    /** Node's ERR_SERVER_ALREADY_LISTEN, naming where it listens and where it was asked to. Caller holds the lock. */
    private void requireNotListening(Object requested) {
        if (state == State.LISTENING) {
            throw new NetException(ErrorCode.ERR_SERVER_ALREADY_LISTEN, "listen", binding.address().toString(),
                    "this server already listens; close it before listening on " + requested, null);
        }
    }

    private Server start(Transport t, ServerBinding b) {
        EventLoop l = Loops.of(t).next();
        this.transport = t;
        this.binding = b;
        this.unclosed.set(b);
        this.loop = l;
        this.state = State.LISTENING;
        this.closeEmitted = false;
        this.closeHasFired = false;
        if (refed && !holdsKeepAlive) { // still held when listening again before the last CLOSE fired
            holdsKeepAlive = true;
            KeepAlive.acquire();
        }
        l.execute(() -> {
            if (binding != b || state != State.LISTENING) {
                return;
            }
            try {
                key = l.register(b.channel(), SelectionKey.OP_ACCEPT, this);
            } catch (IOException e) {
                emitError(t.error(e, "listen", b.address().toString()));
                return;
            }
            fire(LISTENING);
        });
        return this;
    }

    @Override
    public void close(Consumer<? super Throwable> callback) {
        java.util.Objects.requireNonNull(callback, "callback");
        synchronized (this) {
            if (state != State.LISTENING) {
                NetException notRunning = new NetException(ErrorCode.ERR_SERVER_NOT_RUNNING, null, null,
                        "Server is not running.", null);
                once(CLOSE, () -> callback.accept(notRunning)); // Node: the callback waits for 'close' too
            } else {
                once(CLOSE, () -> callback.accept(null));
            }
        }
        close();
    }

    @Override
    public void close() {
        EventLoop l;
        ServerBinding b;
        synchronized (this) {
            if (state != State.LISTENING) {
                // Never throws (AutoCloseable); as in Node, CLOSE fires again once nothing is open.
                EventLoop l0 = loop;
                if (l0 != null) {
                    l0.execute(this::emitCloseIfDrained);
                } else {
                    NEVER_LISTENED.execute(this::emitCloseIfDrained);
                }
                return;
            }
            state = State.CLOSED; // from here the loop accepts no more (onReady checks it)
            l = loop;
            b = binding;
            // The JVM stays held until CLOSE has fired (maybeEmitClose), as Node's process waits for it.
        }
        // The channel is closed on the loop, never beside an accept() running there: junixsocket's close
        // then "unblocks" that accept by connecting to the socket, and when the connect fails it leaks
        // the descriptor it opened for it (2.10.1, AFSocketImpl.unblockAccepts0; seen as one unnamed Unix
        // socket left after a test class). The JDK frees a registered channel's descriptor only at its
        // selector's next select, until when the kernel still completes handshakes that are reset later,
        // so the loop releases it at once, and a caller off the loop waits for that (outside the lock,
        // which loop code may take): a connect made after close() returns is refused, as in Node.
        if (l.inEventLoop()) {
            stopAccepting(l, b);
            return;
        }
        CountDownLatch released = new CountDownLatch(1);
        try {
            l.execute(() -> {
                try {
                    stopAccepting(l, b);
                } finally {
                    released.countDown();
                }
            });
        } catch (RuntimeException noLoop) {
            closeBinding(b); // the loop cannot run: close here rather than keep listening
            throw noLoop;
        }
        if (!awaitRelease(released, l, b)) {
            closeBinding(b); // a listener blocks the loop: stop listening now all the same
        }
    }

    /** Closes the listening channel and its socket file once, whichever thread gets there first. */
    private void closeBinding(ServerBinding b) {
        if (!unclosed.compareAndSet(b, null)) {
            return;
        }
        try {
            b.close();
        } catch (IOException e) {
            log.warn("closing server on {}: {}", b.address(), e.toString());
        }
    }

    /** Loop thread: close the channel, cancel the key and let the selector free the descriptor; CLOSE comes later, as in Node. */
    private void stopAccepting(EventLoop l, ServerBinding b) {
        closeBinding(b);
        if (key != null) {
            key.cancel();
            key = null;
        }
        try {
            l.releaseClosedChannels();
        } catch (IOException e) {
            log.warn("server on {}: releasing its closed channel failed: {}", b.address(), e.toString());
        }
        l.execute(this::maybeEmitClose);
    }

    /** True if the loop released the listening socket in time. */
    private static boolean awaitRelease(CountDownLatch released, EventLoop l, ServerBinding b) {
        try {
            if (released.await(RELEASE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            log.warn("server on {}: its loop {} did not release the listening socket within {} s (is a listener"
                    + " blocking the loop?); closed from {} now, released when the loop next selects", b.address(),
                    l.name(), RELEASE_WAIT_SECONDS, Thread.currentThread().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public CompletableFuture<Void> close(Duration grace) {
        java.util.Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "grace must not be negative but was " + grace);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        once(CLOSE, () -> closed.complete(null)); // before close(): CLOSE may fire on the loop at once
        close();
        List<Socket> ending = connections();
        if (ending.isEmpty()) {
            return closed;
        }
        ending.forEach(Socket::end);
        EventLoop l = loop; // set: there were connections, so the server listened
        l.execute(() -> {
            if (graceTimer != null) {
                graceTimer.cancel(); // a second close(grace): its own deadline counts
            }
            graceTimer = l.schedule(() -> {
                graceTimer = null;
                for (Socket s : ending) {
                    if (isOpen(s)) {
                        s.destroy();
                    }
                }
            }, grace.toNanos());
        });
        return closed;
    }

    @Override
    public void closeAllConnections() {
        connections().forEach(Socket::destroy);
    }

    @Override
    public List<Socket> connections() {
        return open.snapshot();
    }

    private boolean isOpen(Socket s) {
        return open.contains(s);
    }

    /** The listening channel, for a transport that must reach it (to pass its descriptor); null when not listening. */
    public ServerSocketChannel channel() {
        ServerBinding b = binding;
        return state == State.LISTENING && b != null ? b.channel() : null;
    }

    /** The binding (channel and what closing it undoes), for a transport that passes it on; null when not listening. */
    public ServerBinding binding() {
        ServerBinding b = binding;
        return state == State.LISTENING ? b : null;
    }

    @Override
    public Endpoint address() {
        ServerBinding b = binding;
        return state == State.LISTENING && b != null ? b.address() : null;
    }

    @Override
    public boolean isListening() {
        return state == State.LISTENING;
    }

    @Override
    public int getConnections() {
        return connections.get();
    }

    @Override
    public Server setMaxConnections(int max) {
        if (max < 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "maxConnections must be 0 (no limit) or more but was " + max);
        }
        this.maxConnections = max;
        return this;
    }

    @Override
    public synchronized Server ref() {
        refed = true;
        if (state == State.LISTENING && !holdsKeepAlive) {
            holdsKeepAlive = true;
            KeepAlive.acquire();
        }
        return this;
    }

    @Override
    public synchronized Server unref() {
        refed = false;
        if (holdsKeepAlive) {
            holdsKeepAlive = false;
            KeepAlive.release();
        }
        return this;
    }

    @Override
    public String toString() {
        ServerBinding b = binding;
        return "Server[" + (b != null ? b.address() : "not bound") + ", " + state + "]";
    }

    // ---- loop thread -----------------------------------------------------------------------------

    @Override
    public void onReady(SelectionKey k) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT && state == State.LISTENING; i++) {
            SocketChannel ch;
            try {
                ch = binding.channel().accept();
            } catch (IOException e) {
                acceptFailed(transport.error(e, "accept", binding.address().toString()));
                return;
            } catch (RuntimeException | Error e) {
                acceptFailed(new NetException(ErrorCode.EIO, "accept", binding.address().toString(), e.toString(), e));
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                admit(ch);
            } catch (RuntimeException | Error e) {
                // Out of descriptors even the JVM misbehaves (classes fail to load); drop this one
                // connection, rest, and keep listening rather than let the server die with it.
                closeQuietly(ch);
                acceptFailed(new NetException(ErrorCode.EIO, "accept", binding.address().toString(), e.toString(), e));
                return;
            }
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        acceptFailed(new NetException(ErrorCode.EIO, "accept", String.valueOf(binding.address()), failure.toString(), failure));
    }

    private void acceptFailed(NetException error) {
        if (state != State.LISTENING) {
            return;
        }
        if ((error.code() == ErrorCode.EMFILE || error.code() == ErrorCode.EIO) && key != null && key.isValid()) {
            // Level-triggered select would report the queued connection again at once: rest instead of spinning.
            key.interestOps(0);
            SelectionKey k = key;
            loop.schedule(() -> {
                if (k.isValid() && state == State.LISTENING) {
                    k.interestOps(SelectionKey.OP_ACCEPT);
                }
            }, ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
        }
        emitError(error);
    }

    private void admit(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
        } catch (IOException e) {
            closeQuietly(ch);
            emitError(transport.error(e, "accept", binding.address().toString()));
            return;
        }
        int max = maxConnections;
        if (max > 0 && connections.get() >= max) {
            drop(ch, Drop.Reason.MAX_CONNECTIONS, null);
            return;
        }
        BlockList blockList = options.blockList();
        if (blockList != null && isBlocked(ch, blockList)) {
            drop(ch, Drop.Reason.BLOCKED, null);
            return;
        }
        Predicate<PeerCredentials> allowPeer = options.allowPeer();
        if (allowPeer != null) {
            Optional<PeerCredentials> creds = transport.peerCredentials(ch);
            boolean allowed;
            try {
                allowed = creds.isPresent() && allowPeer.test(creds.get());
            } catch (RuntimeException e) {
                log.warn("{}: allowPeer threw for {}; refusing the peer", this, creds.orElse(null), e);
                allowed = false;
            }
            if (!allowed) {
                drop(ch, Drop.Reason.PEER_REFUSED, creds.orElse(null));
                return;
            }
        }
        connections.incrementAndGet();
        EventLoop childLoop = Loops.of(transport).next();
        NioSocket socket = new NioSocket(transport, childLoop, ch, options, connectionClosed);
        open.add(socket);
        // CONNECTION fires here, on the server's loop like every other server event, so that a DROP
        // and the CONNECTION admitted before it reach the listeners in the order they happened. The
        // listener's calls on the socket are held until it returns (ConnectionHandover), then run on
        // the socket's loop before its registration.
        try {
            socket.startAccepted();
        } catch (IOException e) {
            // The peer may already be gone; it never became a connection the user saw.
            log.debug("{}: accepted connection failed before it started: {}", this, e.toString());
            socket.destroy();
            return;
        }
        ConnectionHandover handover = ConnectionHandover.begin(socket);
        try {
            emitter.emit(CONNECTION.index(), (Socket) socket);
        } catch (Throwable t) {
            log.warn("{}: a 'connection' listener threw; destroying that socket", this, t);
            socket.destroy(t);
        } finally {
            handover.end(childLoop);
        }
        if (childLoop.inEventLoop()) {
            registerConnection(socket);
        } else {
            childLoop.execute(() -> registerConnection(socket));
        }
    }

    /** A TCP peer on the list; IPC peers have no IP and pass (as in Node, where a pipe has no peer name). */
    private boolean isBlocked(SocketChannel ch, BlockList blockList) {
        Endpoint remote;
        try {
            remote = transport.endpointOf(ch.getRemoteAddress());
        } catch (IOException e) {
            // The JDK keeps an accepted channel's peer address, so this is a channel closed under us:
            // refuse what cannot be checked.
            return true;
        }
        return remote instanceof Endpoint.Tcp tcp && tcp.host() != null && blockList.check(tcp.host());
    }

    private void registerConnection(NioSocket socket) {
        try {
            socket.registerAccepted();
        } catch (IOException e) {
            socket.destroy(transport.error(e, "accept", String.valueOf(socket.remoteAddress())));
        }
    }

    private void drop(SocketChannel ch, Drop.Reason reason, PeerCredentials peer) {
        Endpoint local = null;
        Endpoint remote = null;
        try {
            local = transport.endpointOf(ch.getLocalAddress());
            remote = transport.endpointOf(ch.getRemoteAddress());
        } catch (IOException ignored) {
            // The addresses are for the DROP event only; a peer already gone still counts as dropped.
        }
        closeQuietly(ch);
        fire(DROP, new Drop(local, remote, reason, peer));
    }

    private void onConnectionClosed(NioSocket socket) {
        open.remove(socket);
        if (connections.decrementAndGet() == 0 && state == State.CLOSED) {
            EventLoop l = loop;
            if (l.inEventLoop()) {
                maybeEmitClose();
            } else {
                l.execute(this::maybeEmitClose);
            }
        }
    }

    /** A server that never listened has no loop; its CLOSE runs here instead (once, in a daemon thread). */
    private static final Executor NEVER_LISTENED = task -> {
        Thread t = new Thread(task, "jnet-server-close");
        t.setDaemon(true);
        t.start();
    };

    private void emitCloseIfDrained() {
        if (state != State.LISTENING && connections.get() == 0) {
            fire(CLOSE);
            closeFired();
        }
    }

    @Override
    public synchronized CompletableFuture<Void> closed() {
        if (state != State.LISTENING && closeHasFired) {
            return CompletableFuture.completedFuture(null);
        }
        if (closedFuture == null) {
            closedFuture = new CompletableFuture<>();
        }
        return closedFuture;
    }

    /** After CLOSE's listeners: completes {@link #closed()}'s future. */
    private void closeFired() {
        CompletableFuture<Void> f;
        synchronized (this) {
            closeHasFired = true;
            f = closedFuture;
            closedFuture = null;
        }
        if (f != null) {
            f.complete(null);
        }
    }

    private void maybeEmitClose() {
        if (state == State.CLOSED && connections.get() == 0 && !closeEmitted) {
            closeEmitted = true;
            if (graceTimer != null) {
                graceTimer.cancel();
                graceTimer = null;
            }
            fire(CLOSE);
            closeFired();
            releaseJvm();
        }
    }

    private synchronized void releaseJvm() {
        if (holdsKeepAlive && state != State.LISTENING) {
            holdsKeepAlive = false;
            KeepAlive.release();
        }
    }

    private void emitError(NetException error) {
        if (!emitter.has(ERROR.index())) {
            log.warn("{}: unhandled 'error' event (the server keeps listening): {}", this, error.getMessage());
            return;
        }
        fire(ERROR, error);
    }

    private void fire(Signal<Server> signal) {
        try {
            emitter.emit(signal.index());
        } catch (Throwable t) {
            log.error("{}: a '{}' listener threw", this, signal, t);
        }
    }

    private <T> void fire(Event<Server, T> event, T value) {
        try {
            emitter.emit(event.index(), value);
        } catch (Throwable t) {
            log.error("{}: a '{}' listener threw", this, event, t);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Dropping a connection we never handed out; nothing to report.
        }
    }
}
