package io.jnet.internal;

import org.junit.jupiter.api.Test;

import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers re-armed on every read (a socket's idle timeout, an HTTP exchange's deadline) are cancelled far
 * more often than they fire; the loop must not hold every cancelled one until its deadline.
 */
class EventLoopTimersTest {

    @Test
    void cancelledTimersAreSweptSoTheQueueStaysWithinTwiceTheLiveOnesAndLiveOnesStillFire() throws Exception {
        EventLoop loop = new EventLoopGroup("timers-test", SelectorProvider.provider(), 1, Duration.ofMillis(200)).next();
        AtomicInteger cancelledRan = new AtomicInteger();
        CountDownLatch liveRan = new CountDownLatch(10);
        CompletableFuture<Integer> largestQueue = new CompletableFuture<>();
        loop.execute(() -> {
            int largest = 0;
            for (int i = 0; i < 10; i++) {
                loop.schedule(liveRan::countDown, 50, TimeUnit.MILLISECONDS);
            }
            // A socket re-arming a 30 s idle timer 200 000 times: each arm cancels the one before.
            Timer previous = null;
            for (int i = 0; i < 200_000; i++) {
                if (previous != null) {
                    previous.cancel();
                }
                previous = loop.schedule(cancelledRan::incrementAndGet, 30, TimeUnit.SECONDS);
                largest = Math.max(largest, loop.queuedTimers());
            }
            previous.cancel();
            largestQueue.complete(largest);
        });
        int largest = largestQueue.get(10, TimeUnit.SECONDS);
        assertTrue(largest <= 2 * 1024 + 2, "at most 2 x the sweep floor queued, but " + largest + " were");
        assertTrue(liveRan.await(10, TimeUnit.SECONDS), "the 10 live timers fired");
        assertEquals(0, cancelledRan.get(), "no cancelled timer ran");
    }

    @Test
    void aTimerScheduledFromAnotherThreadRunsOnTheLoopAndOneCancelledFirstNeverRuns() throws Exception {
        EventLoop loop = new EventLoopGroup("timers-test", SelectorProvider.provider(), 1, Duration.ofMillis(200)).next();
        CompletableFuture<Boolean> ranOnLoop = new CompletableFuture<>();
        AtomicInteger cancelledRan = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            // Cancelled at once: often before the loop has even added it.
            loop.schedule(cancelledRan::incrementAndGet, Duration.ofMillis(20)).cancel();
        }
        loop.schedule(() -> ranOnLoop.complete(loop.inEventLoop()), Duration.ofMillis(50));
        assertTrue(ranOnLoop.get(10, TimeUnit.SECONDS), "the task ran on the loop's thread");
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(later::countDown, Duration.ofMillis(100));
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(0, cancelledRan.get(), "no cancelled timer ran");
    }
}
