package io.jnet.internal;

import io.jnet.ReadyState;

/**
 * The one source of truth for where a socket is in its life: the connection, our receiving side, our
 * sending side and the reading mode, each an enum, changed only by {@link #apply}, whose single
 * {@code switch} is the socket's transition table. The answer says what the socket must do next.
 *
 * <p>Loop thread only for {@link #apply}; the fields are volatile so that other threads may ask
 * ({@code readyState()}, {@code isDestroyed()}).
 */
final class SocketState {

    /** The connection's life. */
    enum Life { NEW, CONNECTING, OPEN, CLOSED }

    /** Our receiving side: {@code EOF} = the peer finished but {@code END} is still owed to listeners. */
    enum ReadSide { OPEN, EOF, ENDED }

    /** Our sending side: {@code ENDING} = end() was called and the queue is still flushing. */
    enum WriteSide { OPEN, ENDING, ENDED }

    /** Node's {@code readableFlowing}: null (reading into the buffer, nobody consuming), true, false. */
    enum Flow { NOT_STARTED, FLOWING, PAUSED }

    /** What happened. */
    enum Input {
        /** connect() was called. */
        CONNECT,
        /** The connector has a connected channel. */
        CONNECTED,
        /** A read returned end-of-stream. */
        PEER_EOF,
        /** END is being emitted to the listeners (everything before it was consumed). */
        END_EMITTED,
        /** end() was called. */
        END_CALLED,
        /** Everything queued is with the kernel (after end(): time for the FIN). */
        FLUSHED,
        /** Our FIN is sent. */
        OUTPUT_SHUT,
        /** destroy(), a failure, or both sides done. */
        CLOSE
    }

    /** What the socket does next. */
    enum Next { NOTHING, START_CONNECTING, SHUT_OUTPUT, END_OUR_SIDE, EMIT_END, CLOSE }

    volatile Life life;
    volatile ReadSide readSide = ReadSide.OPEN;
    volatile WriteSide writeSide = WriteSide.OPEN;
    volatile Flow flow;
    private final boolean allowHalfOpen;

    SocketState(Life life, Flow flow, boolean allowHalfOpen) {
        this.life = life;
        this.flow = flow;
        this.allowHalfOpen = allowHalfOpen;
    }

    /**
     * The transition table.
     *
     * @param queueEmpty whether nothing written is waiting for the kernel
     * @param consumed   whether nothing read is waiting for a consumer
     */
    Next apply(Input input, boolean queueEmpty, boolean consumed) {
        if (life == Life.CLOSED) {
            return Next.NOTHING;
        }
        switch (input) {
            case CONNECT:
                if (life != Life.NEW) {
                    throw new IllegalStateException("a socket connects once");
                }
                life = Life.CONNECTING;
                return Next.START_CONNECTING;
            case CONNECTED:
                life = Life.OPEN;
                return writeSide == WriteSide.ENDING && queueEmpty ? Next.SHUT_OUTPUT : Next.NOTHING;
            case PEER_EOF:
                if (readSide != ReadSide.OPEN) {
                    return Next.NOTHING;
                }
                readSide = ReadSide.EOF;
                // END waits for what is buffered to be consumed, and for an explicit pause() to end (Node).
                return consumed && flow != Flow.PAUSED ? Next.EMIT_END : Next.NOTHING;
            case END_EMITTED:
                readSide = ReadSide.ENDED;
                if (writeSide == WriteSide.ENDED) {
                    return Next.CLOSE;
                }
                return allowHalfOpen ? Next.NOTHING : Next.END_OUR_SIDE;
            case END_CALLED:
                if (writeSide != WriteSide.OPEN) {
                    return Next.NOTHING;
                }
                writeSide = WriteSide.ENDING;
                return life == Life.OPEN && queueEmpty ? Next.SHUT_OUTPUT : Next.NOTHING;
            case FLUSHED:
                return writeSide == WriteSide.ENDING && life == Life.OPEN ? Next.SHUT_OUTPUT : Next.NOTHING;
            case OUTPUT_SHUT:
                writeSide = WriteSide.ENDED;
                return readSide == ReadSide.ENDED ? Next.CLOSE : Next.NOTHING;
            case CLOSE:
                life = Life.CLOSED;
                return Next.CLOSE;
            default:
                throw new AssertionError(input);
        }
    }

    boolean allowsHalfOpen() {
        return allowHalfOpen;
    }

    boolean isOpen() {
        return life == Life.OPEN;
    }

    boolean isClosed() {
        return life == Life.CLOSED;
    }

    /** Whether reads should be asked of the selector. */
    boolean wantsRead(boolean bufferFull) {
        if (life != Life.OPEN || readSide != ReadSide.OPEN) {
            return false;
        }
        return switch (flow) {
            case FLOWING -> true;
            case NOT_STARTED -> !bufferFull;
            case PAUSED -> false;
        };
    }

    ReadyState readyState() {
        return switch (life) {
            case NEW, CONNECTING -> ReadyState.OPENING;
            case CLOSED -> ReadyState.CLOSED;
            case OPEN -> {
                boolean readable = readSide != ReadSide.ENDED;
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
}
