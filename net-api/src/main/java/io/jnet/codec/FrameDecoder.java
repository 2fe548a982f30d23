package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.Socket;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into frames: feed it chunks as they arrive, split or coalesced in any way, and
 * it hands out each whole frame exactly once, in order. Pure: no socket, no thread, no I/O.
 *
 * <pre>{@code
 * FrameDecoder decoder = FrameDecoder.lengthPrefixed(1 << 20);
 * socket.on(Socket.DATA, chunk -> decoder.decode(chunk, frame -> handle(frame)));
 * socket.on(Socket.END, decoder::finish);   // throws if the peer stopped inside a frame
 * }</pre>
 *
 * {@link MessageChannel} does exactly this for a {@link Socket}.
 *
 * <h2>Cost</h2>
 * A frame that lies whole inside one chunk is handed out as a view of that chunk (no copy). A frame
 * spread over several chunks is copied once, into a buffer of its exact size. Nothing is allocated per
 * byte; a frame over the limit is refused before it is held whole.
 *
 * <h2>Threads</h2>
 * Not thread-safe: confine an instance to one thread (a socket's loop thread).
 */
public interface FrameDecoder {

    /**
     * Newline-delimited frames ({@code \n}); a {@code \r} right before the {@code \n} is stripped, so
     * {@code \r\n} peers work too. A frame's length excludes its line ending; an empty line is an
     * empty frame.
     *
     * @param maxFrameSize the longest frame accepted, in bytes, at least 1
     */
    static FrameDecoder lines(int maxFrameSize) {
        return new LineFrameDecoder(maxFrameSize);
    }

    /**
     * Frames that each start with their payload length as a 4-byte big-endian unsigned integer; a
     * zero length is an empty frame.
     *
     * @param maxFrameSize the longest payload accepted, in bytes (header excluded), at least 1
     */
    static FrameDecoder lengthPrefixed(int maxFrameSize) {
        return new LengthPrefixFrameDecoder(maxFrameSize);
    }

    /**
     * Takes the next chunk and hands every frame it completes to {@code frames}, in order, before
     * returning.
     *
     * <p>Ownership: the decoder takes the chunk. Its bytes from {@code position} to {@code limit} are read
     * and must not change afterwards (frames and the buffered part of a frame may be views of them); its
     * position and limit are left as they were. Each frame handed out belongs to the receiver, which may
     * keep it and change it: no two frames share bytes and the decoder never touches a frame again. A
     * frame that is a view of a chunk keeps that chunk's memory alive while it is kept.
     *
     * <p>An exception thrown by {@code frames} propagates and leaves the decoder failed too (the rest of
     * the chunk is lost).
     *
     * @throws FrameTooLargeException a frame is over {@link #maxFrameSize()}; the decoder is then failed
     * @throws IllegalStateException  the decoder failed earlier
     */
    void decode(ByteBuffer chunk, Consumer<? super ByteBuffer> frames);

    /**
     * Ends the stream: nothing more will come.
     *
     * @throws NetException {@link ErrorCode#ERR_FRAME_TRUNCATED} naming how much of a frame had arrived, if the stream
     *                      ended inside one (a truncated frame is an error, never a silent drop)
     */
    void finish();

    /** Bytes of an unfinished frame held (including a partial length header). */
    long bufferedBytes();

    /** The longest frame accepted. */
    int maxFrameSize();
}
