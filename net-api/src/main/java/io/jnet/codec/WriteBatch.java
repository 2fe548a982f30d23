package io.jnet.codec;

import io.jnet.Socket;
import io.jnet.LoopExecutor;

import java.nio.ByteBuffer;
import java.util.ArrayList;

/**
 * Frames a {@link RequestChannel} writes on the loop thread, gathered until the loop has handled the
 * I/O of this turn and then written with one {@link Socket#write}: 64 replies to the 64 requests of
 * one read leave in one system call, not 64. The flush is a task on the loop, and the loop runs its
 * tasks right after the ready sockets, so a lone frame waits no longer than the rest of this turn.
 *
 * <p>Small frames are copied into one buffer; a frame of {@value #COPY_LIMIT} bytes or more is written
 * as it is (after what was gathered before it), since copying it would cost more than the call saved.
 * Loop thread only.
 */
final class WriteBatch {
    static final int COPY_LIMIT = 16 * 1024;

    private final Socket socket;
    private final LoopExecutor loop;
    private final ArrayList<ByteBuffer> frames = new ArrayList<>();
    private final Runnable flush = this::flush;
    private int bytes;

    WriteBatch(Socket socket, LoopExecutor loop) {
        this.socket = socket;
        this.loop = loop;
    }

    /** Takes the frame (ours, ready to read); it leaves with the flush at the end of this loop turn. */
    void add(ByteBuffer frame) {
        if (frames.isEmpty()) {
            loop.execute(flush);
        }
        frames.add(frame);
        bytes += frame.remaining();
    }

    /** Writes what is gathered, in order. Harmless when empty. */
    void flush() {
        int n = frames.size();
        if (n == 0) {
            return;
        }
        if (n == 1) {
            write(frames.get(0));
        } else {
            ByteBuffer joined = null;
            int left = bytes; // not yet copied or written: sizes the next joined buffer, at most 64 KiB
            for (ByteBuffer frame : frames) {
                int r = frame.remaining();
                if (r >= COPY_LIMIT) {
                    writeJoined(joined);
                    joined = null;
                    write(frame);
                } else {
                    if (joined == null || joined.remaining() < r) {
                        writeJoined(joined);
                        joined = ByteBuffer.allocate(Math.max(r, Math.min(left, 4 * COPY_LIMIT)));
                    }
                    joined.put(frame);
                }
                left -= r;
            }
            writeJoined(joined);
        }
        frames.clear();
        bytes = 0;
    }

    private void writeJoined(ByteBuffer joined) {
        if (joined != null && joined.position() > 0) {
            write(joined.flip());
        }
    }

    private void write(ByteBuffer b) {
        if (!socket.isDestroyed()) {
            socket.write(b);
        }
    }
}
