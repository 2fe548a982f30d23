package io.jnet;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a {@link Server} listens and how it sets up the sockets it accepts. Node's option names where
 * Node has one; immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.builder()
 *         .allowHalfOpen(true)
 *         .maxConnections(10_000)
 *         .build();
 * Server server = Net.createServer(options, socket -> ...);
 * }</pre>
 *
 * @param backlog               the accept queue length handed to the kernel
 * @param allowHalfOpen         keep our side writable after the peer ends (default false: end ours too)
 * @param pauseOnConnect        accepted sockets start paused; call {@link Socket#resume()} to read
 * @param noDelay               disable Nagle's algorithm on accepted TCP sockets (Node's default: false)
 * @param keepAlive             enable TCP keep-alive probes on accepted sockets
 * @param keepAliveInitialDelay idle time before the first keep-alive probe (zero: the system default)
 * @param highWaterMark         queued bytes at which {@link Socket#write} starts returning false
 * @param maxConnections        connections beyond this many are closed at once and {@link Server#DROP} fires; 0 = no limit
 * @param readableAll           IPC: let every local user read the socket file (Node's {@code readableAll})
 * @param writableAll           IPC: let every local user connect to the socket file (Node's {@code writableAll})
 * @param reclaimStale          IPC: replace a stale socket file (one nobody listens on) instead of failing
 * @param allowPeer             IPC: a connection whose peer this refuses is closed before {@code CONNECTION}; null admits all
 * @param blockList             TCP: a connection from an address on this list is closed before {@code CONNECTION} and
 *                              reported on {@link Server#DROP} with {@link Drop.Reason#BLOCKED}; null admits all
 *                              (Node's {@code blockList}). The list is read at each accept, so rules added later apply.
 * @param reusePort             TCP: set {@code SO_REUSEPORT} so several servers (or processes) may listen on one port
 *                              and the kernel spreads connections between them (Node's {@code reusePort}); listening
 *                              fails with {@link ErrorCode#ERR_INVALID_ARG_VALUE} where the JDK does not offer the option.
 *                              IPC ignores it.
 */
public record ServerOptions(
        int backlog,
        boolean allowHalfOpen,
        boolean pauseOnConnect,
        boolean noDelay,
        boolean keepAlive,
        Duration keepAliveInitialDelay,
        int highWaterMark,
        int maxConnections,
        boolean readableAll,
        boolean writableAll,
        boolean reclaimStale,
        Predicate<PeerCredentials> allowPeer,
        BlockList blockList,
        boolean reusePort) {

    /** Node's default backlog. */
    public static final int DEFAULT_BACKLOG = 511;
    /** 64 KiB: one full read from the loop fits below it, so an echo never stalls on its own chunk. */
    public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;

    private static final ServerOptions DEFAULTS = builder().build();

    public ServerOptions {
        Objects.requireNonNull(keepAliveInitialDelay, "keepAliveInitialDelay");
        if (backlog < 1) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "backlog must be at least 1 but was " + backlog);
        }
        if (highWaterMark < 1) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "highWaterMark must be at least 1 but was " + highWaterMark);
        }
        if (maxConnections < 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "maxConnections must be 0 (no limit) or more but was " + maxConnections);
        }
        if (keepAliveInitialDelay.isNegative()) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "keepAliveInitialDelay must not be negative but was " + keepAliveInitialDelay);
        }
    }

    /** The defaults: backlog 511, no half-open, not paused, Nagle on, no keep-alive, 64 KiB high-water mark, no limit, owner-only socket files. */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.backlog = backlog;
        b.allowHalfOpen = allowHalfOpen;
        b.pauseOnConnect = pauseOnConnect;
        b.noDelay = noDelay;
        b.keepAlive = keepAlive;
        b.keepAliveInitialDelay = keepAliveInitialDelay;
        b.highWaterMark = highWaterMark;
        b.maxConnections = maxConnections;
        b.readableAll = readableAll;
        b.writableAll = writableAll;
        b.reclaimStale = reclaimStale;
        b.allowPeer = allowPeer;
        b.blockList = blockList;
        b.reusePort = reusePort;
        return b;
    }

    /** Builds {@link ServerOptions}; not thread-safe. */
    public static final class Builder {
        private int backlog = DEFAULT_BACKLOG;
        private boolean allowHalfOpen;
        private boolean pauseOnConnect;
        private boolean noDelay;
        private boolean keepAlive;
        private Duration keepAliveInitialDelay = Duration.ZERO;
        private int highWaterMark = DEFAULT_HIGH_WATER_MARK;
        private int maxConnections;
        private boolean readableAll;
        private boolean writableAll;
        private boolean reclaimStale;
        private Predicate<PeerCredentials> allowPeer;
        private BlockList blockList;
        private boolean reusePort;

        private Builder() {
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public Builder allowHalfOpen(boolean allowHalfOpen) {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        public Builder pauseOnConnect(boolean pauseOnConnect) {
            this.pauseOnConnect = pauseOnConnect;
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

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder readableAll(boolean readableAll) {
            this.readableAll = readableAll;
            return this;
        }

        public Builder writableAll(boolean writableAll) {
            this.writableAll = writableAll;
            return this;
        }

        public Builder reclaimStale(boolean reclaimStale) {
            this.reclaimStale = reclaimStale;
            return this;
        }

        public Builder allowPeer(Predicate<PeerCredentials> allowPeer) {
            this.allowPeer = allowPeer;
            return this;
        }

        /**
         * Refuses peers on {@code blockList} before {@code CONNECTION} ({@link Drop.Reason#BLOCKED}).
         *
         * <pre>{@code
         * BlockList blocked = new BlockList().addSubnet("192.0.2.0", 24);
         * ServerOptions.builder().blockList(blocked).build();
         * }</pre>
         */
        public Builder blockList(BlockList blockList) {
            this.blockList = blockList;
            return this;
        }

        /** Sets {@code SO_REUSEPORT} on the listening TCP socket: one port, several servers, the kernel balancing. */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(backlog, allowHalfOpen, pauseOnConnect, noDelay, keepAlive,
                    keepAliveInitialDelay, highWaterMark, maxConnections, readableAll, writableAll,
                    reclaimStale, allowPeer, blockList, reusePort);
        }
    }
}
