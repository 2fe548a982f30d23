package io.jnet.codec;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link RequestChannel}; immutable.
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.defaults()
 *         .withTimeout(Duration.ofSeconds(2))
 *         .withMaxInFlight(64);
 * }</pre>
 *
 * @param maxFrameSize the longest frame body (5-byte header plus payload) sent or accepted, in bytes;
 *                     should match the peer's
 * @param maxInFlight  requests sent and not yet answered, failed or timed out, at most; a request past
 *                     it fails at once with {@link ErrorCode#ERR_TOO_MANY_REQUESTS}. On the answering
 *                     side, the number of requests whose {@code onRequestAsync} stage is unfinished at
 *                     which the socket stops reading (the peer feels back-pressure) until half of them
 *                     are answered; the frames of the chunk being read are still served, so the bound
 *                     is this plus one read's worth
 * @param timeout      how long a request waits for its reply when the call names no timeout
 */
public record RequestOptions(int maxFrameSize, int maxInFlight, Duration timeout) {
    private static final RequestOptions DEFAULTS = new RequestOptions(1 << 20, 1024, Duration.ofSeconds(30));

    public RequestOptions {
        FrameChecks.maxFrameSize(maxFrameSize);
        if (maxFrameSize < RequestFrame.HEADER_BYTES) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "maxFrameSize must leave room for the 5-byte request header but was " + maxFrameSize);
        }
        if (maxInFlight < 1) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "maxInFlight must be at least 1 but was " + maxInFlight);
        }
        requirePositive(timeout);
    }

    /** 1 MiB frames, 1 024 requests in flight, 30 s per request. */
    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public RequestOptions withMaxFrameSize(int maxFrameSize) {
        return new RequestOptions(maxFrameSize, maxInFlight, timeout);
    }

    public RequestOptions withMaxInFlight(int maxInFlight) {
        return new RequestOptions(maxFrameSize, maxInFlight, timeout);
    }

    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(maxFrameSize, maxInFlight, timeout);
    }

    static Duration requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "timeout must be positive but was " + timeout);
        }
        return timeout;
    }
}
