package io.jnet.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which connection an exchange may use, per origin: at most {@code maxPerOrigin} connections (idle,
 * busy or connecting) per key, the rest of the callers queued FIFO; at most {@code maxIdlePerOrigin}
 * idle ones kept, reused LIFO (the most recently used is the least likely to have been closed by the
 * server); an idle one past its deadline is destroyed instead of reused. Knows nothing of sockets:
 * connections come from a factory and the clock is given, so tests drive it with fakes.
 *
 * <p>Thread-safe. Futures are completed and connections destroyed outside the lock, so whatever runs
 * next cannot re-enter the pool under it.
 *
 * @param <K> the origin key
 * @param <C> the connection type
 */
final class ConnectionPool<K, C extends ConnectionPool.Pooled> {

    /** A connection the pool can get rid of. */
    interface Pooled {
        /** Closes the connection now; the pool has already forgotten it. */
        void destroy();
    }

    /** A connection granted to one exchange; {@code reused} says whether it carried an exchange before. */
    record Grant<C>(C connection, boolean reused) {
    }

    private record Idle<C>(C connection, long deadlineNanos) {
    }

    private final class Origin {
        final ArrayDeque<Idle<C>> idle = new ArrayDeque<>();
        final Set<C> busy = Collections.newSetFromMap(new IdentityHashMap<>());
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        int total() {
            return idle.size() + busy.size();
        }
    }

    private record Waiter(CompletableFuture<?> future, boolean allowReuse) {
    }

    private final int maxPerOrigin;
    private final int maxIdlePerOrigin;
    private final long idleTimeoutNanos;
    private final long keepAliveThresholdNanos;
    private final LongSupplier nanoClock;
    private final Function<K, C> factory;
    private final Map<K, Origin> origins = new HashMap<>();
    private boolean closed;
    /** A lock rather than a monitor: on JDK 21 to 23 a virtual thread blocked on a monitor pins its carrier. */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param keepAliveThreshold how much sooner than a server's {@code Keep-Alive: timeout} we stop
     *                           reusing, so a request does not race the server's close
     * @param factory            opens (starts connecting) a new connection to an origin; must not block
     */
    ConnectionPool(int maxPerOrigin, int maxIdlePerOrigin, Duration idleTimeout, Duration keepAliveThreshold,
                   LongSupplier nanoClock, Function<K, C> factory) {
        if (maxPerOrigin < 1 || maxIdlePerOrigin < 0) {
            throw new IllegalArgumentException("maxPerOrigin must be at least 1 and maxIdlePerOrigin at least 0 but were "
                    + maxPerOrigin + " and " + maxIdlePerOrigin);
        }
        this.maxPerOrigin = maxPerOrigin;
        this.maxIdlePerOrigin = maxIdlePerOrigin;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.keepAliveThresholdNanos = keepAliveThreshold.toNanos();
        this.nanoClock = nanoClock;
        this.factory = factory;
    }

    /**
     * A connection for one exchange: an idle one (LIFO), else a new one while under the limit, else
     * the future completes when one frees up (FIFO). Cancelling the future gives up the place in line.
     *
     * @param allowReuse false to insist on a fresh connection (the retry after a reused one died); an
     *                   idle connection is then destroyed if that is what makes room
     */
    CompletableFuture<Grant<C>> acquire(K key, boolean allowReuse) {
        CompletableFuture<Grant<C>> future = new CompletableFuture<>();
        List<Runnable> after = new ArrayList<>(2);
        lock.lock();
        try {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("the HTTP client is closed"));
                return future;
            }
            Origin origin = origins.computeIfAbsent(key, k -> new Origin());
            evictExpired(origin, after);
            Grant<C> grant = tryGrant(key, origin, allowReuse, after);
            if (grant != null) {
                after.add(() -> future.complete(grant));
            } else {
                origin.waiters.addLast(new Waiter(future, allowReuse));
            }
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
        return future;
    }

    /** Caller holds the lock. */
    private Grant<C> tryGrant(K key, Origin origin, boolean allowReuse, List<Runnable> after) {
        if (allowReuse && !origin.idle.isEmpty()) {
            C c = origin.idle.pollLast().connection();
            origin.busy.add(c);
            return new Grant<>(c, true);
        }
        if (!allowReuse && origin.total() >= maxPerOrigin && !origin.idle.isEmpty()) {
            C stale = origin.idle.pollFirst().connection();
            after.add(stale::destroy);
        }
        if (origin.total() < maxPerOrigin) {
            C c = factory.apply(key);
            origin.busy.add(c);
            return new Grant<>(c, false);
        }
        return null;
    }

    /**
     * An exchange is done with {@code connection}. A reusable one goes to the first waiter, or to the
     * idle list (with a deadline from the idle timeout and the server's {@code Keep-Alive: timeout});
     * anything else is destroyed and its place given to the first waiter.
     *
     * @param keepAliveTimeout the server's {@code Keep-Alive: timeout}, or null
     */
    void release(K key, C connection, boolean reusable, Duration keepAliveTimeout) {
        List<Runnable> after = new ArrayList<>(2);
        lock.lock();
        try {
            Origin origin = origins.get(key);
            if (origin == null || !origin.busy.remove(connection)) {
                return; // already forgotten (the pool was closed, or it was released twice)
            }
            long lifetime = idleTimeoutNanos;
            if (keepAliveTimeout != null) {
                lifetime = Math.min(lifetime, keepAliveTimeout.toNanos() - keepAliveThresholdNanos);
            }
            if (!reusable || closed || lifetime <= 0) {
                after.add(connection::destroy);
            } else {
                origin.idle.addLast(new Idle<>(connection, nanoClock.getAsLong() + lifetime));
                if (origin.idle.size() > maxIdlePerOrigin && origin.waiters.isEmpty()) {
                    after.add(origin.idle.pollFirst().connection()::destroy);
                }
            }
            serveWaiters(key, origin, after);
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /** A connection closed by itself (the server closed an idle one, or it failed): forget it. */
    void closed(K key, C connection) {
        List<Runnable> after = new ArrayList<>(1);
        lock.lock();
        try {
            Origin origin = origins.get(key);
            if (origin == null) {
                return;
            }
            boolean known = origin.busy.remove(connection) || origin.idle.removeIf(i -> i.connection() == connection);
            if (known) {
                serveWaiters(key, origin, after);
            }
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /** Caller holds the lock. */
    private void serveWaiters(K key, Origin origin, List<Runnable> after) {
        while (!origin.waiters.isEmpty()) {
            Waiter w = origin.waiters.peekFirst();
            if (w.future().isDone()) {
                origin.waiters.pollFirst(); // cancelled while it waited
                continue;
            }
            Grant<C> grant = tryGrant(key, origin, w.allowReuse(), after);
            if (grant == null) {
                return;
            }
            origin.waiters.pollFirst();
            @SuppressWarnings("unchecked")
            CompletableFuture<Grant<C>> f = (CompletableFuture<Grant<C>>) w.future();
            after.add(() -> {
                if (!f.complete(grant)) {
                    release(key, grant.connection(), true, null); // cancelled meanwhile: give it back
                }
            });
        }
        if (origin.total() == 0) {
            origins.remove(key);
        }
    }

    private void evictExpired(Origin origin, List<Runnable> after) {
        long now = nanoClock.getAsLong();
        origin.idle.removeIf(i -> {
            if (now - i.deadlineNanos() >= 0) {
                after.add(i.connection()::destroy);
                return true;
            }
            return false;
        });
    }

    /** Idle connections of {@code key}, for tests and metrics. */
    int idleCount(K key) {
        lock.lock();
        try {
            Origin o = origins.get(key);
            return o == null ? 0 : o.idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Connections of {@code key}, idle or busy. */
    int connectionCount(K key) {
        lock.lock();
        try {
            Origin o = origins.get(key);
            return o == null ? 0 : o.total();
        } finally {
            lock.unlock();
        }
    }

    /** Destroys every idle connection and fails every waiter; busy connections are destroyed on release. */
    void close() {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Origin o : origins.values()) {
                for (Idle<C> i : o.idle) {
                    after.add(i.connection()::destroy);
                }
                o.idle.clear();
                for (Waiter w : o.waiters) {
                    after.add(() -> w.future().completeExceptionally(new IllegalStateException("the HTTP client is closed")));
                }
                o.waiters.clear();
            }
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }
}
