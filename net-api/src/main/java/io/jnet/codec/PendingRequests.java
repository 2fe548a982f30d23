package io.jnet.codec;

import io.jnet.LoopExecutor;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The requests of one {@link RequestChannel} that await their reply, by correlation id, each with its
 * timeout timer on the socket's loop. Also remembers the ids of the last {@value #TIMED_OUT_REMEMBERED}
 * requests that timed out, so a reply arriving after its timeout can be told from one nobody asked for.
 *
 * <p>{@link #add} is thread-safe, so a requester on any thread writes its frame itself, in order with
 * its other writes; everything else (replies, timers, closing) runs on the loop thread.
 */
final class PendingRequests {
    static final int TIMED_OUT_REMEMBERED = 256;

    /** One request awaiting its reply; it is its own timer task, so a request costs no lambda. */
    static final class Pending implements Runnable {
        final int id;
        final CompletableFuture<ByteBuffer> reply;
        final Duration timeout;
        private final PendingRequests table;
        /** Loop thread only. */
        private LoopExecutor.Scheduled timer;

        private Pending(int id, CompletableFuture<ByteBuffer> reply, Duration timeout, PendingRequests table) {
            this.id = id;
            this.reply = reply;
            this.timeout = timeout;
            this.table = table;
        }

        /** Loop thread: starts the timer, unless the request was settled before the loop got to it. */
        void startTimer() {
            if (table.pending.get(id) == this) {
                timer = table.loop.schedule(this, timeout);
            }
        }

        @Override
        public void run() {
            table.expire(this);
        }

        private void stopTimer() {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private final LoopExecutor loop;
    private final Consumer<Pending> onTimeout;
    private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId;
    /** Loop thread only. */
    private final Map<Integer, Duration> timedOut = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Duration> eldest) {
            return size() > TIMED_OUT_REMEMBERED;
        }
    };

    /** {@code onTimeout} runs on the loop for a request whose reply did not come in time, once it is removed. */
    PendingRequests(LoopExecutor loop, Consumer<Pending> onTimeout) {
        this(loop, onTimeout, 1);
    }

    /** Starting the ids elsewhere than 1, for tests of their wrapping. */
    PendingRequests(LoopExecutor loop, Consumer<Pending> onTimeout, int firstId) {
        this.loop = loop;
        this.onTimeout = onTimeout;
        this.nextId = new AtomicInteger(firstId);
    }

    /**
     * Registers a request under a fresh id (never 0, never one still pending; ids wrap after 2^32) and
     * starts its timer on the loop. Any thread.
     */
    Pending add(CompletableFuture<ByteBuffer> reply, Duration timeout) {
        Pending p;
        while (true) {
            int id = nextId.getAndIncrement();
            if (id == 0) {
                continue;
            }
            p = new Pending(id, reply, timeout, this);
            if (pending.putIfAbsent(id, p) == null) {
                break;
            }
        }
        if (loop.inEventLoop()) {
            p.startTimer();
        } else {
            loop.execute(p::startTimer);
        }
        return p;
    }

    /** Loop thread: a request whose timer ran out. */
    private void expire(Pending p) {
        if (pending.remove(p.id, p)) {
            timedOut.put(p.id, p.timeout);
            onTimeout.accept(p);
        }
    }

    /** Loop thread: removes the request with this id and stops its timer; null if none is pending. */
    Pending take(int id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.stopTimer();
        }
        return p;
    }

    /** Any thread: removes this very request if it is still pending (its timer, if started, is left to find it gone). */
    boolean remove(Pending p) {
        return pending.remove(p.id, p);
    }

    /** Loop thread: the timeout of the request with this id if it recently timed out, else null. */
    Duration timedOutAfter(int id) {
        return timedOut.remove(id);
    }

    /** Loop thread: removes every pending request (the channel closed) and stops their timers. */
    List<Pending> drain() {
        List<Pending> all = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            if (pending.remove(p.id, p)) {
                p.stopTimer();
                all.add(p);
            }
        }
        return all;
    }

    int size() {
        return pending.size();
    }
}
