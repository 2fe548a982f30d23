package io.jnet.codec;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Event;
import io.jnet.NetException;
import io.jnet.Socket;
import io.jnet.WriteCallback;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Socket} seen as a channel of whole messages: each frame that arrives fires {@link #MESSAGE}
 * once, however the transport split or coalesced the bytes, and {@link #send} writes one frame.
 *
 * <pre>{@code
 * Server server = Net.createServer(socket -> {
 *     MessageChannel channel = MessageChannel.lengthPrefixed(socket, 1 << 20);
 *     channel.on(MessageChannel.MESSAGE, message -> {
 *         if (!channel.send(message)) {                 // echo each message back
 *             socket.pause();                           // back-pressure: wait for DRAIN
 *         }
 *     });
 *     socket.on(Socket.DRAIN, socket::resume);
 * });
 *
 * MessageChannel client = MessageChannel.lines(Net.createConnection(path, null), 64 * 1024);
 * client.on(MessageChannel.MESSAGE, line -> System.out.println(UTF_8.decode(line)));
 * client.send("{\"hello\":\"node\"}");                   // newline-delimited JSON, as Node's IPC speaks
 * }</pre>
 *
 * <h2>Framing</h2>
 * {@link #lines} ({@code \n}-terminated, a {@code \r} before the {@code \n} stripped) or
 * {@link #lengthPrefixed} (4-byte big-endian length, then payload); see {@link FrameDecoder}.
 *
 * <h2>Errors</h2>
 * A frame over the limit destroys the socket with a {@link FrameTooLargeException}
 * ({@link ErrorCode#ERR_FRAME_TOO_LARGE}, naming limit, length and peer): {@link Socket#ERROR}, then
 * {@code CLOSE(true)}. The frame is refused before it is held whole. A peer that ends the stream inside
 * a frame destroys the socket with {@link ErrorCode#ERR_FRAME_TRUNCATED}. A {@code MESSAGE} listener
 * that throws destroys the socket with that exception, as any socket listener does.
 *
 * <h2>Reading</h2>
 * The channel takes the socket's {@link Socket#DATA} when the first {@code MESSAGE} listener is added
 * (which starts the socket reading, as a {@code DATA} listener does), so no frame arrives before there is
 * someone to receive it. Do not add {@code DATA} listeners of your own beside it: the chunks become
 * frames. {@code socket.pause()} takes effect after the frames of the chunk being delivered.
 *
 * <h2>Blocking and text</h2>
 * {@link #receive(Duration)} waits for the next message on a plain thread, for code that is not
 * event-driven; {@link #MESSAGE_TEXT} hands each message over as a UTF-8 decoded {@code String}.
 *
 * <h2>Threads</h2>
 * {@link #send}, {@code on}, {@code once} and {@code off} are thread-safe; {@code MESSAGE} and
 * {@code MESSAGE_TEXT} fire on the socket's loop thread, in order with the socket's other events.
 * {@link #receive(Duration)} is for any thread but that one.
 */
public final class MessageChannel {

    /**
     * One whole frame from the peer. The buffer is the listeners': nothing else holds or changes it, and
     * it may be kept. Every listener gets the same buffer, so a listener that moves its position should
     * read {@code message.duplicate()} when others follow. It may share memory (never bytes) with the
     * chunk it arrived in, so keeping many small messages keeps their chunks alive.
     */
    public static final Event<MessageChannel, ByteBuffer> MESSAGE = Event.of(MessageChannel.class, "message", 0);

    /**
     * The same frames as {@link #MESSAGE}, decoded as UTF-8 text, each on its own (a frame is a whole
     * message, so no character spans two). Malformed bytes become U+FFFD, as Node's
     * {@code buffer.toString()} gives. Listeners of both keys run in the order they were added.
     */
    public static final Event<MessageChannel, String> MESSAGE_TEXT = Event.of(MessageChannel.class, "message-text", 1);

    /** Loop thread only, once reading has started. */
    private enum Reading {
        OPEN,
        /** The socket is being destroyed for a framing error; ignore what is still delivered. */
        FAILED
    }

    private final Socket socket;
    private final FrameDecoder decoder;
    private final FrameEncoder encoder;
    private final MessageListeners<ByteBuffer> listeners = new MessageListeners<>();
    private final Consumer<ByteBuffer> deliver = listeners::emit;
    /** Loop thread only: decodes MESSAGE_TEXT frames. */
    private final Utf8Decoder utf8 = new Utf8Decoder();
    private final ReentrantLock inboxLock = new ReentrantLock();
    private volatile MessageInbox inbox;
    private Reading reading = Reading.OPEN;

    private MessageChannel(Socket socket, FrameDecoder decoder, FrameEncoder encoder) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /**
     * Newline-delimited messages, such as newline-delimited JSON.
     *
     * @param maxFrameSize the longest message, in bytes without the line ending, either way
     */
    public static MessageChannel lines(Socket socket, int maxFrameSize) {
        return new MessageChannel(socket, FrameDecoder.lines(maxFrameSize), FrameEncoder.lines(maxFrameSize));
    }

    /**
     * Messages each preceded by its length as 4 big-endian bytes.
     *
     * @param maxFrameSize the longest message, in bytes without the header, either way
     */
    public static MessageChannel lengthPrefixed(Socket socket, int maxFrameSize) {
        return new MessageChannel(socket, FrameDecoder.lengthPrefixed(maxFrameSize),
                FrameEncoder.lengthPrefixed(maxFrameSize));
    }

    /** The socket underneath, for its other events, {@code pause}, {@code end} and {@code destroy}. */
    public Socket socket() {
        return socket;
    }

    // ---- sending ---------------------------------------------------------------------------------

    /**
     * Sends one message as one frame, in a single socket write (frames from several threads never
     * interleave).
     *
     * <p>Ownership: the payload's remaining bytes are copied into the frame, so the caller may reuse the
     * buffer as soon as this returns; its position is not moved.
     *
     * @return the socket's {@link Socket#write} answer: false once the queue has reached the high-water
     *         mark; wait for {@link Socket#DRAIN}
     * @throws FrameTooLargeException over the limit; nothing is sent and the socket is untouched
     * @throws NetException           {@link ErrorCode#ERR_INVALID_ARG_VALUE} for a line containing {@code \n}
     */
    public boolean send(ByteBuffer payload) {
        return socket.write(encoder.encode(payload));
    }

    /** {@link #send(ByteBuffer)} with a callback, told once (as {@link Socket#write(ByteBuffer, WriteCallback)}). */
    public boolean send(ByteBuffer payload, WriteCallback callback) {
        return socket.write(encoder.encode(payload), callback);
    }

    /** Sends the array's bytes as one message; the array is only read. */
    public boolean send(byte[] payload) {
        return socket.write(encoder.encode(payload));
    }

    /** Sends the text, UTF-8 encoded, as one message; the limit counts UTF-8 bytes. */
    public boolean send(String text) {
        return socket.write(encoder.encode(text));
    }

    // ---- listening -------------------------------------------------------------------------------

    /**
     * Adds a {@link #MESSAGE} or {@link #MESSAGE_TEXT} listener, called after those already added. The socket's own events are
     * the socket's: {@code channel.socket().on(Socket.CLOSE, ...)}.
     */
    public <T> MessageChannel on(Event<MessageChannel, T> event, Consumer<? super T> listener) {
        return add(event, listener, false);
    }

    /** Adds a listener that is removed before its first call. */
    public <T> MessageChannel once(Event<MessageChannel, T> event, Consumer<? super T> listener) {
        return add(event, listener, true);
    }

    /** Removes the first registration of this exact listener object; no-op if absent. */
    public <T> MessageChannel off(Event<MessageChannel, T> event, Consumer<? super T> listener) {
        requireOwn(event);
        listeners.remove(listener);
        return this;
    }

    @SuppressWarnings("unchecked")
    private <T> MessageChannel add(Event<MessageChannel, T> event, Consumer<? super T> listener, boolean once) {
        requireOwn(event);
        Objects.requireNonNull(listener, "listener");
        Consumer<? super ByteBuffer> frames = event == MESSAGE_TEXT
                ? new TextListener((Consumer<? super String>) listener, utf8)
                : (Consumer<? super ByteBuffer>) listener;
        if (listeners.add(frames, once)) {
            // The first MESSAGE listener: now take the socket's chunks (this starts it reading).
            socket.on(Socket.END, this::onEnd);
            socket.on(Socket.DATA, this::onData);
        }
        return this;
    }

    private static void requireOwn(Event<MessageChannel, ?> event) {
        if (event != MESSAGE && event != MESSAGE_TEXT) {
            throw new IllegalArgumentException(event + " is not an event of MessageChannel (it has MESSAGE and MESSAGE_TEXT)");
        }
    }

    /** A {@link #MESSAGE_TEXT} listener fed with frames; {@code off} finds it by the user's listener. */
    private record TextListener(Consumer<? super String> listener, Utf8Decoder utf8)
            implements MessageListeners.Adapter<ByteBuffer> {
        @Override
        public void accept(ByteBuffer frame) {
            String text = utf8.decode(frame);
            String rest = utf8.flush(); // a character cut off at the frame's end is one U+FFFD, never carried over
            listener.accept(rest.isEmpty() ? text : text + rest);
        }
    }

    // ---- blocking --------------------------------------------------------------------------------

    /**
     * Waits for the next message, for code on a plain thread (a virtual thread is fine). The first call
     * adds the channel's own {@link #MESSAGE} listener, which starts reading; from then on every message
     * goes to this queue, in order, besides any listeners. Use it instead of listeners, from one thread at
     * a time. A slow caller pushes back on the peer: at 64 queued messages the socket is paused, and
     * resumed once the caller has taken half of them.
     *
     * <p>Ownership: the message is the caller's, as {@link #MESSAGE} says.
     *
     * @param timeout how long to wait for a message to arrive
     * @return the next message, or null once the peer has ended (or the socket closed) and every message
     *         before that was taken
     * @throws TimeoutException      nothing arrived within {@code timeout}; the channel is unchanged
     * @throws NetException          the socket failed (its error is the cause), after every message before
     *                               the failure was taken
     * @throws IllegalStateException called on the thread that runs the socket's events, where it would
     *                               wait for itself
     * @throws InterruptedException  the thread was interrupted while waiting
     */
    public ByteBuffer receive(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        MessageInbox in = inbox;
        if (in == null) {
            inboxLock.lock();
            try {
                in = inbox;
                if (in == null) {
                    in = new MessageInbox(socket, this::peer);
                    on(MESSAGE, in);
                    inbox = in;
                }
            } finally {
                inboxLock.unlock();
            }
        }
        return in.receive(timeout);
    }

    // ---- loop thread -----------------------------------------------------------------------------

    private void onData(ByteBuffer chunk) {
        if (reading != Reading.OPEN) {
            return;
        }
        try {
            decoder.decode(chunk, deliver);
        } catch (FrameTooLargeException e) {
            reading = Reading.FAILED;
            socket.destroy(e.at(peer()));
        } catch (RuntimeException | Error e) {
            reading = Reading.FAILED; // a MESSAGE listener threw: the socket destroys itself with it
            throw e;
        }
    }

    private void onEnd() {
        long held = decoder.bufferedBytes();
        if (reading == Reading.OPEN && held > 0) {
            reading = Reading.FAILED;
            socket.destroy(new NetException(ErrorCode.ERR_FRAME_TRUNCATED, "read", peer(),
                    "the peer ended the stream inside a frame (" + held + " bytes of it received)", null));
        }
    }

    private String peer() {
        return peerOf(socket);
    }

    /** The address an error names for this connection: the peer's, else (an unnamed IPC peer) our own. */
    static String peerOf(Socket socket) {
        Endpoint remote = socket.remoteAddress();
        if (remote == null) {
            remote = socket.localAddress(); // an unnamed IPC peer: our own path says which connection
        }
        return remote == null ? null : remote.toString();
    }

    @Override
    public String toString() {
        return "MessageChannel[" + decoder + " on " + socket + "]";
    }
}
