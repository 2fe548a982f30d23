package io.jnet.codec;

import io.jnet.spi.EventLoop;
import io.jnet.spi.Timer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The requests of one {@link RequestChannel} that await their reply, by correlation id, each with its
 * timeout timer on the socket's loop. Also remembers the ids of the last {@value #TIMED_OUT_REMEMBERED}
 * requests that timed out, so a reply arriving after its timeout can be told from one nobody asked for.
 *
 * <p>Loop thread only: the requester hands each request to the loop, which allocates its id here, so
 * no lock is needed and ids are handed out in the order frames are written.
 */
final class PendingRequests {
    static final int TIMED_OUT_REMEMBERED = 256;

    /** One request awaiting its reply; it is its own timer task, so a request costs no lambda. */
    static final class Pending implements Runnable {
        final int id;
        final CompletableFuture<ByteBuffer> reply;
        final Duration timeout;
        private final PendingRequests table;
        private Timer timer;

        private Pending(int id, CompletableFuture<ByteBuffer> reply, Duration timeout, PendingRequests table) {
            this.id = id;
            this.reply = reply;
            this.timeout = timeout;
            this.table = table;
        }

        @Override
        public void run() {
            table.expire(this);
        }
    }

    private final EventLoop loop;
    private final Consumer<Pending> onTimeout;
    private final HashMap<Integer, Pending> pending = new HashMap<>();
    private final Map<Integer, Duration> timedOut = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Duration> eldest) {
            return size() > TIMED_OUT_REMEMBERED;
        }
    };
    private int nextId = 1;

    /** {@code onTimeout} runs on the loop for a request whose reply did not come in time, once it is removed. */
    PendingRequests(EventLoop loop, Consumer<Pending> onTimeout) {
        this.loop = loop;
        this.onTimeout = onTimeout;
    }

    /** Registers a request and starts its timer; returns its id (never 0, never one still pending). */
    int add(CompletableFuture<ByteBuffer> reply, Duration timeout) {
        int id = nextId();
        Pending p = new Pending(id, reply, timeout, this);
        pending.put(id, p);
        p.timer = loop.schedule(p, timeout.toNanos());
        return id;
    }

    private void expire(Pending p) {
        if (pending.remove(p.id, p)) {
            timedOut.put(p.id, p.timeout);
            onTimeout.accept(p);
        }
    }

    /** Ids wrap after 2^32 requests; one still pending (a very slow request) is skipped, as is 0. */
    private int nextId() {
        int id;
        do {
            id = nextId++;
        } while (id == 0 || pending.containsKey(id));
        return id;
    }

    /** Removes the request with this id and stops its timer; null if none is pending. */
    Pending take(int id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.timer.cancel();
        }
        return p;
    }

    /** The timeout of the request with this id if it is among those that recently timed out, else null. */
    Duration timedOutAfter(int id) {
        return timedOut.remove(id);
    }

    /** Removes every pending request (the channel closed) and stops their timers. */
    List<Pending> drain() {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timer.cancel();
        }
        return all;
    }

    int size() {
        return pending.size();
    }
}
