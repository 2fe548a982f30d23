package io.jnet.internal;

import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s over one {@link SelectorProvider}; sockets and servers are spread
 * over them round-robin and stay on their loop for life. Each transport owns one group, because a
 * provider's channels register only with that provider's selectors (junixsocket's {@code AFSelector}).
 *
 * <pre>{@code
 * EventLoopGroup group = new EventLoopGroup("jnet-tcp", SelectorProvider.provider(), 0);
 * EventLoop loop = group.next();
 * }</pre>
 *
 * <p>A loop's thread starts with its first task and ends after a quiet period with nothing to do
 * (see {@link EventLoop}). Thread-safe.
 */
public final class EventLoopGroup {
    /** System property overriding the number of loops per group (default: available processors). */
    public static final String THREADS_PROPERTY = "jnet.eventLoopThreads";

    private final String name;
    private final SelectorProvider provider;
    private final EventLoop[] loops;
    private final Duration quiet;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param name     thread name prefix ({@code jnet-tcp} gives {@code jnet-tcp-0}, {@code jnet-tcp-1}, …)
     * @param provider where the loops' selectors come from
     * @param threads  the number of loops; 0 means the {@value #THREADS_PROPERTY} property, else the
     *                 number of available processors
     */
    public EventLoopGroup(String name, SelectorProvider provider, int threads) {
        this(name, provider, threads, Duration.ofMillis(Long.getLong(EventLoop.QUIET_PROPERTY, EventLoop.DEFAULT_QUIET_MILLIS)));
    }

    /**
     * @param quiet how long a loop with nothing registered, scheduled or queued keeps its thread
     *              (see {@link EventLoop}); the other parameters as above
     */
    public EventLoopGroup(String name, SelectorProvider provider, int threads, Duration quiet) {
        this.name = name;
        this.provider = provider;
        this.quiet = quiet;
        int n = threads > 0 ? threads : Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
        this.loops = new EventLoop[Math.max(1, n)];
    }

    /** The next loop, round-robin. */
    public EventLoop next() {
        int i = Math.floorMod(next.getAndIncrement(), loops.length);
        EventLoop loop = loops[i];
        if (loop == null) {
            loop = start(i);
        }
        return loop;
    }

    private synchronized EventLoop start(int i) {
        if (loops[i] == null) {
            loops[i] = new EventLoop(name + "-" + i, provider, quiet);
        }
        return loops[i];
    }

    /** The number of loops. */
    public int size() {
        return loops.length;
    }

    @Override
    public String toString() {
        return name + "[" + loops.length + " loops]";
    }
}
