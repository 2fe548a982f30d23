package io.jnet.http;

import java.nio.ByteBuffer;

/** A body of {@code Content-Length} bytes; the input ending early is an error, never a short success. */
final class FixedLengthBody implements BodyFraming {
    private final long length;
    private long remaining;

    FixedLengthBody(long length) {
        this.length = length;
        this.remaining = length;
    }

    long length() {
        return length;
    }

    @Override
    public boolean read(ByteBuffer in, long base, ResponseListener sink) {
        int n = (int) Math.min(remaining, in.remaining());
        if (n > 0) {
            BodyFraming.emit(in, n, sink);
            remaining -= n;
        }
        return remaining == 0;
    }

    @Override
    public void endOfInput(long offset) throws HttpProtocolException {
        if (remaining > 0) {
            throw new HttpProtocolException("connection closed after " + (length - remaining) + " of " + length
                    + " body bytes (Content-Length)", offset);
        }
    }

    @Override
    public boolean reusable() {
        return true;
    }
}
