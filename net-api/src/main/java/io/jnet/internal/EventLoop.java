package io.jnet.internal;

import io.jnet.LoopExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One thread, one {@link Selector}, a task queue and a timer queue: every channel registered here has
 * its I/O and its events handled on this thread, in order.
 *
 * <pre>{@code
 * EventLoop loop = group.next();
 * loop.execute(() -> loop.register(channel, SelectionKey.OP_READ, handler));
 * }</pre>
 *
 * <p>{@link #execute} is thread-safe; wake-ups are batched, so many tasks queued while the loop is busy
 * cost one {@code wakeup()} or none. {@link #register}, {@link #schedule} and {@link #readBuffer} are
 * loop-thread only. Loop threads are daemons; what keeps the JVM alive is decided by open sockets and
 * servers.
 *
 * <p>The thread comes and goes with the work: it starts with the first task, and once the loop has had
 * no channel, timer or task for a quiet period ({@value #QUIET_PROPERTY}, default
 * {@value #DEFAULT_QUIET_MILLIS} ms) it closes its selector, drops its read buffer and ends; the next
 * task starts a fresh one. So an application that has closed everything holds no jnet thread, file
 * descriptor or direct memory, and a test can assert exactly that. Channels stay pinned to the
 * {@code EventLoop} object; a loop with a registered channel never stops.
 */
public final class EventLoop implements LoopExecutor {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Bytes one read may take; also the size of the chunk a loop reads before handing it out. */
    public static final int READ_BUFFER_SIZE = 64 * 1024;
    /** Small writes staged into one for a transport that cannot gather: one socket buffer's worth. */
    public static final int WRITE_STAGE_SIZE = 16 * 1024;

    /** System property: milliseconds a loop with nothing to do waits before its thread ends. */
    public static final String QUIET_PROPERTY = "jnet.loop.quietMillis";
    public static final long DEFAULT_QUIET_MILLIS = 1000;

    private static final int AWAKE = 0;
    private static final int SELECTING = 1;
    /** Tasks run per iteration before I/O gets another turn, so a flood of tasks cannot starve sockets. */
    private static final int MAX_TASKS_PER_ITERATION = 1024;
    private static final int MIN_TIMER_SWEEP = 1024;

    static {
        // Loaded up front: timers are how a server rests after EMFILE, when loading a class from a
        // directory on the class path may itself fail for want of a descriptor.
        new Timer(EventLoop::noop, 0, 0).cancel();
    }

    private static void noop() {
    }

    /** Whether a thread serves this loop. Only the thread that moves it to RUNNING starts one. */
    private enum Run { STOPPED, RUNNING }

    private final String name;
    private final SelectorProvider provider;
    private final long quietNanos;
    private final AtomicReference<Run> run = new AtomicReference<>(Run.STOPPED);
    /** The current thread's selector and the thread; replaced together, before the thread starts. */
    private volatile Selector selector;
    private volatile Thread thread;
    /** True while ready keys are handed to their handlers (loop thread only): no select may run then. */
    private boolean dispatching;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Loop thread only; allocated on first use by each thread, dropped when it ends. */
    private ByteBuffer readBuffer;
    /** Made on first use by a transport that cannot gather writes; dropped with the read buffer. */
    private ByteBuffer writeStage;
    private long timerSequence;
    /**
     * Cancelled timers stay in the queue until due (a socket re-arms its idle timer on every read), so
     * when the queue has doubled since it was last swept, the cancelled ones are dropped: memory stays
     * within twice the live timers, for an amortised constant cost per schedule.
     */
    private int sweepTimersAt = MIN_TIMER_SWEEP;

    EventLoop(String name, SelectorProvider provider) {
        this(name, provider, Duration.ofMillis(Long.getLong(QUIET_PROPERTY, DEFAULT_QUIET_MILLIS)));
    }

    EventLoop(String name, SelectorProvider provider, Duration quiet) {
        this.name = name;
        this.provider = provider;
        this.quietNanos = Math.max(1, quiet.toNanos());
    }

    /** The loop's thread name, such as {@code jnet-tcp-0}. */
    public String name() {
        return name;
    }

    /** Whether the caller runs on this loop's thread. */
    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Every loop thread alive (weakly held), so any code can ask whether it runs on one. */
    private static final java.util.Set<Thread> LOOP_THREADS =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /** Whether {@code t} is the thread of some jnet event loop. */
    public static boolean isLoopThread(Thread t) {
        return LOOP_THREADS.contains(t);
    }

    /** Thread-safe: on the loop it is {@link #schedule(Runnable, long)}; elsewhere the timer is added there. */
    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
        long nanos = delay.toNanos();
        if (inEventLoop()) {
            return schedule(task, nanos);
        }
        long deadline = System.nanoTime() + Math.max(0, nanos);
        OffLoopTimer handle = new OffLoopTimer();
        execute(() -> {
            if (!handle.cancelled) {
                handle.timer = schedule(task, deadline - System.nanoTime());
                if (handle.cancelled) { // cancelled while we were adding it
                    handle.timer.cancel();
                }
            }
        });
        return handle;
    }

    /** A timer asked for off the loop: cancellable before the loop has added it. */
    private static final class OffLoopTimer implements Scheduled {
        volatile boolean cancelled;
        volatile Timer timer;

        @Override
        public void cancel() {
            cancelled = true;
            Timer t = timer;
            if (t != null) {
                t.cancel();
            }
        }
    }

    /**
     * Queues a task to run on the loop thread, after those already queued; starts the thread if the loop
     * was stopped. Thread-safe.
     *
     * @throws UncheckedIOException if the loop was stopped and no selector can be opened (out of file
     *                              descriptors); the task is not queued
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        // Paired with stopIfStillQuiet(): it publishes STOPPED, then looks at the queue; we published the
        // task, then look at the state. One of the two sees the other, so no task is left without a thread.
        if (run.get() == Run.STOPPED && run.compareAndSet(Run.STOPPED, Run.RUNNING)) {
            start(task);
            return;
        }
        // Only the first task queued while the loop sleeps in select() pays for a wakeup.
        if (wakeState.get() == SELECTING && wakeState.compareAndSet(SELECTING, AWAKE)) {
            selector.wakeup();
        }
    }

    private void start(Runnable firstTask) {
        Selector s;
        try {
            s = provider.openSelector();
        } catch (IOException | RuntimeException e) {
            tasks.remove(firstTask);
            run.set(Run.STOPPED);
            throw new UncheckedIOException("cannot start event loop " + name + ": opening a selector failed: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        wakeState.set(AWAKE);
        selector = s;
        Thread t = new Thread(() -> run(s), name);
        t.setDaemon(true);
        LOOP_THREADS.add(t);
        thread = t;
        t.start();
    }

    /**
     * Lets the selector release, now, the channels closed since its last select. The JDK closes a
     * registered channel's descriptor only when its selector next selects, so until then a closed
     * listening socket still completes handshakes that are then reset; a server that promises to stop
     * accepting at once calls this after closing. Loop thread only. Inside the dispatch of ready keys it
     * does nothing (the release then happens at the select that ends the current turn).
     *
     * @throws IOException if the selector fails
     */
    public void releaseClosedChannels() throws IOException {
        assertInLoop();
        if (dispatching) {
            return;
        }
        if (selector.selectNow() > 0) {
            processSelectedKeys(); // what that select found ready is served now, not left for a later turn
        }
    }

    /**
     * Registers a channel with this loop's selector. Loop thread only.
     *
     * @throws ClosedChannelException if the channel is closed
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        assertInLoop();
        return channel.register(selector, ops, handler);
    }

    /** Runs {@code task} on the loop after {@code delayNanos}; loop thread only. Cancel with {@link Timer#cancel()}. */
    public Timer schedule(Runnable task, long delayNanos) {
        assertInLoop();
        if (timers.size() >= sweepTimersAt) {
            timers.removeIf(Timer::isCancelled);
            sweepTimersAt = Math.max(MIN_TIMER_SWEEP, 2 * timers.size());
        }
        Timer timer = new Timer(task, System.nanoTime() + Math.max(0, delayNanos), timerSequence++);
        timers.add(timer);
        return timer;
    }

    /** Runs {@code task} on the loop after {@code delay}; loop thread only. */
    public Timer schedule(Runnable task, long delay, TimeUnit unit) {
        return schedule(task, unit.toNanos(delay));
    }

    /** Timers queued, cancelled ones included (for tests). Loop thread only. */
    int queuedTimers() {
        assertInLoop();
        return timers.size();
    }

    /**
     * The loop's reusable direct read buffer ({@link #READ_BUFFER_SIZE} bytes). Loop thread only; its
     * contents are valid until the caller returns to the loop, so copy out what must be kept.
     */
    public ByteBuffer readBuffer() {
        assertInLoop();
        ByteBuffer b = readBuffer;
        if (b == null) {
            b = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
            readBuffer = b;
        }
        return b;
    }

    /**
     * The loop's reusable direct buffer for staging small queued writes into one
     * ({@link #WRITE_STAGE_SIZE} bytes), for transports whose channels cannot gather. Loop thread only;
     * free again once the write that used it returns.
     */
    public ByteBuffer writeStage() {
        assertInLoop();
        ByteBuffer b = writeStage;
        if (b == null) {
            b = ByteBuffer.allocateDirect(WRITE_STAGE_SIZE);
            writeStage = b;
        }
        return b;
    }

    private void assertInLoop() {
        if (!inEventLoop()) {
            throw new IllegalStateException("must be called on event loop " + name + ", not on "
                    + Thread.currentThread().getName());
        }
    }

    private void run(Selector own) {
        long quietSince = System.nanoTime();
        while (true) {
            try {
                select();
                processSelectedKeys();
                runDueTimers();
                runTasks();
                if (!isQuiet(own)) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= quietNanos) {
                    if (stopIfStillQuiet()) {
                        closeQuietly(own);
                        return;
                    }
                    quietSince = System.nanoTime();
                }
            } catch (Throwable t) {
                // A bug in one handler must not take every other socket on this loop down with it.
                log.error("event loop {} caught an unexpected error; it keeps running", name, t);
            }
        }
    }

    /** Nothing registered (cancelled keys are gone after a select), no live timer, no task. */
    private boolean isQuiet(Selector own) {
        return own.keys().isEmpty() && nextTimerMillis() < 0 && tasks.isEmpty();
    }

    /** True if this thread must end: STOPPED is published and either no task came, or a new thread took over. */
    private boolean stopIfStillQuiet() {
        readBuffer = null;
        writeStage = null;
        run.set(Run.STOPPED);
        if (tasks.isEmpty()) {
            return true;
        }
        // A task arrived meanwhile: carry on with it, unless its sender already started a new thread.
        return !run.compareAndSet(Run.STOPPED, Run.RUNNING);
    }

    private void closeQuietly(Selector own) {
        try {
            own.close();
        } catch (IOException e) {
            log.debug("event loop {}: closing its selector failed", name, e);
        }
    }

    private void select() throws IOException {
        if (!tasks.isEmpty()) {
            selector.selectNow();
            return;
        }
        wakeState.set(SELECTING);
        try {
            // Re-check after announcing we select: a task queued in between either sees SELECTING and
            // wakes us, or is seen here.
            if (!tasks.isEmpty()) {
                selector.selectNow();
                return;
            }
            long timeoutMillis = nextTimerMillis();
            if (timeoutMillis < 0) {
                // No timer: still come back after a quiet period, to see whether the loop can stop. (Keys
                // cancelled just now leave keys() only inside this select, so it cannot be asked before.)
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(quietNanos)));
            } else if (timeoutMillis == 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMillis);
            }
        } finally {
            wakeState.set(AWAKE);
        }
    }

    /** Milliseconds to the next timer (rounded up), 0 if one is due, -1 if there are none. */
    private long nextTimerMillis() {
        Timer next;
        while ((next = timers.peek()) != null && next.isCancelled()) {
            timers.poll();
        }
        if (next == null) {
            return -1;
        }
        long nanos = next.deadlineNanos - System.nanoTime();
        return nanos <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
    }

    /**
     * junixsocket's selector reports poll(2)'s POLLHUP/POLLERR (the peer closed) by making the key invalid,
     * and cancels it at the next select, while the channel is still open with its end of stream or error
     * unread. Such a key goes to its handler this once, so the socket can read what is left. A JDK key is
     * invalid only when cancelled or closed, and then {@code readyOps()} throws or the channel is closed.
     */
    private static boolean hungUp(SelectionKey key) {
        if (!key.channel().isOpen()) {
            return false;
        }
        try {
            key.readyOps();
            return true;
        } catch (java.nio.channels.CancelledKeyException cancelled) {
            return false;
        }
    }

    private void processSelectedKeys() {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return;
        }
        Iterator<SelectionKey> it = selected.iterator();
        dispatching = true;
        try {
            dispatchEach(it);
        } finally {
            dispatching = false;
        }
    }

    private void dispatchEach(Iterator<SelectionKey> it) {
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid() && !hungUp(key)) {
                continue;
            }
            IoHandler handler = (IoHandler) key.attachment();
            try {
                handler.onReady(key);
            } catch (Throwable t) {
                log.error("event loop {}: handler {} threw", name, handler, t);
                try {
                    handler.onFailure(t);
                } catch (Throwable again) {
                    log.error("event loop {}: handler {} failed to handle its own failure; closing its channel", name, handler, again);
                    key.cancel();
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // Already failing twice; nothing better to do with this channel.
                    }
                }
            }
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        Timer timer;
        while ((timer = timers.peek()) != null && timer.deadlineNanos - now <= 0) {
            timers.poll();
            if (!timer.isCancelled()) {
                safeRun(timer.task);
            }
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            safeRun(task);
        }
    }

    private void safeRun(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("event loop {}: task {} threw; the loop keeps running", name, task, t);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
