package io.jnet.ipc.handles;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Reassembles {@link HandleFrame}s from the channel's reads and pairs each with its descriptor. Linux
 * delivers a descriptor with the read that returns the first byte of the {@code sendmsg} it was sent
 * with, and ends that read there; so a read that brings a descriptor must be one in which a frame
 * starts, and every frame must start in a read that brought one. Anything else is a peer that does
 * not speak this format, and is refused with the byte offset and what was seen.
 *
 * <p>Owns every descriptor given to it until it hands one to {@code onFrame}; {@link #close} closes
 * what it still holds. Loop thread only.
 */
final class HandleDecoder {
    private enum State { HEADER, BODY }

    private final BiConsumer<HandleFrame, FileDescriptor> onFrame;
    private final ByteBuffer header = ByteBuffer.allocate(HandleFrame.HEADER_BYTES);
    private ByteBuffer body;
    private HandleFrame.Header parsed;
    private State state = State.HEADER;
    /** Bytes of the stream consumed before the current read. */
    private long offset;
    private long frameStart;
    /** The descriptor of the frame being reassembled; null when it came without one. */
    private FileDescriptor frameDescriptor;

    HandleDecoder(BiConsumer<HandleFrame, FileDescriptor> onFrame) {
        this.onFrame = onFrame;
    }

    /**
     * One read's bytes and the descriptors that came with it (owned by this decoder from here).
     *
     * @throws NetException {@code ERR_MALFORMED_MESSAGE} or {@code ERR_HANDLE_WITHOUT_DESCRIPTOR};
     *         every descriptor given is closed by then
     */
    void accept(ByteBuffer chunk, FileDescriptor[] descriptors) {
        long readStart = offset;
        long readEnd = offset + chunk.remaining();
        FileDescriptor arrived = null;
        try {
            if (descriptors.length > 1) {
                throw HandleFrame.malformed(readStart, descriptors.length + " descriptors came with bytes "
                        + readStart + ".." + readEnd + "; a handle frame carries exactly one");
            }
            if (descriptors.length == 1) {
                arrived = descriptors[0];
            }
            while (chunk.hasRemaining()) {
                if (state == State.HEADER && header.position() == 0) {
                    frameStart = offset;
                    frameDescriptor = arrived; // the first frame starting in this read owns what came with it
                    arrived = null;
                }
                if (state == State.HEADER) {
                    offset += copy(chunk, header);
                    if (!header.hasRemaining()) {
                        parsed = HandleFrame.Header.read(header.flip(), frameStart);
                        if (frameDescriptor == null) {
                            throw new NetException(ErrorCode.ERR_HANDLE_WITHOUT_DESCRIPTOR, "recvmsg", null,
                                    "the " + parsed.kind() + " frame at byte " + frameStart
                                            + " came without its descriptor (SCM_RIGHTS on its first byte)", null);
                        }
                        body = ByteBuffer.allocate(parsed.bodyBytes());
                        state = State.BODY;
                    }
                }
                if (state == State.BODY) {
                    offset += copy(chunk, body);
                    if (!body.hasRemaining()) {
                        HandleFrame frame = HandleFrame.of(parsed, body.flip());
                        FileDescriptor fd = frameDescriptor;
                        frameDescriptor = null;
                        header.clear();
                        body = null;
                        state = State.HEADER;
                        onFrame.accept(frame, fd);
                    }
                }
            }
            if (arrived != null) {
                throw HandleFrame.malformed(readStart, "a descriptor came with bytes " + readStart + ".." + readEnd
                        + ", where no handle frame starts");
            }
        } catch (RuntimeException e) {
            Descriptors.close(arrived);
            close();
            throw e;
        }
    }

    /** Closes the descriptor of a frame not yet complete (the channel failed or closed). */
    void close() {
        Descriptors.close(frameDescriptor);
        frameDescriptor = null;
    }

    /** Whether a frame is half read (the channel closing now truncates it). */
    boolean inFrame() {
        return state == State.BODY || header.position() > 0;
    }

    private static int copy(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        int limit = from.limit();
        from.limit(from.position() + n);
        to.put(from);
        from.limit(limit);
        return n;
    }
}
