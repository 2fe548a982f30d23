package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pool's rules, driven by a fake clock and fake connections. */
class ConnectionPoolTest {

    static final class FakeConnection implements ConnectionPool.Pooled {
        final int id;
        boolean destroyed;

        FakeConnection(int id) {
            this.id = id;
        }

        @Override
        public void destroy() {
            destroyed = true;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<FakeConnection> opened = new ArrayList<>();

    private ConnectionPool<String, FakeConnection> pool(int maxPerOrigin, int maxIdle, Duration idleTimeout) {
        return new ConnectionPool<>(maxPerOrigin, maxIdle, idleTimeout, Duration.ofSeconds(1), now::get, key -> {
            FakeConnection c = new FakeConnection(opened.size());
            opened.add(c);
            return c;
        });
    }

    private static ConnectionPool.Grant<FakeConnection> granted(CompletableFuture<ConnectionPool.Grant<FakeConnection>> f) {
        assertTrue(f.isDone(), "granted at once");
        return f.join();
    }

    @Test
    void reusesAReleasedConnection() {
        var pool = pool(4, 4, Duration.ofMinutes(1));
        var first = granted(pool.acquire("a", true));
        assertFalse(first.reused());
        pool.release("a", first.connection(), true, null);
        var second = granted(pool.acquire("a", true));
        assertTrue(second.reused());
        assertSame(first.connection(), second.connection());
        assertEquals(1, opened.size());
    }

    @Test
    void reusesTheMostRecentlyReleasedFirst() {
        var pool = pool(4, 4, Duration.ofMinutes(1));
        var a = granted(pool.acquire("o", true)).connection();
        var b = granted(pool.acquire("o", true)).connection();
        pool.release("o", a, true, null);
        pool.release("o", b, true, null);
        assertSame(b, granted(pool.acquire("o", true)).connection());
        assertSame(a, granted(pool.acquire("o", true)).connection());
    }

    @Test
    void keepsOriginsApart() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var a = granted(pool.acquire("a", true)).connection();
        var b = granted(pool.acquire("b", true)).connection();
        assertNotSame(a, b);
    }

    @Test
    void queuesCallersOverTheLimitFirstInFirstOut() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var c = granted(pool.acquire("o", true)).connection();
        var w1 = pool.acquire("o", true);
        var w2 = pool.acquire("o", true);
        assertFalse(w1.isDone());
        pool.release("o", c, true, null);
        assertSame(c, granted(w1).connection());
        assertFalse(w2.isDone());
        pool.release("o", c, false, null);
        assertTrue(c.destroyed);
        var fresh = granted(w2);
        assertFalse(fresh.reused());
        assertEquals(2, opened.size());
    }

    @Test
    void skipsWaitersThatGaveUp() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var c = granted(pool.acquire("o", true)).connection();
        var cancelled = pool.acquire("o", true);
        var patient = pool.acquire("o", true);
        cancelled.cancel(true);
        pool.release("o", c, true, null);
        assertSame(c, granted(patient).connection());
    }

    @Test
    void destroysIdleConnectionsOverTheIdleLimit() {
        var pool = pool(4, 1, Duration.ofMinutes(1));
        var a = granted(pool.acquire("o", true)).connection();
        var b = granted(pool.acquire("o", true)).connection();
        pool.release("o", a, true, null);
        pool.release("o", b, true, null);
        assertTrue(a.destroyed, "the older idle one goes");
        assertFalse(b.destroyed);
        assertEquals(1, pool.idleCount("o"));
    }

    @Test
    void neverReusesPastTheIdleTimeout() {
        var pool = pool(4, 4, Duration.ofSeconds(30));
        var c = granted(pool.acquire("o", true)).connection();
        pool.release("o", c, true, null);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        var next = granted(pool.acquire("o", true));
        assertFalse(next.reused());
        assertTrue(c.destroyed);
    }

    @Test
    void honoursKeepAliveTimeoutLessAThreshold() {
        var pool = pool(4, 4, Duration.ofMinutes(5));
        var c = granted(pool.acquire("o", true)).connection();
        pool.release("o", c, true, Duration.ofSeconds(5));
        now.addAndGet(Duration.ofMillis(3_900).toNanos());
        assertSame(c, granted(pool.acquire("o", true)).connection());
        pool.release("o", c, true, Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertFalse(granted(pool.acquire("o", true)).reused());
        assertTrue(c.destroyed);
    }

    @Test
    void doesNotPoolWhenTheServerAllowsOneSecondOrLess() {
        var pool = pool(4, 4, Duration.ofMinutes(5));
        var c = granted(pool.acquire("o", true)).connection();
        pool.release("o", c, true, Duration.ofSeconds(1));
        assertTrue(c.destroyed);
    }

    @Test
    void forgetsAnIdleConnectionTheServerClosed() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var c = granted(pool.acquire("o", true)).connection();
        pool.release("o", c, true, null);
        pool.closed("o", c);
        assertEquals(0, pool.connectionCount("o"));
        assertFalse(granted(pool.acquire("o", true)).reused());
    }

    @Test
    void closedBusyConnectionFreesItsPlaceForAWaiter() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var c = granted(pool.acquire("o", true)).connection();
        var waiter = pool.acquire("o", true);
        pool.closed("o", c);
        assertFalse(granted(waiter).reused());
        pool.release("o", c, true, null); // late release of the dead one: ignored
        assertEquals(1, pool.connectionCount("o"));
    }

    @Test
    void freshAcquireSkipsIdleConnectionsAndMakesRoom() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var c = granted(pool.acquire("o", true)).connection();
        pool.release("o", c, true, null);
        var fresh = granted(pool.acquire("o", false));
        assertFalse(fresh.reused());
        assertTrue(c.destroyed);
        assertEquals(1, pool.connectionCount("o"));
    }

    @Test
    void closeDestroysIdleAndFailsWaiters() {
        var pool = pool(1, 1, Duration.ofMinutes(1));
        var busy = granted(pool.acquire("o", true)).connection();
        var waiter = pool.acquire("o", true);
        pool.close();
        assertTrue(waiter.isCompletedExceptionally());
        pool.release("o", busy, true, null);
        assertTrue(busy.destroyed, "released after close: destroyed, not pooled");
        assertTrue(pool.acquire("o", true).isCompletedExceptionally());
    }
}
