package io.jnet.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link FrameDecoder#lengthPrefixed}: each frame is a 4-byte big-endian unsigned payload length, then
 * the payload.
 *
 * <p>The length is checked against the limit as soon as its four bytes are in, before any of the
 * payload is held. A payload spread over several chunks is copied into a buffer of the declared size,
 * allocated once; one inside a chunk is handed out as a view of it.
 */
final class LengthPrefixFrameDecoder implements FrameDecoder {
    static final int HEADER_BYTES = 4;

    private enum State {
        /** Reading the length; {@link #headerBytes} of it are in {@link #header}. */
        HEADER,
        /** Reading a payload into {@link #frame}. */
        PAYLOAD,
        /** A limit was broken or a receiver threw; the stream cannot be followed any more. */
        FAILED
    }

    private final int maxFrameSize;
    private State state = State.HEADER;
    private int header;
    private int headerBytes;
    private ByteBuffer frame;

    LengthPrefixFrameDecoder(int maxFrameSize) {
        this.maxFrameSize = FrameChecks.maxFrameSize(maxFrameSize);
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<? super ByteBuffer> frames) {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(frames, "frames");
        if (state == State.FAILED) {
            // Checked before the loop, so that an empty chunk is refused too, as the contract says.
            throw new IllegalStateException("length-prefix decoder failed earlier; the stream cannot be resynchronised");
        }
        try {
            int pos = chunk.position();
            int limit = chunk.limit();
            while (pos < limit) {
                switch (state) {
                    case HEADER -> pos = readHeader(chunk, pos, limit, frames);
                    case PAYLOAD -> pos = readPayload(chunk, pos, limit, frames);
                    case FAILED -> throw new IllegalStateException("unreachable");
                }
            }
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    private int readHeader(ByteBuffer chunk, int pos, int limit, Consumer<? super ByteBuffer> frames) {
        while (headerBytes < HEADER_BYTES && pos < limit) {
            header = (header << 8) | (chunk.get(pos++) & 0xFF);
            headerBytes++;
        }
        if (headerBytes < HEADER_BYTES) {
            return pos;
        }
        long length = Integer.toUnsignedLong(header);
        header = 0;
        headerBytes = 0;
        if (length > maxFrameSize) {
            throw new FrameTooLargeException("read", null, length, false, maxFrameSize);
        }
        int n = (int) length;
        if (limit - pos >= n) {
            // The common case: the whole payload is in this chunk. Hand out a view, no copy.
            frames.accept(FrameChecks.slice(chunk, pos, pos + n));
            return pos + n;
        }
        frame = ByteBuffer.allocate(n);
        state = State.PAYLOAD;
        return pos;
    }

    private int readPayload(ByteBuffer chunk, int pos, int limit, Consumer<? super ByteBuffer> frames) {
        int n = Math.min(frame.remaining(), limit - pos);
        FrameChecks.copy(chunk, pos, pos + n, frame);
        if (!frame.hasRemaining()) {
            ByteBuffer done = frame.flip();
            frame = null;
            state = State.HEADER;
            frames.accept(done);
        }
        return pos + n;
    }

    private void fail() {
        state = State.FAILED;
        frame = null;
        header = 0;
        headerBytes = 0;
    }

    @Override
    public void finish() {
        if (state == State.FAILED || (state == State.HEADER && headerBytes == 0)) {
            return;
        }
        String what = state == State.HEADER
                ? headerBytes + " of the 4 length bytes"
                : frame.position() + " of a " + frame.capacity() + "-byte payload";
        long have = bufferedBytes();
        fail();
        throw FrameChecks.truncated(what, have);
    }

    @Override
    public long bufferedBytes() {
        return switch (state) {
            case HEADER -> headerBytes;
            case PAYLOAD -> HEADER_BYTES + frame.position();
            case FAILED -> 0;
        };
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public String toString() {
        return "LengthPrefixFrameDecoder[max=" + maxFrameSize + ", " + state + "]";
    }
}
