package io.jnet.http;

import java.time.Duration;

/** Connecting to the origin (name lookup included) took longer than {@link HttpClient.Builder#connectTimeout}. */
public final class ConnectTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * @param limit  the limit that was exceeded
     * @param target what was being reached, as the user would write it ({@code GET http://host/path})
     */
    public ConnectTimeoutException(Duration limit, String target) {
        super("connect timed out", limit, target);
    }
}
