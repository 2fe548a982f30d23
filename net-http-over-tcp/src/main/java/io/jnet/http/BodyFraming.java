package io.jnet.http;

import java.nio.ByteBuffer;

/**
 * How the end of a response body is found (RFC 9112 §6.3): {@link FixedLengthBody},
 * {@link ChunkedBody} or {@link UntilCloseBody}. One small type per framing, so each one's rules sit
 * together and none is an {@code if} branch in another's loop.
 */
interface BodyFraming {

    /**
     * Consumes the body bytes at the front of {@code in} and hands them to {@code sink} as slices of
     * {@code in}; leaves any bytes after the body in {@code in}.
     *
     * @param base the response offset of {@code in}'s index 0, for error messages
     * @return true once the body is complete
     */
    boolean read(ByteBuffer in, long base, ResponseListener sink) throws HttpProtocolException;

    /**
     * The peer closed the connection before {@link #read} returned true.
     *
     * @param offset the response offset where the input ended
     * @throws HttpProtocolException unless the end of input is how this body ends
     */
    void endOfInput(long offset) throws HttpProtocolException;

    /** Trailer fields, once complete; empty for every framing but chunked. */
    default HttpHeaders trailers() {
        return HttpHeaders.empty();
    }

    /** Whether the connection may carry another exchange after this body. */
    boolean reusable();

    /** Hands the next {@code n} bytes of {@code in} to {@code sink} without copying them. */
    static void emit(ByteBuffer in, int n, ResponseListener sink) {
        int pos = in.position();
        ByteBuffer slice = in.slice(pos, n);
        in.position(pos + n);
        sink.onBody(slice);
    }
}
