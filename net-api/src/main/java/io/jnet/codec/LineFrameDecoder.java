package io.jnet.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link FrameDecoder#lines}: frames end with {@code \n}; one {@code \r} right before it is stripped.
 *
 * <p>The unfinished line is kept as views of the chunks it arrived in (the decoder owns them), and is
 * copied once, into a buffer of its exact length, when its {@code \n} arrives: the length of a line is
 * unknown until then, so collecting views avoids copying a growing buffer. The views never hold more
 * than {@code maxFrameSize + 1} bytes of line (the {@code +1} a {@code \r} that may yet be stripped).
 */
final class LineFrameDecoder implements FrameDecoder {
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private enum State {
        /** Between lines: nothing held. */
        LINE_START,
        /** Part of a line is held in {@link #parts}. */
        IN_LINE,
        /** A limit was broken or a receiver threw; the stream cannot be followed any more. */
        FAILED
    }

    private final int maxFrameSize;
    private final ArrayList<ByteBuffer> parts = new ArrayList<>(4);
    private long held;
    private State state = State.LINE_START;

    LineFrameDecoder(int maxFrameSize) {
        this.maxFrameSize = FrameChecks.maxFrameSize(maxFrameSize);
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<? super ByteBuffer> frames) {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(frames, "frames");
        if (state == State.FAILED) {
            throw new IllegalStateException("line decoder failed earlier; the stream cannot be resynchronised");
        }
        try {
            int pos = chunk.position();
            int limit = chunk.limit();
            while (pos < limit) {
                int lf = indexOfLf(chunk, pos, limit);
                if (lf < 0) {
                    hold(chunk, pos, limit);
                    return;
                }
                ByteBuffer frame = switch (state) {
                    case LINE_START -> wholeLine(chunk, pos, lf);
                    case IN_LINE -> joinedLine(chunk, pos, lf);
                    case FAILED -> throw new IllegalStateException("unreachable");
                };
                pos = lf + 1;
                frames.accept(frame);
            }
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /** A line inside one chunk: a view of it, no copy. */
    private ByteBuffer wholeLine(ByteBuffer chunk, int from, int lf) {
        int end = lf > from && chunk.get(lf - 1) == CR ? lf - 1 : lf;
        checkLength(end - from, false);
        return FrameChecks.slice(chunk, from, end);
    }

    /** The held parts plus {@code chunk[from, lf)}: copied once into a buffer of the line's size. */
    private ByteBuffer joinedLine(ByteBuffer chunk, int from, int lf) {
        boolean cr = lf > from ? chunk.get(lf - 1) == CR : lastHeldByte() == CR;
        long length = held + (lf - from) - (cr ? 1 : 0);
        checkLength(length, false);
        ByteBuffer frame = ByteBuffer.allocate((int) length);
        for (ByteBuffer part : parts) {
            int n = Math.min(part.remaining(), frame.remaining()); // the last part may end with the CR
            FrameChecks.copy(part, part.position(), part.position() + n, frame);
        }
        FrameChecks.copy(chunk, from, from + frame.remaining(), frame);
        parts.clear();
        held = 0;
        state = State.LINE_START;
        return frame.flip();
    }

    /** Keeps {@code chunk[from, to)}, the start of a line, unless the line is already over the limit. */
    private void hold(ByteBuffer chunk, int from, int to) {
        long seen = held + (to - from);
        // A line of maxFrameSize bytes may be followed by "\r\n": maxFrameSize + 1 bytes held, ending in CR.
        if (seen > maxFrameSize + 1L || (seen == maxFrameSize + 1L && chunk.get(to - 1) != CR)) {
            checkLength(seen, true);
        }
        parts.add(FrameChecks.slice(chunk, from, to));
        held = seen;
        state = State.IN_LINE;
    }

    private byte lastHeldByte() {
        ByteBuffer last = parts.get(parts.size() - 1);
        return last.get(last.limit() - 1);
    }

    private void checkLength(long length, boolean lowerBound) {
        if (length > maxFrameSize) {
            throw new FrameTooLargeException("read", null, length, lowerBound, maxFrameSize);
        }
    }

    private void fail() {
        state = State.FAILED;
        parts.clear();
        held = 0;
    }

    private static int indexOfLf(ByteBuffer chunk, int from, int to) {
        if (chunk.hasArray()) {
            byte[] a = chunk.array();
            int off = chunk.arrayOffset();
            for (int i = from + off, end = to + off; i < end; i++) {
                if (a[i] == LF) {
                    return i - off;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (chunk.get(i) == LF) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void finish() {
        if (state == State.IN_LINE) {
            long have = held;
            fail();
            throw FrameChecks.truncated("a line without its '\\n'", have);
        }
    }

    @Override
    public long bufferedBytes() {
        return held;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public String toString() {
        return "LineFrameDecoder[max=" + maxFrameSize + ", " + state + ", held=" + held + "]";
    }
}
