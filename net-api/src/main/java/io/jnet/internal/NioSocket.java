package io.jnet.internal;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.PeerCredentials;
import io.jnet.ReadyState;
import io.jnet.Signal;
import io.jnet.Socket;
import io.jnet.spi.EventLoop;
import io.jnet.spi.IoHandler;
import io.jnet.spi.Timer;
import io.jnet.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The one {@link Socket} implementation, shared by every transport: a {@link SocketChannel} driven by
 * an {@link EventLoop}, with Node's stream semantics. The transport only opens channels and names
 * errors.
 *
 * <p>Everything below {@code // ---- loop thread} runs on the loop thread; public methods hop there
 * when called from elsewhere.
 */
public final class NioSocket implements Socket, IoHandler {
    private static final Logger log = LoggerFactory.getLogger(Socket.class);
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(NioSocket.class, "pendingBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Reads per readiness event before other channels on the loop get their turn. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** The connection's life. */
    private enum State { NEW, RESOLVING, CONNECTING, OPEN, CLOSED }

    /** Our receiving half: open until the peer's end-of-stream. */
    private enum ReadSide { OPEN, ENDED }

    /** Our sending half: {@code ENDING} means end() was called and the queue is still flushing. */
    private enum WriteSide { OPEN, ENDING, ENDED }

    /** Node's {@code readableFlowing}: null (not started), true, false. */
    private enum Flow { NOT_STARTED, FLOWING, PAUSED }

    private final Transport transport;
    private final EventLoop loop;
    /** This type's event keys by slot (see {@link Emitter}). */
    private static final Object[] KEYS = {CONNECT, END, DRAIN, TIMEOUT, DATA, ERROR, CLOSE, DATA_BORROWED};

    private final Emitter emitter = new Emitter("Socket", KEYS);
    private final boolean allowHalfOpen;
    private final int highWaterMark;
    private final ConnectOptions connectOptions;
    /** Where a client socket connects; null for an accepted one. */
    private final Endpoint endpoint;
    private final Runnable onClosed;

    private SocketChannel channel;
    private SelectionKey key;
    private int interest;
    private volatile State state;
    private volatile ReadSide readSide = ReadSide.OPEN;
    private volatile WriteSide writeSide = WriteSide.OPEN;
    private volatile Flow flow;
    /** Set by {@link #end()} on the caller's thread, so a write after it returns false at once. */
    private volatile boolean endRequested;
    private WriteQueue queue;
    private boolean needDrain;
    @SuppressWarnings("unused") // updated through PENDING
    private volatile long pendingBytes;
    private volatile long bytesRead;
    private volatile long bytesWritten;

    private boolean noDelay;
    private boolean keepAlive;
    private Duration keepAliveDelay;

    private long idleNanos;
    private long lastActivity;
    private Timer idleTimer;
    private Timer connectTimer;
    private boolean refed = true;
    private boolean holdsKeepAlive;

    private String target;
    private List<SocketAddress> candidates;
    /** The selector reported a hang-up and will not report this channel again (junixsocket). Loop thread. */
    private boolean peerHungUp;
    private int candidate;
    /** Filled on first ask, not at connect: 10 000 idle sockets should not carry 20 000 strings. */
    private volatile Endpoint localAddress;
    private volatile Endpoint remoteAddress;
    /** The channel's own addresses, kept unformatted when it closes; written before state turns CLOSED. */
    private SocketAddress localAtClose;
    private SocketAddress remoteAtClose;
    private volatile Optional<PeerCredentials> peerCredentials;
    private SocketInputStream inputStream;
    private SocketOutputStream outputStream;

    /** A client socket for {@code endpoint}; call {@link #connect()} next. */
    public NioSocket(Transport transport, EventLoop loop, Endpoint endpoint, ConnectOptions options) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.target = endpoint.toString();
        this.loop = loop;
        this.connectOptions = options;
        this.allowHalfOpen = options.allowHalfOpen();
        this.highWaterMark = options.highWaterMark();
        this.noDelay = options.noDelay();
        this.keepAlive = options.keepAlive();
        this.keepAliveDelay = options.keepAliveInitialDelay();
        this.idleNanos = options.timeout().toNanos();
        this.onClosed = null;
        this.flow = Flow.NOT_STARTED;
        this.state = State.NEW;
    }

    /** A socket accepted by a server; call {@link #startAccepted} on {@code loop} next. */
    NioSocket(Transport transport, EventLoop loop, SocketChannel channel, io.jnet.ServerOptions options, Runnable onClosed) {
        this.transport = transport;
        this.endpoint = null;
        this.loop = loop;
        this.connectOptions = null;
        this.channel = channel;
        this.allowHalfOpen = options.allowHalfOpen();
        this.highWaterMark = options.highWaterMark();
        this.noDelay = options.noDelay();
        this.keepAlive = options.keepAlive();
        this.keepAliveDelay = options.keepAliveInitialDelay();
        this.onClosed = onClosed;
        this.flow = options.pauseOnConnect() ? Flow.PAUSED : Flow.NOT_STARTED;
        this.state = State.OPEN;
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
        // Node: adding a 'data' listener switches a stream that was never paused to flowing mode.
        if ((event == DATA || event == DATA_BORROWED) && flow == Flow.NOT_STARTED) {
            onLoop(() -> {
                if (flow == Flow.NOT_STARTED) {
                    flow = Flow.FLOWING;
                    updateInterest();
                }
            });
        }
    }

    // ---- public operations: hop to the loop --------------------------------------------------------

    @Override
    public Socket connect() {
        synchronized (this) {
            if (state != State.NEW || endpoint == null) {
                throw new IllegalStateException("connect() on " + this
                        + ": a socket connects once; make a new one with Net.socket()");
            }
            state = State.RESOLVING;
        }
        CompletableFuture<List<SocketAddress>> resolved = transport.resolve(endpoint, connectOptions);
        onLoop(() -> {
            acquireKeepAlive();
            long timeout = connectOptions.connectTimeout().toNanos();
            if (timeout > 0) {
                connectTimer = loop.schedule(this::onConnectTimeout, timeout);
            }
            resolved.whenComplete((addresses, failure) -> onLoop(() -> onResolved(addresses, failure)));
        });
        return this;
    }

    @Override
    public boolean write(ByteBuffer data, Runnable onWritten) {
        Objects.requireNonNull(data, "data");
        if (loop.inEventLoop()) {
            return writeOnLoop(data, onWritten, false);
        }
        // The lender's buffer is reused once its listener returns, long before this loop gets to it.
        ByteBuffer taken = isLent(data) ? copyOf(data) : data;
        int n = taken.remaining();
        long after = (long) PENDING.getAndAdd(this, (long) n) + n;
        boolean ok = after < highWaterMark && !endRequested;
        loop.execute(() -> writeCounted(taken, onWritten, n, !ok));
        return ok;
    }

    @Override
    public void end() {
        endRequested = true;
        onLoop(this::endOnLoop);
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
    public Socket pause() {
        onLoop(() -> {
            flow = Flow.PAUSED;
            updateInterest();
        });
        return this;
    }

    @Override
    public Socket resume() {
        onLoop(() -> {
            flow = Flow.FLOWING;
            updateInterest();
        });
        return this;
    }

    @Override
    public boolean isPaused() {
        return flow == Flow.PAUSED;
    }

    @Override
    public long writableLength() {
        return Math.max(0, pendingBytes);
    }

    @Override
    public int writableHighWaterMark() {
        return highWaterMark;
    }

    @Override
    public Socket setTimeout(Duration idle) {
        if (idle.isNegative()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "timeout must not be negative but was " + idle);
        }
        onLoop(() -> {
            idleNanos = idle.toNanos();
            if (idleTimer != null) {
                idleTimer.cancel();
                idleTimer = null;
            }
            if (idleNanos > 0 && state != State.CLOSED) {
                lastActivity = System.nanoTime();
                idleTimer = loop.schedule(this::onIdleTimer, idleNanos);
            }
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
    public Socket ref() {
        onLoop(() -> {
            refed = true;
            if (state != State.CLOSED) {
                acquireKeepAlive();
            }
        });
        return this;
    }

    @Override
    public Socket unref() {
        onLoop(() -> {
            refed = false;
            releaseKeepAlive();
        });
        return this;
    }

    @Override
    public ReadyState readyState() {
        State s = state;
        return switch (s) {
            case NEW, RESOLVING, CONNECTING -> ReadyState.OPENING;
            case CLOSED -> ReadyState.CLOSED;
            case OPEN -> {
                boolean readable = readSide == ReadSide.OPEN;
                boolean writable = writeSide == WriteSide.OPEN;
                if (readable && writable) {
                    yield ReadyState.OPEN;
                }
                if (readable) {
                    yield ReadyState.READ_ONLY;
                }
                yield writable ? ReadyState.WRITE_ONLY : ReadyState.CLOSED;
            }
        };
    }

    @Override
    public boolean isDestroyed() {
        return state == State.CLOSED;
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Endpoint localAddress() {
        Endpoint e = localAddress;
        if (e == null) {
            SocketAddress raw = state == State.OPEN ? rawAddress(true) : localAtClose;
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
            SocketAddress raw = state == State.OPEN ? rawAddress(false) : remoteAtClose;
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
    public Executor executor() {
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
        return "Socket[" + (remote != null ? remote : target != null ? target : "accepted") + ", " + readyState() + "]";
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ---- loop thread: connecting ---------------------------------------------------------------------

    /** Registers an accepted socket with its loop and fires nothing yet; the server fires CONNECTION. */
    void startAccepted() throws IOException {
        acquireKeepAlive();
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
     */
    void registerAccepted() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        key = loop.register(channel, 0, this);
        interest = 0;
        updateInterest();
    }

    private void onResolved(List<SocketAddress> addresses, Throwable failure) {
        if (state == State.CLOSED) {
            return;
        }
        if (failure != null) {
            closeNow(asNetException(unwrap(failure), "getaddrinfo"));
            return;
        }
        if (addresses == null || addresses.isEmpty()) {
            closeNow(new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", target, "no addresses", null));
            return;
        }
        candidates = addresses;
        tryConnect(0);
    }

    private void tryConnect(int index) {
        candidate = index;
        SocketAddress address = candidates.get(index);
        try {
            channel = transport.open(address, connectOptions);
            state = State.CONNECTING;
            key = loop.register(channel, SelectionKey.OP_CONNECT, this);
            interest = SelectionKey.OP_CONNECT;
            if (channel.connect(address)) {
                onConnected();
            }
        } catch (IOException e) {
            connectFailed(e);
        }
    }

    private void finishConnect() {
        try {
            if (channel.finishConnect()) {
                onConnected();
            }
        } catch (IOException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(IOException failure) {
        if (key != null) {
            key.cancel();
            key = null;
        }
        closeQuietly(channel);
        SocketAddress address = candidates.get(candidate);
        if (candidate + 1 < candidates.size()) {
            // Like Node's autoSelectFamily: "localhost" may be ::1 and 127.0.0.1; try the next one.
            log.debug("connect to {} failed ({}), trying the next address", address, failure.getMessage());
            tryConnect(candidate + 1);
            return;
        }
        Endpoint ep = transport.endpointOf(address);
        closeNow(transport.error(failure, "connect", ep != null ? ep.toString() : target));
    }

    private void onConnectTimeout() {
        if (state == State.RESOLVING || state == State.CONNECTING) {
            String where = target;
            if (candidates != null) {
                Endpoint ep = transport.endpointOf(candidates.get(candidate));
                where = ep != null ? ep.toString() : target;
            }
            // Node's words exactly; the limit is the caller's own connectTimeout.
            closeNow(new NetException(ErrorCode.ETIMEDOUT, "connect", where, null, null));
        }
    }

    private void onConnected() throws IOException {
        state = State.OPEN;
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
        if (noDelay) {
            applyNoDelay();
        }
        if (keepAlive) {
            applyKeepAlive();
        }
        if (idleNanos > 0) {
            lastActivity = System.nanoTime();
            idleTimer = loop.schedule(this::onIdleTimer, idleNanos);
        }
        updateInterest();
        fire(CONNECT);
        if (state != State.OPEN) {
            return;
        }
        if (queue != null && !queue.isEmpty()) {
            flush();
        } else if (writeSide == WriteSide.ENDING) {
            shutdownOutput();
        }
    }

    // ---- loop thread: I/O ----------------------------------------------------------------------------

    @Override
    public void onReady(SelectionKey k) {
        int ready = k.readyOps();
        if (state == State.CONNECTING) {
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
            }
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if (!k.isValid() && state == State.OPEN) {
            // The peer hung up and the selector will not report this channel again (junixsocket; see
            // EventLoop): whatever is left must be read now, or later by updateInterest() when resumed.
            peerHungUp = true;
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
            read();
        } else if (peerHungUp && state == State.OPEN && flow == Flow.FLOWING && readSide == ReadSide.OPEN) {
            read();
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        closeNow(failure);
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer();
        ByteBuffer lent = null;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                closeNow(transport.error(e, "read", addressForErrors()));
                return;
            }
            if (n > 0) {
                buf.flip();
                bytesRead += n;
                touch();
                if (emitter.has(DATA_BORROWED.index())) {
                    // No copy: a read-only view of the loop's buffer, valid while the listeners run.
                    if (lent == null) {
                        lent = buf.asReadOnlyBuffer();
                    }
                    lent.limit(n).position(0);
                    fire(DATA_BORROWED, lent);
                }
                if (emitter.has(DATA.index()) && state != State.CLOSED) {
                    // The one copy: out of the loop's reused direct buffer into a chunk the listener owns.
                    buf.position(0).limit(n);
                    fire(DATA, ByteBuffer.allocate(n).put(buf).flip());
                }
                if (state != State.OPEN || flow != Flow.FLOWING || readSide != ReadSide.OPEN
                        || (n < buf.capacity() && !peerHungUp)) {
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
        if (peerHungUp) {
            // Out of reads for this turn, and no select will come back for this channel: continue next turn.
            loop.execute(() -> {
                if (state == State.OPEN && flow == Flow.FLOWING && readSide == ReadSide.OPEN) {
                    read();
                }
            });
        }
    }

    private void onEndOfStream() {
        readSide = ReadSide.ENDED;
        updateInterest();
        fire(END);
        if (state == State.CLOSED) {
            return;
        }
        if (writeSide == WriteSide.ENDED) {
            closeNow(null);
        } else if (!allowHalfOpen) {
            endOnLoop();
        }
    }

    private boolean writeOnLoop(ByteBuffer data, Runnable onWritten, boolean counted) {
        if (state == State.CLOSED) {
            return false;
        }
        if (writeSide != WriteSide.OPEN) {
            writeAfterEnd();
            return false;
        }
        if (state == State.OPEN && (queue == null || queue.isEmpty())) {
            int before = data.remaining();
            try {
                channel.write(data);
            } catch (IOException e) {
                closeNow(transport.error(e, "write", addressForErrors()));
                return false;
            }
            long written = before - data.remaining();
            bytesWritten += written;
            if (counted) {
                PENDING.getAndAdd(this, -written);
            }
            touch();
            if (!data.hasRemaining()) {
                if (onWritten != null) {
                    loop.execute(onWritten);
                }
                return pendingBytes < highWaterMark;
            }
        }
        if (queue == null) {
            queue = new WriteQueue();
        }
        if (isLent(data)) {
            data = copyOf(data); // the lender's buffer is reused once its listener returns
        }
        queue.add(data, onWritten);
        long pending = counted ? pendingBytes : (long) PENDING.getAndAdd(this, (long) data.remaining()) + data.remaining();
        updateInterest();
        boolean ok = pending < highWaterMark;
        if (!ok) {
            needDrain = true;
        }
        return ok;
    }

    /** A write made off the loop: its bytes were already added to the pending count by the caller. */
    private void writeCounted(ByteBuffer data, Runnable onWritten, int counted, boolean callerSawFalse) {
        if (state == State.CLOSED || writeSide != WriteSide.OPEN) {
            PENDING.getAndAdd(this, (long) -counted);
        }
        if (callerSawFalse) {
            needDrain = true;
        }
        writeOnLoop(data, onWritten, true);
        if (state != State.CLOSED && (queue == null || queue.isEmpty())) {
            maybeDrain();
        }
    }

    /** A {@link Socket#DATA_BORROWED} view, or any buffer the caller said we may not keep. */
    private static boolean isLent(ByteBuffer data) {
        return data.isReadOnly() && data.isDirect();
    }

    private static ByteBuffer copyOf(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data).flip();
    }

    private void writeAfterEnd() {
        closeNow(new NetException(ErrorCode.ERR_STREAM_WRITE_AFTER_END, "write", addressForErrors(),
                "write after end()", null));
    }

    private void flush() {
        if (queue == null || queue.isEmpty()) {
            updateInterest();
            return;
        }
        long written;
        try {
            written = queue.flush(channel, loop);
        } catch (IOException e) {
            closeNow(transport.error(e, "write", addressForErrors()));
            return;
        }
        if (written > 0) {
            bytesWritten += written;
            PENDING.getAndAdd(this, -written);
            touch();
        }
        updateInterest();
        if (queue.isEmpty()) {
            maybeDrain();
            // A DRAIN listener may have written more (and called end()): shut down only once the
            // queue is still empty after it, or the last bytes would be written after the FIN.
            if (state == State.OPEN && writeSide == WriteSide.ENDING && queue.isEmpty()) {
                shutdownOutput();
            }
        }
    }

    private void maybeDrain() {
        if (needDrain && pendingBytes <= 0) {
            needDrain = false;
            fire(DRAIN);
        }
    }

    private void endOnLoop() {
        if (state == State.CLOSED || writeSide != WriteSide.OPEN) {
            return;
        }
        writeSide = WriteSide.ENDING;
        if (state == State.OPEN && (queue == null || queue.isEmpty())) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow(transport.error(e, "shutdown", addressForErrors()));
            return;
        }
        writeSide = WriteSide.ENDED;
        if (readSide == ReadSide.ENDED) {
            closeNow(null);
        }
    }

    private void updateInterest() {
        if (key == null || state == State.CLOSED) {
            return;
        }
        int ops;
        if (state == State.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = 0;
            if (flow == Flow.FLOWING && readSide == ReadSide.OPEN) {
                ops |= SelectionKey.OP_READ;
            }
            if (queue != null && !queue.isEmpty()) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        if (ops != interest && key.isValid()) {
            key.interestOps(ops);
            interest = ops;
        }
        if (peerHungUp && (ops & SelectionKey.OP_READ) != 0) {
            // The selector no longer reports this channel (see onReady): read what is left from the loop.
            loop.execute(() -> {
                if (state == State.OPEN && flow == Flow.FLOWING && readSide == ReadSide.OPEN) {
                    read();
                }
            });
        }
    }

    // ---- loop thread: timers and options -------------------------------------------------------------

    private void touch() {
        if (idleNanos > 0) {
            lastActivity = System.nanoTime();
            if (idleTimer == null) {
                idleTimer = loop.schedule(this::onIdleTimer, idleNanos);
            }
        }
    }

    private void onIdleTimer() {
        idleTimer = null;
        if (state == State.CLOSED || idleNanos <= 0) {
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        if (idleFor >= idleNanos) {
            // Node fires 'timeout' once per idle period; the next activity re-arms it.
            fire(TIMEOUT);
        } else {
            idleTimer = loop.schedule(this::onIdleTimer, idleNanos - idleFor);
        }
    }

    private void applyNoDelay() {
        if (channel != null && state == State.OPEN) {
            try {
                transport.setNoDelay(channel, noDelay);
            } catch (IOException e) {
                log.debug("{}: cannot set no-delay: {}", this, e.toString());
            }
        }
    }

    private void applyKeepAlive() {
        if (channel != null && state == State.OPEN) {
            try {
                transport.setKeepAlive(channel, keepAlive, keepAliveDelay);
            } catch (IOException e) {
                log.debug("{}: cannot set keep-alive: {}", this, e.toString());
            }
        }
    }

    private void acquireKeepAlive() {
        if (refed && !holdsKeepAlive) {
            holdsKeepAlive = true;
            KeepAlive.acquire();
        }
    }

    private void releaseKeepAlive() {
        if (holdsKeepAlive) {
            holdsKeepAlive = false;
            KeepAlive.release();
        }
    }

    // ---- loop thread: closing and events -------------------------------------------------------------

    private void closeNow(Throwable error) {
        if (state == State.CLOSED) {
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
        state = State.CLOSED;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        if (queue != null) {
            queue.clear();
        }
        PENDING.setVolatile(this, 0L);
        releaseKeepAlive();
        // Node emits 'error' and 'close' on a later tick, so a destroy() inside a listener does not
        // re-enter the listeners that are running.
        loop.execute(() -> {
            if (error != null) {
                emitError(error);
            }
            try {
                emitter.emit(CLOSE.index(), error != null);
            } catch (Throwable t) {
                log.error("{}: a 'close' listener threw", this, t);
            }
            emitter.clear();
            if (onClosed != null) {
                onClosed.run();
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
        return remote != null ? remote.toString() : target;
    }

    private NetException asNetException(Throwable failure, String syscall) {
        if (failure instanceof NetException ne) {
            return ne;
        }
        if (failure instanceof IOException io) {
            return transport.error(io, syscall, target);
        }
        return new NetException(ErrorCode.EIO, syscall, target, String.valueOf(failure), failure);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
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
