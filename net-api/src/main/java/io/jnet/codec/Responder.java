package io.jnet.codec;

import io.jnet.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The answering side of a {@link RequestChannel}: runs the handler for each request and sends exactly
 * one REPLY or ERROR frame for it, whatever the handler does (returns, throws, returns null, fails its
 * stage, returns a reply over the frame limit). The handler runs on the loop thread; a stage may
 * complete on any thread, and the frame is written from there.
 */
final class Responder {
    private static final Logger log = LoggerFactory.getLogger(Responder.class);

    /** What answers requests: a plain function costs no stage per request. */
    sealed interface Handler permits Sync, Async {
    }

    record Sync(Function<? super ByteBuffer, ? extends ByteBuffer> fn) implements Handler {
    }

    record Async(Function<? super ByteBuffer, ? extends CompletionStage<? extends ByteBuffer>> fn) implements Handler {
    }

    private final Socket socket;
    private final int maxFrameSize;
    private final Consumer<ByteBuffer> write;
    private final int maxServing;
    /** Requests whose stage has not completed yet. */
    private final AtomicInteger serving = new AtomicInteger();
    /** Whether we paused the socket because of {@link #serving}. */
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile Handler handler;

    /**
     * {@code write} sends a whole frame; it is called on the loop thread or wherever a stage completes.
     * At {@code maxServing} unfinished stages the socket stops reading until half of them are answered.
     */
    Responder(Socket socket, int maxFrameSize, int maxServing, Consumer<ByteBuffer> write) {
        this.socket = socket;
        this.maxFrameSize = maxFrameSize;
        this.maxServing = maxServing;
        this.write = write;
    }

    /**
     * Counts a stage started (+1) or completed (-1) and pauses or resumes the socket. Each side re-checks
     * after flipping the flag, since a completion on another thread may slip in between the count and
     * the flag; without that the socket could stay paused with nothing left to resume it.
     */
    private void serving(int delta) {
        int now = serving.addAndGet(delta);
        if (now >= maxServing && paused.compareAndSet(false, true)) {
            socket.pause();
            if (serving.get() <= maxServing / 2 && paused.compareAndSet(true, false)) {
                socket.resume();
            }
        } else if (now <= maxServing / 2 && paused.compareAndSet(true, false)) {
            socket.resume();
            if (serving.get() >= maxServing && paused.compareAndSet(false, true)) {
                socket.pause();
            }
        }
    }

    /** Requests being served: their handler's stage has not completed. */
    int serving() {
        return serving.get();
    }

    /** Any thread: replaces the handler; requests already being served keep theirs. */
    void handleWith(Handler handler) {
        this.handler = handler;
    }

    /** Loop thread: answers one request, now (a plain handler) or when its stage completes. */
    void serve(int id, ByteBuffer request) {
        Handler h = handler;
        if (h == null) {
            replyError(id, "no request handler on " + socket.localAddress());
            return;
        }
        CompletionStage<? extends ByteBuffer> stage;
        try {
            if (h instanceof Sync sync) {
                ByteBuffer reply = sync.fn.apply(request);
                if (reply == null) {
                    replyError(id, "the request handler returned null");
                } else {
                    reply(id, reply);
                }
                return;
            }
            stage = ((Async) h).fn.apply(request);
        } catch (RuntimeException e) {
            replyError(id, describe(e));
            return;
        }
        if (stage == null) {
            replyError(id, "the request handler returned a null stage");
            return;
        }
        serving(+1);
        stage.whenComplete((reply, e) -> {
            serving(-1);
            if (e != null) {
                replyError(id, describe(e));
            } else if (reply == null) {
                replyError(id, "the request handler returned null");
            } else {
                reply(id, reply);
            }
        });
    }

    private void reply(int id, ByteBuffer reply) {
        ByteBuffer frame;
        try {
            frame = RequestFrame.encode(RequestFrame.REPLY, id, reply, maxFrameSize);
        } catch (FrameTooLargeException e) {
            log.warn("{}: the reply to request {} is too large to send: {}", socket, Integer.toUnsignedString(id), e.getMessage());
            replyError(id, "the reply of " + reply.remaining() + " bytes exceeds the maximum frame size of "
                    + maxFrameSize + " bytes (5 of them the header)");
            return;
        }
        write.accept(frame);
    }

    private void replyError(int id, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int room = maxFrameSize - RequestFrame.HEADER_BYTES;
        if (text.length > room) {
            text = Arrays.copyOf(text, room); // a character cut in two arrives as U+FFFD
        }
        write.accept(RequestFrame.encode(RequestFrame.ERROR, id, ByteBuffer.wrap(text), maxFrameSize));
    }

    private static String describe(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

}
