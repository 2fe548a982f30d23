package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

/**
 * The peer answered a request with an error reply: its handler threw, or its stage failed. Code
 * {@link ErrorCode#ERR_REQUEST_FAILED}; the peer's own words are in {@link #remoteMessage()}.
 *
 * <pre>{@code
 * channel.request(query).exceptionally(e -> {
 *     if (e.getCause() instanceof RequestFailedException failed) {
 *         log.warn("request {} refused: {}", failed.id(), failed.remoteMessage());
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class RequestFailedException extends NetException {
    private static final long serialVersionUID = 1L;

    private final int id;
    private final String remoteMessage;

    RequestFailedException(int id, String remoteMessage, String address) {
        super(ErrorCode.ERR_REQUEST_FAILED, "request", address,
                "request " + Integer.toUnsignedString(id) + " failed at the peer: " + remoteMessage, null);
        this.id = id;
        this.remoteMessage = remoteMessage;
    }

    /** The correlation id of the request (unsigned). */
    public int id() {
        return id;
    }

    /** What the peer said, as it said it. */
    public String remoteMessage() {
        return remoteMessage;
    }
}
