package io.jnet.http;

import java.nio.ByteBuffer;

/**
 * A body with no declared length (RFC 9112 §6.3 rule 8, or a last transfer coding other than
 * chunked): it ends when the server closes the connection, which therefore cannot be reused.
 */
final class UntilCloseBody implements BodyFraming {

    @Override
    public boolean read(ByteBuffer in, long base, ResponseListener sink) {
        if (in.hasRemaining()) {
            BodyFraming.emit(in, in.remaining(), sink);
        }
        return false;
    }

    @Override
    public void endOfInput(long offset) {
        // The close is the end of this body: success.
    }

    @Override
    public boolean reusable() {
        return false;
    }
}
