package io.jnet.internal;

import io.jnet.Socket;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * {@code source.pipe(destination)}: every byte {@code source} reads is written to {@code destination}
 * with Node's back-pressure — the source pauses when a write returns false and resumes on the
 * destination's DRAIN — and the destination is ended when the source ends (unless told not to). It
 * reads through {@link Socket#DATA_BORROWED}, so on one loop nothing is allocated per chunk: the bytes
 * the kernel takes at once go straight from the loop's read buffer and only the rest is copied into the
 * destination's queue. When the destination closes the pipe comes apart and the source pauses, as
 * Node's {@code unpipe} leaves it.
 *
 * <p>Listeners run on each socket's own loop; pause() on the source's loop takes effect at once and
 * DRAIN's resume() reaches that loop later, so a DRAIN cannot overtake the pause it answers.
 */
final class Pipe {
    private final Socket source;
    private final Socket destination;
    private final Consumer<ByteBuffer> onData = this::onData;
    private final Runnable onDrain = this::onDrain;
    private final Runnable onEnd = this::onEnd;
    private final Consumer<Boolean> onDestinationClose = hadError -> unpipe();

    private Pipe(Socket source, Socket destination) {
        this.source = source;
        this.destination = destination;
    }

    static void start(Socket source, Socket destination, boolean end) {
        if (source == null || destination == null) {
            throw new NullPointerException(source == null ? "source" : "destination");
        }
        Pipe pipe = new Pipe(source, destination);
        destination.on(Socket.DRAIN, pipe.onDrain);
        destination.once(Socket.CLOSE, pipe.onDestinationClose);
        if (end) {
            source.once(Socket.END, pipe.onEnd);
        }
        source.on(Socket.DATA_BORROWED, pipe.onData); // last: this starts the source reading
    }

    private void onData(ByteBuffer view) {
        if (!destination.write(view)) {
            source.pause();
        }
    }

    private void onDrain() {
        source.resume();
    }

    private void onEnd() {
        destination.end();
    }

    private void unpipe() {
        source.off(Socket.DATA_BORROWED, onData);
        source.off(Socket.END, onEnd);
        destination.off(Socket.DRAIN, onDrain);
        source.pause();
    }
}
