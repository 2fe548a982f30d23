package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.Socket;
import io.jnet.LoopExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Requests and their replies over one {@link Socket}, both ways at once: each side may ask and answer,
 * many requests may be in flight, and replies may come back in any order; a correlation id in each
 * frame pairs them. One-way messages share the connection. The wire format (length-prefixed frames with
 * a 5-byte header) is in {@code net-api/MESSAGING.md}, so a Node or Python peer can speak it.
 *
 * <pre>{@code
 * // the answering side
 * Server server = Net.createServer(socket -> RequestChannel.of(socket)
 *         .onRequest(query -> ByteBuffer.wrap(lookUp(query))));
 *
 * // the asking side
 * RequestChannel channel = RequestChannel.of(Net.createConnection(Endpoint.ipc(path)));
 * channel.request(ByteBuffer.wrap(query), Duration.ofSeconds(2))
 *        .thenAccept(reply -> use(reply))
 *        .exceptionally(e -> { log.warn("no answer: {}", e.getMessage()); return null; });
 * }</pre>
 *
 * <h2>Failures a requester sees</h2>
 * The future fails with: {@link RequestFailedException} when the peer's handler threw or its stage
 * failed (the peer's message inside); {@link ErrorCode#ETIMEDOUT} when no reply came within the
 * request's timeout; the socket's own error when the socket failed, or {@link ErrorCode#ERR_SOCKET_CLOSED}
 * naming the peer when it closed without one; {@link ErrorCode#ERR_TOO_MANY_REQUESTS} or
 * {@link FrameTooLargeException} at once, with nothing sent. Each names the request's id and the peer.
 *
 * <h2>Bad input from the peer</h2>
 * A reply whose id matches no pending request (unknown, answered already, or past its timeout) is
 * dropped and reported as {@link #STRAY_REPLY} (logged if nobody listens); the channel goes on. A frame
 * whose header cannot be read (shorter than 5 bytes, unknown kind, a request with id 0) destroys this
 * socket with {@link ErrorCode#ERR_MALFORMED_MESSAGE}: the stream can no longer be trusted. Oversized
 * and truncated frames destroy it as {@link MessageChannel} says. Other connections are not affected.
 *
 * <h2>Writing</h2>
 * Frames written on the loop thread (replies from a plain handler, requests sent from a completion)
 * leave together at the end of the loop's turn, in one system call (see {@code WriteBatch}); frames
 * written on another thread go straight to the socket. Either way, what one thread sends leaves in the
 * order it was sent. The socket should carry nothing but this channel.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Handlers, listeners and the completion of a request's future run on the
 * socket's loop thread: never block there, and use the {@code *Async} stages of the future to continue
 * elsewhere. A handler with slow work returns a {@link CompletionStage} ({@link #onRequestAsync}).
 */
public final class RequestChannel {
    private static final Logger log = LoggerFactory.getLogger(RequestChannel.class);

    /**
     * A one-way message from the peer's {@link #send}. Ownership as {@link MessageChannel#MESSAGE}: the
     * buffer is the listeners'.
     */
    public static final Event<RequestChannel, ByteBuffer> MESSAGE = Event.of(RequestChannel.class, "message", 0);

    /**
     * A reply that matched no pending request, dropped: {@link ErrorCode#ERR_UNKNOWN_REQUEST_ID}, naming
     * the id, the peer, and whether the request had timed out. Logged at WARN when nobody listens.
     */
    public static final Event<RequestChannel, NetException> STRAY_REPLY =
            Event.of(RequestChannel.class, "stray-reply", 1);

    /** Written on the loop thread, read anywhere. */
    private enum State {
        OPEN,
        /** The socket closed: pending requests have failed, new ones fail at once. */
        CLOSED
    }

    private final Socket socket;
    private final LoopExecutor loop;
    private final RequestOptions options;
    private final MessageChannel frames;
    private final PendingRequests pending;
    /** Counted on the caller's thread so that the limit is enforced before anything is queued. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final MessageListeners<ByteBuffer> messages = new MessageListeners<>();
    private final MessageListeners<NetException> strays = new MessageListeners<>();
    private final Responder responder;
    private volatile State state = State.OPEN;
    /** The socket's error, if it failed: set on the loop before CLOSE, read by requesters too. */
    private volatile Throwable failure;
    /** Loop thread only: frames written there leave together at the end of the loop's turn. */
    private final WriteBatch batch;

    private RequestChannel(Socket socket, RequestOptions options) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.options = Objects.requireNonNull(options, "options");
        LoopExecutor l = socket.executor(); // its timers live on the socket's own loop
        this.loop = l;
        this.frames = MessageChannel.lengthPrefixed(socket, options.maxFrameSize());
        this.pending = new PendingRequests(l, this::timedOut);
        this.batch = new WriteBatch(socket, l);
        this.responder = new Responder(socket, options.maxFrameSize(), options.maxInFlight(), this::write);
        socket.on(Socket.ERROR, e -> failure = e);
        socket.on(Socket.CLOSE, hadError -> close());
    }

    /** A channel with {@link RequestOptions#defaults()}. */
    public static RequestChannel of(Socket socket) {
        return new RequestChannel(socket, RequestOptions.defaults());
    }

    /** A channel with these limits; the socket should not carry anything else. */
    public static RequestChannel of(Socket socket, RequestOptions options) {
        return new RequestChannel(socket, options);
    }

    /** The socket underneath, for its events, {@code end} and {@code destroy}. */
    public Socket socket() {
        return socket;
    }

    /** The limits this channel was made with. */
    public RequestOptions options() {
        return options;
    }

    /** Requests sent and not yet answered, failed or timed out. */
    public int inFlight() {
        return inFlight.get();
    }

    // ---- asking ----------------------------------------------------------------------------------

    /** {@link #request(ByteBuffer, Duration)} with the channel's default timeout. */
    public CompletableFuture<ByteBuffer> request(ByteBuffer payload) {
        return request(payload, options.timeout());
    }

    /**
     * Sends a request and returns its reply, to come.
     *
     * <p>Past {@link RequestOptions#maxInFlight()} the future fails at once with
     * {@link ErrorCode#ERR_TOO_MANY_REQUESTS} and nothing is sent. A hidden queue would hold memory no one
     * bounds and make "timeout" mean two things (waiting to be sent, waiting for the reply); the limit is
     * the caller's signal to slow down, as {@link Socket#write}'s false is, and the caller who wants to
     * wait has the futures already in flight to wait on.
     *
     * <p>Ownership: the payload's remaining bytes are copied into the frame before this returns; the
     * caller may reuse the buffer at once. The reply is the caller's (it may be kept and changed).
     *
     * <p>Cancelling the future sends nothing to the peer (the wire has no "cancel") and keeps the
     * request's place among those in flight until its reply or its timeout.
     *
     * @param timeout how long to wait for the reply, from now; the request then fails with
     *                {@link ErrorCode#ETIMEDOUT} and a late reply is dropped as a {@link #STRAY_REPLY}
     * @return completed on the socket's loop thread (see the class comment for the ways it fails)
     */
    public CompletableFuture<ByteBuffer> request(ByteBuffer payload, Duration timeout) {
        RequestOptions.requirePositive(timeout);
        ByteBuffer frame;
        try {
            frame = RequestFrame.encode(RequestFrame.REQUEST, 0, payload, options.maxFrameSize());
        } catch (FrameTooLargeException e) {
            return CompletableFuture.failedFuture(e.at(peer()));
        }
        if (inFlight.incrementAndGet() > options.maxInFlight()) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new NetException(ErrorCode.ERR_TOO_MANY_REQUESTS, "request", peer(),
                    options.maxInFlight() + " requests are already in flight (maxInFlight); nothing was sent", null));
        }
        startReading();
        CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();
        if (state == State.CLOSED || socket.isDestroyed()) {
            inFlight.decrementAndGet();
            reply.completeExceptionally(closedError("request not sent"));
            return reply;
        }
        PendingRequests.Pending p = pending.add(reply, timeout);
        frame.putInt(RequestFrame.ID_OFFSET, p.id);
        // Written by the caller's thread, so a request and a send() from one thread keep their order.
        write(frame);
        // close() may have drained the table just before our add: then nobody else will fail this one.
        if (state == State.CLOSED && pending.remove(p)) {
            inFlight.decrementAndGet();
            reply.completeExceptionally(closedError("request not sent"));
        }
        return reply;
    }

    /**
     * Sends a one-way message (the peer's {@link #MESSAGE}); no reply, no id. Ownership as
     * {@link MessageChannel#send(ByteBuffer)}.
     *
     * @return {@link Socket#write}'s answer: false once the queue has reached the high-water mark
     * @throws FrameTooLargeException over the limit; nothing is sent
     */
    public boolean send(ByteBuffer payload) {
        ByteBuffer frame = RequestFrame.encode(RequestFrame.MESSAGE, 0, payload, options.maxFrameSize());
        if (loop.inEventLoop()) {
            batch.flush(); // what this thread wrote before goes first; the answer is the socket's own
        }
        return socket.write(frame);
    }

    // ---- answering -------------------------------------------------------------------------------

    /**
     * Answers every request with what {@code handler} returns; replaces an earlier handler. It runs on the
     * loop thread, so it must not block. Throwing sends an error reply carrying the exception's message,
     * which the requester sees as a {@link RequestFailedException}; returning null does the same. Until a
     * handler is set, requests get an error reply saying there is none.
     *
     * <p>Ownership: the request is the handler's (a view of the frame, kept or changed at will). The
     * returned buffer's remaining bytes are copied before the handler's caller returns.
     */
    public RequestChannel onRequest(Function<? super ByteBuffer, ? extends ByteBuffer> handler) {
        responder.handleWith(new Responder.Sync(Objects.requireNonNull(handler, "handler")));
        startReading();
        return this;
    }

    /**
     * Answers every request with the stage {@code handler} returns, once it completes (on whatever thread
     * completes it); a failed stage sends an error reply with its exception's message. The handler itself
     * runs on the loop thread. The reply buffer is copied when the stage completes and not touched after.
     */
    public RequestChannel onRequestAsync(
            Function<? super ByteBuffer, ? extends CompletionStage<? extends ByteBuffer>> handler) {
        responder.handleWith(new Responder.Async(Objects.requireNonNull(handler, "handler")));
        startReading();
        return this;
    }

    // ---- listening -------------------------------------------------------------------------------

    /** Adds a {@link #MESSAGE} or {@link #STRAY_REPLY} listener, called after those already added. */
    public <T> RequestChannel on(Event<RequestChannel, T> event, Consumer<? super T> listener) {
        return add(event, listener, false);
    }

    /** Adds a listener that is removed before its first call. */
    public <T> RequestChannel once(Event<RequestChannel, T> event, Consumer<? super T> listener) {
        return add(event, listener, true);
    }

    /** Removes the first registration of this exact listener object; no-op if absent. */
    public <T> RequestChannel off(Event<RequestChannel, T> event, Consumer<? super T> listener) {
        listenersOf(event).remove(listener);
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> RequestChannel add(Event<RequestChannel, T> event, Consumer<? super T> listener, boolean once) {
        ((MessageListeners<T>) listenersOf(event)).add(listener, once);
        if (event == MESSAGE) {
            startReading();
        }
        return this;
    }

    private MessageListeners<?> listenersOf(Event<RequestChannel, ?> event) {
        if (event == MESSAGE) {
            return messages;
        }
        if (event == STRAY_REPLY) {
            return strays;
        }
        throw new IllegalArgumentException(event + " is not an event of RequestChannel (it has MESSAGE and STRAY_REPLY)");
    }

    /** Reads once someone can receive what arrives: a request sent, a handler set, a MESSAGE listener. */
    private void startReading() {
        if (!reading.get() && reading.compareAndSet(false, true)) {
            frames.on(MessageChannel.MESSAGE, this::onFrame);
        }
    }

    // ---- loop thread -----------------------------------------------------------------------------

    private void onFrame(ByteBuffer frame) {
        int n = frame.remaining();
        if (n < RequestFrame.HEADER_BYTES) {
            throw malformed("a frame of " + n + " bytes is shorter than the 5-byte header (kind, id)");
        }
        int at = frame.position();
        int kind = frame.get(at) & 0xFF;
        int id = frame.getInt(at + 1);
        ByteBuffer payload = frame.slice(at + RequestFrame.HEADER_BYTES, n - RequestFrame.HEADER_BYTES);
        switch (kind) {
            case RequestFrame.REQUEST -> {
                if (id == 0) {
                    throw malformed("a REQUEST with id 0 (ids of requests start at 1)");
                }
                responder.serve(id, payload);
            }
            case RequestFrame.REPLY -> settle(kind, id, payload);
            case RequestFrame.ERROR -> settle(kind, id, payload);
            case RequestFrame.MESSAGE -> {
                if (messages.isEmpty()) {
                    log.warn("{}: a one-way message of {} bytes arrived with no MESSAGE listener; dropped", this, payload.remaining());
                } else {
                    messages.emit(payload);
                }
            }
            default -> throw malformed(String.format("unknown kind 0x%02x (id %s, frame of %d bytes);"
                    + " expected 1 REQUEST, 2 REPLY, 3 ERROR or 4 MESSAGE", kind, Integer.toUnsignedString(id), n));
        }
    }

    private NetException malformed(String what) {
        // Thrown from a MESSAGE listener: the socket destroys itself with it (ERROR, then CLOSE(true)).
        return new NetException(ErrorCode.ERR_MALFORMED_MESSAGE, "read", peer(), what, null);
    }

    private void settle(int kind, int id, ByteBuffer payload) {
        PendingRequests.Pending p = pending.take(id);
        if (p == null) {
            stray(kind, id);
            return;
        }
        inFlight.decrementAndGet();
        if (kind == RequestFrame.REPLY) {
            p.reply.complete(payload);
        } else {
            p.reply.completeExceptionally(new RequestFailedException(id, StandardCharsets.UTF_8.decode(payload).toString(), peer()));
        }
    }

    private void stray(int kind, int id) {
        Duration after = pending.timedOutAfter(id);
        String what = RequestFrame.kindName(kind) + " to request " + Integer.toUnsignedString(id)
                + (after != null
                ? " arrived after the request's timeout of " + after.toMillis() + " ms; dropped"
                : ", which is not pending (never sent, or answered already); dropped");
        NetException e = new NetException(ErrorCode.ERR_UNKNOWN_REQUEST_ID, "read", peer(), what, null);
        if (strays.isEmpty()) {
            log.warn("{}: {}", this, e.getMessage());
        } else {
            strays.emit(e);
        }
    }

    private void timedOut(PendingRequests.Pending p) {
        inFlight.decrementAndGet();
        p.reply.completeExceptionally(new NetException(ErrorCode.ETIMEDOUT, "request", peer(),
                "no reply to request " + Integer.toUnsignedString(p.id) + " within " + p.timeout.toMillis() + " ms", null));
    }

    /**
     * Any thread (a handler's stage may complete anywhere). On the loop the frame joins the batch that
     * leaves at the end of this turn; elsewhere it goes straight to the socket, which is thread-safe.
     */
    private void write(ByteBuffer frame) {
        if (loop.inEventLoop()) {
            batch.add(frame);
        } else if (!socket.isDestroyed()) {
            socket.write(frame);
        }
    }

    private void close() {
        state = State.CLOSED;
        List<PendingRequests.Pending> all = pending.drain();
        inFlight.addAndGet(-all.size());
        if (all.isEmpty() && failure != null) {
            // We listen to ERROR, so the socket no longer logs it as unhandled; say it once here.
            log.warn("{}: closed with an error, no request pending: {}", this, failure.toString());
        }
        for (PendingRequests.Pending p : all) {
            p.reply.completeExceptionally(closedError("the reply to request " + Integer.toUnsignedString(p.id) + " never came"));
        }
    }

    /** The socket's own error if it failed, else a clear "closed" naming the peer. */
    private Throwable closedError(String what) {
        if (failure != null) {
            return failure;
        }
        return new NetException(ErrorCode.ERR_SOCKET_CLOSED, "request", peer(), "the channel closed: " + what, null);
    }

    private String peer() {
        return MessageChannel.peerOf(socket);
    }

    @Override
    public String toString() {
        return "RequestChannel[" + socket + "]";
    }
}
