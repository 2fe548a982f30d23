package io.jnet.http;

import java.time.Duration;

/** The full response header block did not arrive within {@link HttpClient.Builder#headersTimeout} of the request being sent. */
public final class HeadersTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * @param limit  the limit that was exceeded
     * @param target what was being reached, as the user would write it ({@code GET http://host/path})
     */
    public HeadersTimeoutException(Duration limit, String target) {
        super("no complete response header block", limit, target);
    }
}
