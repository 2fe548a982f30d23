package io.jnet.http;

import java.time.Duration;

/** No byte of the response body arrived for {@link HttpClient.Builder#bodyIdleTimeout}. */
public final class BodyIdleTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * @param limit  the limit that was exceeded
     * @param target what was being reached, as the user would write it ({@code GET http://host/path})
     */
    public BodyIdleTimeoutException(Duration limit, String target) {
        super("response body idle", limit, target);
    }
}
