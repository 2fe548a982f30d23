package io.jnet.internal;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.ReadyState;
import io.jnet.ServerOptions;
import io.jnet.Signal;
import io.jnet.Socket;
import io.jnet.LoopExecutor;
import io.jnet.WriteCallback;
import io.jnet.internal.SocketState.Flow;
import io.jnet.internal.SocketState.Input;
import io.jnet.internal.SocketState.Life;
import io.jnet.internal.SocketState.Next;
import io.jnet.spi.AncillaryWrite;
import io.jnet.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The one {@link Socket} implementation, shared by every transport: a coordinator over parts with one
 * job each — {@link SocketState} (where the socket is in its life; the transition table),
 * {@link OutboundBuffer} (writes, back-pressure, completions), {@link InboundBuffer} (what was read
 * before anyone consumed it), {@link Connector} (lookup, attempts, connect timeout) and
 * {@link IdleTimer}, with {@link TextDecoding} for {@link #TEXT}, {@link SocketFutures} and {@link NextValue} for the
 * futures, {@link EndCallbacks} for {@code end(cb)} and {@link Pipe} — the split of Node's {@code net.Socket} / {@code stream_base_commons} / handle.
 * The transport only opens channels and names errors.
 *
 * <p>Everything below {@code // ---- loop thread} runs on the loop thread; public methods hop there
 * when called from elsewhere.
 */
public final class NioSocket implements Socket, IoHandler, Connector.Outcome {
    private static final Logger log = LoggerFactory.getLogger(Socket.class);

    /** Reads per readiness event before other channels on the loop get their turn. */
    private static final int MAX_READS_PER_EVENT = 16;
    /** How soon a queue on a hung-up channel (which the selector no longer reports) is tried again. */
    private static final long HUNG_UP_FLUSH_RETRY_NANOS = 10_000_000;

    /** This type's event keys by slot (see {@link Emitter}). */
    private static final Object[] KEYS = {CONNECT, END, DRAIN, TIMEOUT, DATA, ERROR, CLOSE, DATA_BORROWED, TEXT,
            LOOKUP, CONNECTION_ATTEMPT, CONNECTION_ATTEMPT_FAILED, CONNECTION_ATTEMPT_TIMEOUT};

    private final Transport transport;
    private final EventLoop loop;
    private final Emitter emitter = new Emitter("Socket", KEYS);
    private final SocketState state;
    private final OutboundBuffer out;
    private final InboundBuffer in = new InboundBuffer();
    /** Made on first use (setTimeout, a timeout option, end(callback)): most sockets need neither. */
    private IdleTimer idle;
    private EndCallbacks endCallbacks;
    /** Made on first ask, on connecting or on closing (see {@link #futures()}); guarded by this. */
    private SocketFutures futures;
    /** Decodes for TEXT listeners; made on the first text read (UTF-8 unless setEncoding said otherwise). */
    private TextDecoding text;
    private Charset encoding = StandardCharsets.UTF_8;
    /** What setTimeout (or the timeout option) asked for, for timeout(). */
    private volatile long timeoutNanos;
    /** Lookup and attempts; null for an accepted socket. */
    private final Connector connector;
    /** The accepting server's, told after CLOSE; null for a client socket. */
    private final Consumer<NioSocket> onClosed;

    private SocketChannel channel;
    private SelectionKey key;
    private int interest;
    /** The selector reported a hang-up and will not report this channel again (junixsocket). */
    private boolean peerHungUp;
    /** A flush is scheduled because a hung-up channel reports no writability (see updateInterest). */
    private boolean flushRetryPending;
    /** Set by end() on the caller's thread, so a write after it answers false at once. */
    private volatile boolean endRequested;
    /** resetAndDestroy() was asked while connecting: reset as soon as connected. */
    private boolean resetWhenConnected;

    private boolean noDelay;
    private boolean keepAlive;
    /** What setTypeOfService asked for, -1 for nothing: applied at connect, and the answer without a channel. */
    private volatile int typeOfService = -1;
    private Duration keepAliveDelay;

    /** Whether the socket may keep the JVM alive (ref/unref), and whether it does now. Guarded by this. */
    private boolean refed = true;
    private boolean holdsJvm;

    private volatile long bytesRead;
    private volatile long bytesWritten;
    /** Filled on first ask, not at connect: 10 000 idle sockets should not carry 20 000 strings. */
    private volatile Endpoint localAddress;
    private volatile Endpoint remoteAddress;
    /** The channel's own addresses, kept unformatted when it closes. */
    private SocketAddress localAtClose;
    private SocketAddress remoteAtClose;
    private volatile Optional<PeerCredentials> peerCredentials;
    private SocketInputStream inputStream;
    private SocketOutputStream outputStream;
    /** The accepting server's list of open connections runs through its sockets ({@link OpenConnections}). */
    NioSocket olderConnection;
    NioSocket newerConnection;

    /** A client socket for {@code endpoint}; call {@link #connect()} next. */
    public NioSocket(Transport transport, EventLoop loop, Endpoint endpoint, ConnectOptions options) {
        this.transport = transport;
        this.loop = loop;
        this.state = new SocketState(Life.NEW, Flow.NOT_STARTED, options.allowHalfOpen());
        this.out = new OutboundBuffer(options.highWaterMark(), loop);
        this.connector = new Connector(transport, loop, endpoint, options, this, this);
        this.noDelay = options.noDelay();
        this.keepAlive = options.keepAlive();
        this.keepAliveDelay = options.keepAliveInitialDelay();
        this.onClosed = null;
    }

    /** A socket accepted by a server; call {@link #startAccepted} on {@code loop} next. */
    NioSocket(Transport transport, EventLoop loop, SocketChannel channel, ServerOptions options,
            Consumer<NioSocket> onClosed) {
        this.transport = transport;
        this.loop = loop;
        this.channel = channel;
        this.state = new SocketState(Life.OPEN, options.pauseOnConnect() ? Flow.PAUSED : Flow.NOT_STARTED,
                options.allowHalfOpen());
        this.out = new OutboundBuffer(options.highWaterMark(), loop);
        this.connector = null;
        this.noDelay = options.noDelay();
        this.keepAlive = options.keepAlive();
        this.keepAliveDelay = options.keepAliveInitialDelay();
        this.onClosed = onClosed;
        holdJvm(); // from the moment it exists until its CLOSE listeners have run, as in Node
    }

    /**
     * A socket over a channel connected elsewhere (another process passed it over IPC), started as an
     * accepted one: reading per Node's rules from its registration, which is queued to its loop, so
     * listeners added now see everything it reads.
     */
    public static NioSocket adopt(Transport transport, SocketChannel channel, ServerOptions options) throws IOException {
        EventLoop loop = Loops.of(transport).next();
        NioSocket socket = new NioSocket(transport, loop, channel, options, null);
        socket.startAccepted();
        loop.execute(() -> {
            try {
                socket.registerAccepted();
            } catch (IOException e) {
                socket.destroy(transport.error(e, "adopt", String.valueOf(socket.remoteAddress())));
            }
        });
        return socket;
    }

    /** The channel, for a transport that must reach it (to pass its descriptor); null while connecting. */
    public SocketChannel channel() {
        return channel;
    }

    // ---- listeners -------------------------------------------------------------------------------

    @Override
    public Socket on(Signal<Socket> event, Runnable listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, false);
        return this;
    }

    @Override
    public <T> Socket on(Event<Socket, T> event, Consumer<? super T> listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, false);
        startFlowingOnFirstDataListener(event);
        return this;
    }

    @Override
    public Socket once(Signal<Socket> event, Runnable listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, true);
        return this;
    }

    @Override
    public <T> Socket once(Event<Socket, T> event, Consumer<? super T> listener) {
        emitter.add(emitter.slotOf(event, event.index()), listener, true);
        startFlowingOnFirstDataListener(event);
        return this;
    }

    @Override
    public Socket off(Signal<Socket> event, Runnable listener) {
        emitter.remove(emitter.slotOf(event, event.index()), listener);
        return this;
    }

    @Override
    public <T> Socket off(Event<Socket, T> event, Consumer<? super T> listener) {
        emitter.remove(emitter.slotOf(event, event.index()), listener);
        return this;
    }

    private void startFlowingOnFirstDataListener(Event<Socket, ?> event) {
        // Node: adding a 'data' listener switches a stream that was never paused to flowing mode, and
        // hands it what was read before.
        if ((event == DATA || event == DATA_BORROWED || event == TEXT) && state.flow == Flow.NOT_STARTED) {
            onLoop(() -> {
                if (state.flow == Flow.NOT_STARTED) {
                    startFlowing();
                }
            });
        }
    }

    // ---- public operations: hop to the loop --------------------------------------------------------

    @Override
    public Socket connect() {
        synchronized (this) {
            if (connector == null || state.life != Life.NEW) {
                throw new IllegalStateException("connect() on " + this
                        + ": a socket connects once; make a new one with Net.socket()");
            }
            state.apply(Input.CONNECT, true, true); // on the caller's thread, so a second connect() fails here
        }
        // Held from now on the caller's thread, not later on the loop: a main() that returns right
        // after connecting must still see CONNECT and CLOSE.
        holdJvm();
        // The signal and timeout options are the connector's to keep: an accepted socket has neither
        // (16 bytes less per idle connection).
        io.jnet.AbortSignal signal = connector.options().signal();
        long initialTimeoutNanos = connector.options().timeout().toNanos();
        if (signal != null) {
            AbortBinding.destroyOnAbort(signal, this); // first: an aborted signal ends the connect before any attempt
        }
        connector.start();
        if (initialTimeoutNanos > 0) {
            if (timeoutNanos == 0) {
                timeoutNanos = initialTimeoutNanos;
            }
            onLoop(() -> {
                if (!idle().isSet()) { // a setTimeout() made before connect() wins
                    idle().set(initialTimeoutNanos);
                }
            });
        }
        return this;
    }

    @Override
    public boolean write(ByteBuffer data, WriteCallback callback) {
        Objects.requireNonNull(data, "data");
        if (loop.inEventLoop()) {
            return writeOnLoop(data, callback, -1);
        }
        // The lender's buffer is reused once its listener returns, long before this loop gets to it.
        ByteBuffer taken = OutboundBuffer.isLent(data) ? OutboundBuffer.copyOf(data) : data;
        int n = taken.remaining();
        boolean ok = out.reserve(n) && !endRequested;
        toLoop(() -> {
            if (!ok) {
                out.owesDrain();
            }
            writeOnLoop(taken, callback, n);
        });
        return ok;
    }

    @Override
    public void end() {
        endRequested = true;
        onLoop(this::endOnLoop);
    }

    @Override
    public void end(WriteCallback onFinished) {
        if (onFinished == null) {
            end();
            return;
        }
        endRequested = true;
        onLoop(() -> {
            if (state.isClosed()) {
                out.complete(onFinished, new NetException(ErrorCode.ERR_STREAM_DESTROYED, "end", addressForErrors(),
                        "Cannot call end after a stream was destroyed", null));
            } else if (state.writeSide == SocketState.WriteSide.ENDED) {
                out.complete(onFinished, null); // the FIN is already with the kernel
            } else {
                endCallbacks().add(onFinished);
                endOnLoop();
            }
        });
    }

    @Override
    public Socket pipe(Socket destination, boolean end) {
        Pipe.start(this, destination, end);
        return destination;
    }

    @Override
    public void destroy() {
        onLoop(() -> closeNow(null));
    }

    @Override
    public void destroy(Throwable cause) {
        onLoop(() -> closeNow(cause));
    }

    @Override
    public Socket resetAndDestroy() {
        Life life = state.life;
        // Node throws only for a handle it has: a pipe connecting or connected. A socket that never
        // connected has no handle yet, whatever its transport, and is destroyed below.
        if (!transport.canReset() && (life == Life.CONNECTING || life == Life.OPEN)) {
            throw new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, "resetAndDestroy", addressForErrors(),
                    "Invalid handle type: " + transport.artifact() + " sockets have no reset (RST); use destroy()", null);
        }
        onLoop(() -> {
            switch (state.life) {
                case NEW -> closeNow(new NetException(ErrorCode.ERR_SOCKET_CLOSED, "resetAndDestroy",
                        addressForErrors(), "Socket is closed", null));
                case CONNECTING -> resetWhenConnected = true;
                case OPEN -> resetNow();
                case CLOSED -> { }
            }
        });
        return this;
    }

    @Override
    public void cork() {
        onLoop(() -> {
            // After end() nothing more is written, and a cork would only hold back the FIN.
            if (state.writeSide == SocketState.WriteSide.OPEN && !state.isClosed()) {
                out.cork();
            }
        });
    }

    @Override
    public void uncork() {
        onLoop(() -> {
            if (out.uncork()) {
                sendUncorked();
            }
        });
    }

    @Override
    public int writableCorked() {
        return out.corked();
    }

    @Override
    public Socket pause() {
        onLoop(() -> {
            if (state.flow != Flow.PAUSED) {
                state.flow = Flow.PAUSED;
                updateInterest();
            }
        });
        return this;
    }

    @Override
    public Socket resume() {
        onLoop(this::startFlowing);
        return this;
    }

    @Override
    public boolean isPaused() {
        return state.flow == Flow.PAUSED;
    }

    @Override
    public long writableLength() {
        return out.pendingBytes();
    }

    @Override
    public int writableHighWaterMark() {
        return out.highWaterMark();
    }

    @Override
    public Socket setTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "timeout must not be negative but was " + timeout);
        }
        timeoutNanos = timeout.toNanos();
        onLoop(() -> {
            if (!state.isClosed()) {
                idle().set(timeout.toNanos());
            }
        });
        return this;
    }

    @Override
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    @Override
    public Socket setEncoding(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        onLoop(() -> {
            encoding = charset;
            text = null; // the next text read starts a decoder for it
        });
        return this;
    }

    @Override
    public Socket setNoDelay(boolean enable) {
        onLoop(() -> {
            noDelay = enable;
            applyNoDelay();
        });
        return this;
    }

    @Override
    public Socket setKeepAlive(boolean enable, Duration initialDelay) {
        onLoop(() -> {
            keepAlive = enable;
            keepAliveDelay = initialDelay == null ? Duration.ZERO : initialDelay;
            applyKeepAlive();
        });
        return this;
    }

    @Override
    public Socket setTypeOfService(int tos) {
        if (tos < 0 || tos > 255) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "The value of \"tos\" is out of range. It must be >= 0 && <= 255. Received " + tos);
        }
        typeOfService = tos;
        // On the caller's thread, so a refusal throws here as in Node; `channel` is safe to read once
        // OPEN is seen (connected() assigns it before that volatile write). Before that, connected()
        // applies the value.
        if (state.isOpen()) {
            try {
                transport.setTypeOfService(channel, tos);
            } catch (ClosedChannelException closedMeanwhile) {
                // Node without a handle: the value is only kept.
            } catch (IOException e) {
                throw transport.error(e, "setTypeOfService", addressForErrors());
            }
        }
        return this;
    }

    @Override
    public int typeOfService() {
        if (state.isOpen()) {
            try {
                OptionalInt kernel = transport.typeOfService(channel);
                if (kernel.isPresent()) {
                    return kernel.getAsInt();
                }
            } catch (ClosedChannelException closedMeanwhile) {
                // As before connect: the value kept.
            } catch (IOException e) {
                throw transport.error(e, "getTypeOfService", addressForErrors());
            }
        }
        return Math.max(typeOfService, 0);
    }

    @Override
    public synchronized Socket ref() {
        refed = true;
        if (state.life != Life.NEW && !state.isClosed()) {
            holdJvm();
        }
        return this;
    }

    @Override
    public synchronized Socket unref() {
        refed = false;
        releaseJvm();
        return this;
    }

    @Override
    public ReadyState readyState() {
        return state.readyState();
    }

    @Override
    public boolean isDestroyed() {
        return state.isClosed();
    }

    /** Node's {@code !this._handle || this.connecting}. */
    @Override
    public boolean pending() {
        return state.life != Life.OPEN;
    }

    @Override
    public long readableLength() {
        return in.length();
    }

    @Override
    public CompletableFuture<Socket> connected() {
        return futures().connected();
    }

    @Override
    public CompletableFuture<Boolean> closed() {
        return futures().closed();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> next(Event<Socket, T> event) {
        emitter.slotOf(event, event.index());
        if (event == CLOSE) {
            return (CompletableFuture<T>) closed().thenApply(hadError -> hadError);
        }
        return NextValue.of(this, event, addressForErrors());
    }

    @Override
    public CompletableFuture<Void> next(Signal<Socket> signal) {
        emitter.slotOf(signal, signal.index());
        return NextValue.of(this, signal, addressForErrors());
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    /** As Node counts it: bytes handed to the kernel plus those accepted by write() and still queued. */
    @Override
    public long bytesWritten() {
        return bytesWritten + out.pendingBytes();
    }

    @Override
    public Endpoint localAddress() {
        Endpoint e = localAddress;
        if (e == null) {
            SocketAddress raw = state.isOpen() ? rawAddress(true) : localAtClose;
            if (raw != null) {
                e = transport.endpointOf(raw);
                localAddress = e;
            }
        }
        return e;
    }

    @Override
    public Endpoint remoteAddress() {
        Endpoint e = remoteAddress;
        if (e == null) {
            SocketAddress raw = state.isOpen() ? rawAddress(false) : remoteAtClose;
            if (raw != null) {
                e = transport.endpointOf(raw);
                remoteAddress = e;
            }
        }
        return e;
    }

    private SocketAddress rawAddress(boolean local) {
        SocketChannel ch = channel;
        if (ch == null) {
            return null;
        }
        try {
            return local ? ch.getLocalAddress() : ch.getRemoteAddress();
        } catch (IOException | RuntimeException closedMeanwhile) {
            return null;
        }
    }

    @Override
    public Optional<PeerCredentials> peerCredentials() {
        Optional<PeerCredentials> creds = peerCredentials;
        if (creds == null) {
            SocketChannel ch = channel;
            creds = ch == null ? Optional.empty() : transport.peerCredentials(ch);
            peerCredentials = creds;
        }
        return creds;
    }

    @Override
    public LoopExecutor executor() {
        return loop;
    }

    @Override
    public synchronized InputStream inputStream() {
        if (inputStream == null) {
            inputStream = new SocketInputStream(this, loop);
        }
        return inputStream;
    }

    @Override
    public synchronized OutputStream outputStream() {
        if (outputStream == null) {
            outputStream = new SocketOutputStream(this, loop);
        }
        return outputStream;
    }

    @Override
    public String toString() {
        Endpoint remote = remoteAddress();
        return "Socket[" + (remote != null ? remote : connector != null ? connector.target() : "accepted") + ", " + readyState() + "]";
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            toLoop(task);
        }
    }

    /** From another thread: to the loop, or held until this socket's CONNECTION listeners have returned. */
    private void toLoop(Runnable task) {
        if (!ConnectionHandover.hold(this, task)) {
            loop.execute(task);
        }
    }

    /**
     * The futures, made when someone asks for one or the socket connects or closes: an idle accepted
     * socket, which nobody asks, does without (32 bytes). An accepted socket is connected from the start.
     */
    private synchronized SocketFutures futures() {
        if (futures == null) {
            futures = new SocketFutures();
            if (connector == null) {
                futures.onConnected(this);
            }
        }
        return futures;
    }

    // ---- keeping the JVM alive -----------------------------------------------------------------------

    private synchronized void holdJvm() {
        if (refed && !holdsJvm) {
            holdsJvm = true;
            KeepAlive.acquire();
        }
    }

    private synchronized void releaseJvm() {
        if (holdsJvm) {
            holdsJvm = false;
            KeepAlive.release();
        }
    }

    // ---- loop thread: starting -------------------------------------------------------------------

    /** An accepted socket: applies the options it asked for; the server fires CONNECTION next. */
    void startAccepted() throws IOException {
        // Accepted sockets start with the kernel's defaults (Nagle on, no keep-alive): a syscall only
        // to change them, which keeps accepting fast in a connect storm.
        if (noDelay) {
            applyNoDelay();
        }
        if (keepAlive) {
            applyKeepAlive();
        }
    }

    /**
     * Registers an accepted socket with its loop, after the server's CONNECTION listeners have set it
     * up, so the first registration already has the interest they asked for (one epoll_ctl, not two).
     * From here it reads, whatever listeners it has (Node): a socket nobody reads still sees its peer go.
     */
    void registerAccepted() throws IOException {
        if (state.isClosed()) {
            return;
        }
        key = loop.register(channel, 0, this);
        interest = 0;
        updateInterest();
    }

    @Override
    public void connected(SocketChannel ch, SelectionKey k) {
        channel = ch;
        key = k;
        interest = SelectionKey.OP_CONNECT;
        state.apply(Input.CONNECTED, out.isEmpty(), true);
        if (resetWhenConnected) {
            // Node resets from a 'connect' listener added by resetAndDestroy(): CONNECT fires first.
            fire(CONNECT);
            futures().onConnected(this);
            resetNow();
            return;
        }
        if (noDelay) {
            applyNoDelay();
        }
        if (keepAlive) {
            applyKeepAlive();
        }
        if (typeOfService >= 0) {
            applyTypeOfService();
        }
        touchIdle();
        updateInterest();
        fire(CONNECT);
        futures().onConnected(this); // it did connect, even if a CONNECT listener destroyed it
        if (state.isClosed()) {
            return;
        }
        if (!out.isEmpty()) {
            flush(); // what was written while connecting; an end() waits for it (FLUSHED)
        } else {
            act(state.apply(Input.FLUSHED, true, in.isEmpty()));
        }
    }

    @Override
    public void failed(NetException error) {
        closeNow(error);
    }

    @Override
    public <T> void report(Event<Socket, T> event, T value) {
        fire(event, value);
    }

    @Override
    public java.util.List<String> autoSelectFamilyAttemptedAddresses() {
        return connector == null ? java.util.List.of() : connector.attemptedAddresses();
    }

    // ---- loop thread: I/O ----------------------------------------------------------------------------

    @Override
    public void onReady(SelectionKey k) {
        int ready = k.readyOps();
        if (state.life == Life.CONNECTING) {
            return; // each connection attempt's key has the attempt as its handler until one wins
        }
        if (!k.isValid() && state.isOpen()) {
            // The peer hung up and the selector will not report this channel again (junixsocket; see
            // EventLoop): whatever is left must be read now, or later by updateInterest() when resumed,
            // and what is queued must be tried now, since no writability will be reported either: the
            // write fails (EPIPE) and the socket closes instead of waiting for ever.
            peerHungUp = true;
            flush();
        } else if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if (state.isClosed()) {
            return;
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state.isOpen()) {
            read();
        } else if (peerHungUp && wantsRead()) {
            read();
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        closeNow(failure);
    }

    private boolean wantsRead() {
        return state.wantsRead(in.length() >= out.highWaterMark());
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer();
        ByteBuffer lent = null;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            if (!wantsRead()) {
                updateInterest();
                return;
            }
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                closeNow(transport.error(e, "read", addressForErrors()));
                return;
            }
            if (n > 0) {
                bytesRead += n;
                touchIdle();
                if (state.flow == Flow.FLOWING) {
                    if (emitter.has(DATA_BORROWED.index())) {
                        // No copy: a read-only view of the loop's buffer, valid while the listeners run.
                        if (lent == null) {
                            lent = buf.asReadOnlyBuffer();
                        }
                        lent.limit(n).position(0);
                        fire(DATA_BORROWED, lent);
                    }
                    if (emitter.has(TEXT.index()) && !state.isClosed()) {
                        emitText(buf.position(0).limit(n));
                    }
                    if (emitter.has(DATA.index()) && !state.isClosed()) {
                        // The one copy: out of the loop's reused direct buffer into a chunk the listener owns.
                        buf.position(0).limit(n);
                        fire(DATA, ByteBuffer.allocate(n).put(buf).flip());
                    }
                } else {
                    in.add(buf, n); // nobody consumes yet (Node's readable buffer); the first consumer gets it
                }
                if (n < buf.capacity() && !peerHungUp) {
                    updateInterest(); // a short read: the kernel has nothing more now
                    return;
                }
            } else {
                boolean zeroIsEnd = (i == 0 || peerHungUp) && transport.zeroReadWhenReadableIsEndOfStream();
                if (n < 0 || zeroIsEnd) {
                    onEndOfStream();
                }
                return;
            }
        }
        updateInterest();
        if (peerHungUp && wantsRead()) {
            // Out of reads for this turn, and no select will come back for this channel: continue next turn.
            loop.execute(this::readIfHungUp);
        }
    }

    private void readIfHungUp() {
        if (peerHungUp && wantsRead()) {
            read();
        }
    }

    private void onEndOfStream() {
        Next next = state.apply(Input.PEER_EOF, out.isEmpty(), in.isEmpty());
        updateInterest();
        act(next);
    }

    /** Flowing from now on: what was buffered goes to the listeners first, then END if it is owed. */
    private void startFlowing() {
        if (state.isClosed()) {
            return;
        }
        state.flow = Flow.FLOWING;
        ByteBuffer chunk;
        while (state.flow == Flow.FLOWING && !state.isClosed() && (chunk = in.poll()) != null) {
            if (emitter.has(DATA_BORROWED.index())) {
                fire(DATA_BORROWED, chunk.asReadOnlyBuffer());
            }
            if (emitter.has(TEXT.index()) && !state.isClosed()) {
                emitText(chunk); // before DATA, whose listener owns the chunk and may change it
            }
            if (emitter.has(DATA.index()) && !state.isClosed()) {
                fire(DATA, chunk);
            }
        }
        if (state.flow == Flow.FLOWING && in.isEmpty() && state.readSide == SocketState.ReadSide.EOF) {
            act(Next.EMIT_END);
            return;
        }
        updateInterest();
    }

    private void emitEnd() {
        // Not readable any more while END's listeners run (Node's readyState is 'writeOnly' there).
        Next next = state.apply(Input.END_EMITTED, out.isEmpty(), true);
        if (text != null && emitter.has(TEXT.index())) {
            String rest = text.flush(); // a character the peer left unfinished: U+FFFD, as StringDecoder.end()
            if (!rest.isEmpty()) {
                fire(TEXT, rest);
            }
        }
        fire(END);
        act(next);
    }

    /** Carries out what the transition table said. */
    private void act(Next next) {
        switch (next) {
            case NOTHING, START_CONNECTING -> { }
            case EMIT_END -> emitEnd();
            case END_OUR_SIDE -> {
                endRequested = true;
                endOnLoop();
            }
            case SHUT_OUTPUT -> shutdownOutput();
            case CLOSE -> closeNow(null);
        }
    }

    /** end() on the loop: as in Node, it uncorks first, so what was corked goes out before the FIN. */
    private void endOnLoop() {
        if (out.uncorkAll()) {
            sendUncorked();
        }
        act(state.apply(Input.END_CALLED, out.isEmpty(), in.isEmpty()));
    }

    /** The last uncork released the queue: send it now, or once connected (connected() flushes). */
    private void sendUncorked() {
        if (state.isOpen()) {
            flush();
        }
    }

    /**
     * A write on the loop.
     *
     * @param reserved the byte count a writer on another thread already added to the pending count, or -1
     */
    private boolean writeOnLoop(ByteBuffer data, WriteCallback callback, int reserved) {
        if (state.isClosed()) {
            if (reserved >= 0) {
                out.unreserve(reserved);
            }
            out.complete(callback, new NetException(ErrorCode.ERR_STREAM_DESTROYED, "write", addressForErrors(),
                    "Cannot call write after a stream was destroyed", null));
            return false;
        }
        if (state.writeSide != SocketState.WriteSide.OPEN) {
            if (reserved >= 0) {
                out.unreserve(reserved);
            }
            NetException error = state.readSide == SocketState.ReadSide.ENDED && !state.allowsHalfOpen()
                    // Node's writeAfterFIN: our side ended because the peer's did
                    ? new NetException(ErrorCode.EPIPE, "write", addressForErrors(),
                            "This socket has been ended by the other party", null)
                    : new NetException(ErrorCode.ERR_STREAM_WRITE_AFTER_END, "write", addressForErrors(),
                            "write after end", null);
            out.complete(callback, error); // the callback first, then ERROR and CLOSE(true), as Node orders them
            closeNow(error);
            return false;
        }
        if (state.isOpen() && out.isEmpty() && !out.isCorked()) {
            int before = data.remaining();
            try {
                AncillaryWrite.prepare(callback, channel, data);
                channel.write(data);
            } catch (IOException e) {
                if (reserved >= 0) {
                    out.unreserve(reserved);
                }
                NetException error = transport.error(e, "write", addressForErrors());
                out.complete(callback, error);
                closeNow(error);
                return false;
            }
            int written = before - data.remaining();
            bytesWritten += written;
            touchIdle();
            if (!data.hasRemaining()) {
                if (reserved >= 0) {
                    out.unreserve(reserved);
                }
                out.complete(callback, null);
                if (reserved >= 0 && out.isEmpty()) {
                    drainIfOwed();
                }
                return out.pendingBytes() < out.highWaterMark();
            }
            if (reserved >= 0) {
                out.unreserve(written);
            }
        }
        boolean ok = out.add(data, callback, reserved >= 0);
        updateInterest();
        return ok;
    }

    private void flush() {
        if (out.isEmpty()) {
            updateInterest();
            return;
        }
        long written;
        try {
            written = out.flush(channel, transport.gathersWrites() ? null : loop.writeStage());
        } catch (IOException e) {
            closeNow(transport.error(e, "write", addressForErrors()));
            return;
        }
        if (written > 0) {
            bytesWritten += written;
            touchIdle();
        }
        updateInterest();
        if (out.isEmpty()) {
            drainIfOwed();
            // A DRAIN listener may have written more (and called end()): the FIN goes only once the
            // queue is still empty after it, or the last bytes would follow the FIN.
            if (out.isEmpty()) {
                act(state.apply(Input.FLUSHED, true, in.isEmpty()));
            }
        }
    }

    private void emitText(ByteBuffer bytes) {
        if (text == null) {
            text = TextDecoding.of(encoding);
        }
        String decoded = text.decode(bytes);
        if (!decoded.isEmpty()) {
            fire(TEXT, decoded);
        }
    }

    private void drainIfOwed() {
        if (out.takeDrain() && !state.isClosed()) {
            fire(DRAIN);
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow(transport.error(e, "shutdown", addressForErrors()));
            return;
        }
        if (endCallbacks != null) {
            endCallbacks.complete(null);
        }
        act(state.apply(Input.OUTPUT_SHUT, true, in.isEmpty()));
    }

    private void updateInterest() {
        if (key == null || state.isClosed() || state.life == Life.CONNECTING) {
            return;
        }
        int ops = 0;
        boolean read = wantsRead();
        if (read) {
            ops |= SelectionKey.OP_READ;
        }
        if (out.isSendable()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interest && key.isValid()) {
            key.interestOps(ops);
            interest = ops;
        }
        if (peerHungUp && read) {
            // The selector no longer reports this channel (see onReady): read what is left from the loop.
            loop.execute(this::readIfHungUp);
        }
        if (peerHungUp && out.isSendable() && !flushRetryPending) {
            // Nor writability: try again shortly (the kernel took part, or the write will fail).
            flushRetryPending = true;
            loop.schedule(() -> {
                flushRetryPending = false;
                if (!state.isClosed()) {
                    flush();
                }
            }, HUNG_UP_FLUSH_RETRY_NANOS);
        }
    }

    // ---- loop thread: timers and options -------------------------------------------------------------

    /** Loop thread. */
    private IdleTimer idle() {
        if (idle == null) {
            idle = new IdleTimer(loop, this::onIdle);
        }
        return idle;
    }

    /** Loop thread. */
    private EndCallbacks endCallbacks() {
        if (endCallbacks == null) {
            endCallbacks = new EndCallbacks(out);
        }
        return endCallbacks;
    }

    /** Bytes moved: an idle timeout starts again (loop thread; nothing to do without one). */
    private void touchIdle() {
        if (idle != null) {
            idle.touch();
        }
    }

    private void onIdle() {
        if (!state.isClosed()) {
            fire(TIMEOUT);
        }
    }

    private void applyNoDelay() {
        if (channel != null && state.isOpen()) {
            try {
                transport.setNoDelay(channel, noDelay);
            } catch (IOException e) {
                log.debug("{}: cannot set no-delay: {}", this, e.toString());
            }
        }
    }

    private void applyTypeOfService() {
        try {
            transport.setTypeOfService(channel, typeOfService);
        } catch (IOException e) {
            log.debug("{}: cannot set the type of service {}: {}", this, typeOfService, e.toString());
        }
    }

    private void applyKeepAlive() {
        if (channel != null && state.isOpen()) {
            try {
                transport.setKeepAlive(channel, keepAlive, keepAliveDelay);
            } catch (IOException e) {
                log.debug("{}: cannot set keep-alive: {}", this, e.toString());
            }
        }
    }

    // ---- loop thread: closing and events -------------------------------------------------------------

    private void resetNow() {
        if (state.isClosed()) {
            return;
        }
        try {
            transport.prepareReset(channel);
        } catch (IOException | RuntimeException e) {
            log.debug("{}: cannot arm the reset, closing normally: {}", this, e.toString());
        }
        closeNow(null);
    }

    private void closeNow(Throwable error) {
        if (state.isClosed()) {
            return;
        }
        // Keep both ends while the channel can still tell (logs and CLOSE listeners ask afterwards), but
        // unformatted: naming them costs more than the rest of a close, and most closes are never asked.
        if (localAddress == null) {
            localAtClose = rawAddress(true);
        }
        if (remoteAddress == null) {
            remoteAtClose = rawAddress(false);
        }
        state.apply(Input.CLOSE, out.isEmpty(), in.isEmpty());
        if (idle != null) {
            idle.cancel();
        }
        if (connector != null) {
            connector.abandon();
        }
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        in.clear();
        // Every write still queued learns it will never be sent (before ERROR and CLOSE, as in Node).
        NetException destroyed = new NetException(ErrorCode.ERR_STREAM_DESTROYED, "write",
                addressForErrors(), "Cannot call write after a stream was destroyed", null);
        out.failAll(error != null ? error : destroyed);
        if (endCallbacks != null) {
            endCallbacks.complete(error != null ? error : destroyed);
        }
        // Node emits 'error' and 'close' on a later tick, so a destroy() inside a listener does not
        // re-enter the listeners that are running.
        loop.execute(() -> {
            try {
                if (error != null) {
                    emitError(error);
                }
                try {
                    emitter.emit(CLOSE.index(), error != null);
                } catch (Throwable t) {
                    log.error("{}: a 'close' listener threw", this, t);
                }
                emitter.clear();
                futures().onClosed(error, addressForErrors());
                if (onClosed != null) {
                    onClosed.accept(this);
                }
            } finally {
                releaseJvm(); // only now: the CLOSE listeners have run
            }
        });
    }

    private void emitError(Throwable error) {
        if (!emitter.has(ERROR.index())) {
            // Never swallowed: with nobody listening, the log is where the error goes.
            if (error instanceof NetException) {
                log.warn("{}: unhandled 'error' event, socket destroyed: {}", this, error.getMessage());
            } else {
                log.warn("{}: unhandled 'error' event, socket destroyed", this, error);
            }
            return;
        }
        try {
            emitter.emit(ERROR.index(), error);
        } catch (Throwable t) {
            log.error("{}: an 'error' listener threw while handling {}", this, error, t);
        }
    }

    private void fire(Signal<Socket> signal) {
        try {
            emitter.emit(signal.index());
        } catch (Throwable t) {
            listenerFailed(signal.name(), t);
        }
    }

    private <T> void fire(Event<Socket, T> event, T value) {
        try {
            emitter.emit(event.index(), value);
        } catch (Throwable t) {
            listenerFailed(event.name(), t);
        }
    }

    private void listenerFailed(String event, Throwable t) {
        // A throwing listener is this socket's bug, not the loop's: destroy this socket, keep serving others.
        log.debug("{}: a '{}' listener threw; destroying the socket", this, event, t);
        closeNow(t);
    }

    private String addressForErrors() {
        Endpoint remote = remoteAddress();
        return remote != null ? remote.toString() : connector != null ? connector.target() : null;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing after a failure; the failure itself is what gets reported.
            }
        }
    }
}
