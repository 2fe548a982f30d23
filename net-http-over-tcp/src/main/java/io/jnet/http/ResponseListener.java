package io.jnet.http;

import java.nio.ByteBuffer;

/**
 * What a {@link ResponseParser} reports, in order: one {@link #onHead}, any number of
 * {@link #onBody}, one {@link #onComplete}. Called on the thread that feeds the parser.
 */
interface ResponseListener {

    /** The final (non-1xx) status line and headers. */
    void onHead(ResponseHead head);

    /**
     * Body bytes (transfer coding removed). The buffer is a slice sharing the content of the buffer
     * that was fed to the parser: the listener may keep it as long as it may keep that one, and must
     * not change its content.
     */
    void onBody(ByteBuffer slice);

    /** The body is complete; {@code trailers} is empty unless a chunked body sent some. */
    void onComplete(HttpHeaders trailers);
}
