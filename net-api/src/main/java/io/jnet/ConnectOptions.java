package io.jnet;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client socket connects. Node's option names where Node has one; immutable; build with
 * {@link #builder()}.
 *
 * <pre>{@code
 * ConnectOptions options = ConnectOptions.builder()
 *         .noDelay(true)
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .build();
 * Socket socket = Net.createConnection(Endpoint.tcp("localhost", 8080), options, () -> ...);
 * }</pre>
 *
 * @param allowHalfOpen         keep our side writable after the peer ends (default false: end ours too)
 * @param noDelay               disable Nagle's algorithm (TCP)
 * @param keepAlive             enable TCP keep-alive probes
 * @param keepAliveInitialDelay idle time before the first keep-alive probe (zero: the system default)
 * @param highWaterMark         queued bytes at which {@link Socket#write} starts returning false
 * @param timeout               Node's {@code timeout}: the idle time after which {@link Socket#TIMEOUT} fires (zero: never)
 * @param connectTimeout        how long resolving plus connecting may take before {@link ErrorCode#ETIMEDOUT} (zero: the system's own limit)
 * @param localAddress          TCP: the local address to bind before connecting, or null
 * @param localPort             TCP: the local port to bind before connecting, or 0
 * @param family                TCP: 4 or 6 to use only that IP family when resolving; 0 for both
 * @param retry                 how {@link Net#connectAsync} retries a connect that found nobody listening
 *                              ({@link Retry#NONE}: it does not); a socket connected any other way tries once
 * @param autoSelectFamily      TCP: Happy Eyeballs (RFC 8305), Node's {@code autoSelectFamily}: when a name has
 *                              several addresses, try them with the families interleaved and start the next
 *                              attempt when the previous one has not connected within
 *                              {@code autoSelectFamilyAttemptTimeout}, earlier attempts still running; the first
 *                              to connect wins. False: one address after another, each after the previous
 *                              failed. Null (the default): {@link Net#getDefaultAutoSelectFamily()} at connect
 *                              time. Off when {@code localAddress} or {@code family} is set, as in Node.
 * @param autoSelectFamilyAttemptTimeout TCP: the head start of each attempt (at least 10 ms, as Node clamps it);
 *                              null: {@link Net#getDefaultAutoSelectFamilyAttemptTimeout()} at connect time
 * @param lookup                TCP: resolves host names instead of the JDK's resolver; null for the JDK's
 * @param hints                 TCP: getaddrinfo flags handed to {@code lookup} ({@link Lookup#ADDRCONFIG},
 *                              {@link Lookup#V4MAPPED}, {@link Lookup#ALL}); the JDK's resolver has no such
 *                              flags and ignores them
 * @param signal                Node's {@code signal}: aborting it destroys the socket with
 *                              {@link ErrorCode#ABORT_ERR}, while connecting or after; null for none
 * @param blockList             TCP: addresses never to connect to; an attempt to a listed address fails with
 *                              {@link ErrorCode#ERR_IP_BLOCKED} before any packet is sent; null for none
 */
public record ConnectOptions(
        boolean allowHalfOpen,
        boolean noDelay,
        boolean keepAlive,
        Duration keepAliveInitialDelay,
        int highWaterMark,
        Duration timeout,
        Duration connectTimeout,
        String localAddress,
        int localPort,
        int family,
        Retry retry,
        Boolean autoSelectFamily,
        Duration autoSelectFamilyAttemptTimeout,
        Lookup lookup,
        int hints,
        AbortSignal signal,
        BlockList blockList) {

    private static final ConnectOptions DEFAULTS = builder().build();

    public ConnectOptions {
        Objects.requireNonNull(keepAliveInitialDelay, "keepAliveInitialDelay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(retry, "retry");
        if (highWaterMark < 1) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "highWaterMark must be at least 1 but was " + highWaterMark);
        }
        if (family != 0 && family != 4 && family != 6) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "family must be 0, 4 or 6 but was " + family);
        }
        if (localPort < 0 || localPort > 65535) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "localPort must be 0-65535 but was " + localPort);
        }
        if (localAddress != null && Net.isIP(localAddress) == 0) {
            throw new NetException(ErrorCode.ERR_INVALID_IP_ADDRESS, "Invalid IP address: " + localAddress);
        }
        if ((hints & ~(Lookup.ADDRCONFIG | Lookup.V4MAPPED | Lookup.ALL)) != 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "The argument 'hints' is invalid. Received " + hints);
        }
        if (autoSelectFamilyAttemptTimeout != null) {
            autoSelectFamilyAttemptTimeout = Net.clampAttemptTimeout(autoSelectFamilyAttemptTimeout);
        }
        if (timeout.isNegative() || connectTimeout.isNegative() || keepAliveInitialDelay.isNegative()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "durations must not be negative (timeout " + timeout + ", connectTimeout " + connectTimeout
                            + ", keepAliveInitialDelay " + keepAliveInitialDelay + ")");
        }
    }

    /** The defaults: no half-open, Nagle on, no keep-alive, 64 KiB high-water mark, no timeouts, any family. */
    public static ConnectOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowHalfOpen = allowHalfOpen;
        b.noDelay = noDelay;
        b.keepAlive = keepAlive;
        b.keepAliveInitialDelay = keepAliveInitialDelay;
        b.highWaterMark = highWaterMark;
        b.timeout = timeout;
        b.connectTimeout = connectTimeout;
        b.localAddress = localAddress;
        b.localPort = localPort;
        b.family = family;
        b.retry = retry;
        b.autoSelectFamily = autoSelectFamily;
        b.autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout;
        b.lookup = lookup;
        b.hints = hints;
        b.signal = signal;
        b.blockList = blockList;
        return b;
    }

    /**
     * Retrying a connect while the server is not there yet — its socket file does not exist
     * ({@link ErrorCode#ENOENT}) or nobody listens ({@link ErrorCode#ECONNREFUSED}) — as when two
     * processes start together. Every other failure is final at once. The waits between attempts start
     * at {@code backoff} and double, up to {@code maxBackoff}; the last attempt is made at the deadline.
     * Each attempt is a fresh socket with these options, {@code connectTimeout} included.
     *
     * @param maxWait    how long after the first attempt the last may start; zero: no retry
     * @param backoff    the first wait between attempts
     * @param maxBackoff the longest wait between attempts
     */
    public record Retry(Duration maxWait, Duration backoff, Duration maxBackoff) {
        /** One attempt. */
        public static final Retry NONE = new Retry(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        /** The cap {@link Builder#retry(Duration, Duration)} puts on the wait between attempts. */
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);

        public Retry {
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (maxWait.isNegative() || (!maxWait.isZero() && (backoff.isNegative() || backoff.isZero()))
                    || maxBackoff.compareTo(backoff) < 0) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "retry needs maxWait >= 0, backoff > 0 and"
                        + " maxBackoff >= backoff, but was maxWait " + maxWait + ", backoff " + backoff
                        + ", maxBackoff " + maxBackoff);
            }
        }

        /** Whether more than one attempt may be made. */
        public boolean enabled() {
            return !maxWait.isZero();
        }
    }

    /** Builds {@link ConnectOptions}; not thread-safe. */
    public static final class Builder {
        private boolean allowHalfOpen;
        private boolean noDelay;
        private boolean keepAlive;
        private Duration keepAliveInitialDelay = Duration.ZERO;
        private int highWaterMark = ServerOptions.DEFAULT_HIGH_WATER_MARK;
        private Duration timeout = Duration.ZERO;
        private Duration connectTimeout = Duration.ZERO;
        private String localAddress;
        private int localPort;
        private int family;
        private Retry retry = Retry.NONE;
        private Boolean autoSelectFamily;
        private Duration autoSelectFamilyAttemptTimeout;
        private Lookup lookup;
        private int hints;
        private AbortSignal signal;
        private BlockList blockList;

        private Builder() {
        }

        public Builder allowHalfOpen(boolean allowHalfOpen) {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        public Builder noDelay(boolean noDelay) {
            this.noDelay = noDelay;
            return this;
        }

        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public Builder keepAliveInitialDelay(Duration keepAliveInitialDelay) {
            this.keepAliveInitialDelay = keepAliveInitialDelay;
            return this;
        }

        public Builder highWaterMark(int highWaterMark) {
            this.highWaterMark = highWaterMark;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder localAddress(String localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        public Builder localPort(int localPort) {
            this.localPort = localPort;
            return this;
        }

        public Builder family(int family) {
            this.family = family;
            return this;
        }

        /**
         * Lets {@link Net#connectAsync} retry for up to {@code maxWait} while nobody listens, waiting
         * {@code backoff}, then twice that, and so on up to {@link Retry#DEFAULT_MAX_BACKOFF} (or
         * {@code backoff} if longer) between attempts.
         */
        public Builder retry(Duration maxWait, Duration backoff) {
            Duration cap = backoff.compareTo(Retry.DEFAULT_MAX_BACKOFF) > 0 ? backoff : Retry.DEFAULT_MAX_BACKOFF;
            this.retry = new Retry(maxWait, backoff, cap);
            return this;
        }

        public Builder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        /** Happy Eyeballs on or off for this socket, whatever {@link Net#setDefaultAutoSelectFamily} says. */
        public Builder autoSelectFamily(boolean autoSelectFamily) {
            this.autoSelectFamily = autoSelectFamily;
            return this;
        }

        /** Each attempt's head start (clamped to at least 10 ms); null: the process-wide default. */
        public Builder autoSelectFamilyAttemptTimeout(Duration autoSelectFamilyAttemptTimeout) {
            this.autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout;
            return this;
        }

        public Builder lookup(Lookup lookup) {
            this.lookup = lookup;
            return this;
        }

        public Builder hints(int hints) {
            this.hints = hints;
            return this;
        }

        public Builder signal(AbortSignal signal) {
            this.signal = signal;
            return this;
        }

        /** Node's {@code blockList}: addresses this socket must never connect to. */
        public Builder blockList(BlockList blockList) {
            this.blockList = blockList;
            return this;
        }

        public ConnectOptions build() {
            return new ConnectOptions(allowHalfOpen, noDelay, keepAlive, keepAliveInitialDelay, highWaterMark,
                    timeout, connectTimeout, localAddress, localPort, family, retry, autoSelectFamily,
                    autoSelectFamilyAttemptTimeout, lookup, hints, signal, blockList);
        }
    }
}
