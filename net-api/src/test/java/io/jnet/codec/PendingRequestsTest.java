package io.jnet.codec;

import io.jnet.internal.EventLoop;
import io.jnet.internal.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Ids, timers and late replies of {@link PendingRequests}, on a real event loop. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PendingRequestsTest {
    private final EventLoop loop = new EventLoopGroup("pending-test", SelectorProvider.provider(), 1).next();

    @Test
    void idsWrapAfter2To32AndSkipZero() {
        PendingRequests table = new PendingRequests(loop, p -> { }, -2); // 0xFFFFFFFE
        Duration minute = Duration.ofMinutes(1);
        int a = table.add(new CompletableFuture<>(), minute).id;
        int b = table.add(new CompletableFuture<>(), minute).id;
        int c = table.add(new CompletableFuture<>(), minute).id;
        assertEquals(List.of(-2, -1, 1), List.of(a, b, c)); // 0xFFFFFFFE, 0xFFFFFFFF, then 1: never 0
    }

    @Test
    void aTimedOutRequestIsRemovedAndRememberedSoItsLateReplyCanBeTold() throws Exception {
        List<PendingRequests.Pending> expired = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> fired = new CompletableFuture<>();
        PendingRequests table = new PendingRequests(loop, p -> {
            expired.add(p);
            fired.complete(null);
        });
        PendingRequests.Pending p = table.add(new CompletableFuture<>(), Duration.ofMillis(20));
        fired.get(10, TimeUnit.SECONDS);
        assertSame(p, expired.get(0));
        onLoop(() -> {
            assertNull(table.take(p.id));
            assertEquals(Duration.ofMillis(20), table.timedOutAfter(p.id));
            assertNull(table.timedOutAfter(p.id)); // told once
        });
    }

    @Test
    void aRequestAnsweredBeforeTheLoopStartedItsTimerNeverTimesOut() throws Exception {
        List<Integer> expired = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> laterOneExpired = new CompletableFuture<>();
        PendingRequests table = new PendingRequests(loop, p -> {
            expired.add(p.id);
            if (p.timeout.toMillis() == 50) {
                laterOneExpired.complete(null);
            }
        });
        // The loop takes the request before it runs the task that would start its 1 ms timer.
        CountDownLatch added = new CountDownLatch(1);
        int[] id = new int[1];
        CompletableFuture<PendingRequests.Pending> taken = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                added.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken.complete(table.take(id[0]));
        });
        id[0] = table.add(new CompletableFuture<>(), Duration.ofMillis(1)).id;
        added.countDown();
        assertEquals(id[0], taken.get(10, TimeUnit.SECONDS).id);

        // Timers fire in deadline order: once a 50 ms one has, a 1 ms one would have too.
        int later = table.add(new CompletableFuture<>(), Duration.ofMillis(50)).id;
        laterOneExpired.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(later), expired);
    }

    private void onLoop(Runnable check) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                check.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }
}
