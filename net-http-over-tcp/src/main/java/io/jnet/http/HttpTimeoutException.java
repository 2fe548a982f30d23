package io.jnet.http;

import java.time.Duration;

/**
 * An exchange took longer than one of the client's limits allow. The subclass says which limit:
 * {@link ConnectTimeoutException}, {@link HeadersTimeoutException} or {@link BodyIdleTimeoutException}.
 * The connection involved is destroyed.
 */
public abstract class HttpTimeoutException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final Duration limit;

    protected HttpTimeoutException(String what, Duration limit, String target) {
        super(what + " after " + limit.toMillis() + " ms (" + target + ")");
        this.limit = limit;
    }

    /** The limit that was exceeded. */
    public Duration limit() {
        return limit;
    }
}
