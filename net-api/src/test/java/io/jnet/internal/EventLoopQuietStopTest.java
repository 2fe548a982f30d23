package io.jnet.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop's thread ends after a quiet period and comes back with the next task, losing nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopQuietStopTest {
    private static final AtomicInteger groups = new AtomicInteger();
    private static final IoHandler IGNORE = new IoHandler() {
        @Override
        public void onReady(SelectionKey key) {
        }

        @Override
        public void onFailure(Throwable failure) {
        }
    };

    private static EventLoop loop(Duration quiet) {
        String name = "quiet-test-" + groups.incrementAndGet();
        return new EventLoopGroup(name, SelectorProvider.provider(), 1, quiet).next();
    }

    private static List<Thread> threadsOf(EventLoop loop) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(loop.name())).toList();
    }

    private static Thread runOn(EventLoop loop) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        loop.execute(() -> ran.complete(Thread.currentThread()));
        return ran.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theThreadStartsWithWorkEndsWhenQuietAndAFreshOneServesTheNextTask() throws Exception {
        EventLoop loop = loop(Duration.ofMillis(50));
        assertEquals(List.of(), threadsOf(loop), "no thread before the first task");
        Thread first = runOn(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
        assertEquals(List.of(), threadsOf(loop));
        Thread second = runOn(loop);
        assertTrue(second != first && second.getName().equals(loop.name()), "a fresh thread with the loop's name");
    }

    @Test
    void aLoopWithARegisteredChannelKeepsItsThread() throws Exception {
        EventLoop loop = loop(Duration.ofMillis(20));
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            CompletableFuture<SelectionKey> key = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    key.complete(loop.register(pipe.source(), SelectionKey.OP_READ, IGNORE));
                } catch (IOException e) {
                    key.completeExceptionally(e);
                }
            });
            key.get(10, TimeUnit.SECONDS);
            Thread serving = threadsOf(loop).get(0);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(serving::isAlive);
            loop.execute(() -> key.join().cancel());
            await().atMost(Duration.ofSeconds(10)).until(() -> !serving.isAlive());
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void aTimerKeepsTheLoopUntilItFires() throws Exception {
        EventLoop loop = loop(Duration.ofMillis(1));
        CompletableFuture<Long> fired = new CompletableFuture<>();
        long start = System.nanoTime();
        loop.execute(() -> loop.schedule(() -> fired.complete(System.nanoTime()), 200, TimeUnit.MILLISECONDS));
        long at = fired.get(10, TimeUnit.SECONDS);
        assertTrue(at - start >= TimeUnit.MILLISECONDS.toNanos(200), "fired on time, not early");
    }

    @Test
    void tasksSentWhileTheLoopStopsAreNeverLostNorRunTwice() throws Exception {
        // A 1 ms quiet period makes the loop stop between most rounds, so tasks race the stop decision.
        EventLoop loop = loop(Duration.ofMillis(1));
        int rounds = 2_000;
        AtomicLong ran = new AtomicLong();
        AtomicInteger notOnTheLoop = new AtomicInteger();
        Runnable task = () -> {
            if (!loop.inEventLoop()) {
                notOnTheLoop.incrementAndGet();
            }
            ran.incrementAndGet();
        };
        Thread[] senders = new Thread[2];
        CountDownLatch done = new CountDownLatch(senders.length);
        for (int s = 0; s < senders.length; s++) {
            senders[s] = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    loop.execute(task);
                    if (i % 64 == 0) {
                        Thread.onSpinWait(); // vary the spacing a little; not synchronisation
                    }
                }
                done.countDown();
            });
            senders[s].start();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(20)).until(() -> ran.get() == 2L * rounds);
        // And quiet rounds: wait for the stop, then send once, many times.
        for (int i = 0; i < 50; i++) {
            await().atMost(Duration.ofSeconds(5)).until(() -> threadsOf(loop).isEmpty());
            runOn(loop);
        }
        assertEquals(2L * rounds + 0, ran.get(), "every task ran exactly once");
        assertEquals(0, notOnTheLoop.get());
    }
}
