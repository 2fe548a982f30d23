package io.jnet.testkit;

import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A socket's or a server's events in the order they fired, as short strings, for assertions.
 *
 * <pre>{@code
 * Socket client = Net.socket(server.endpoint(), ConnectOptions.defaults());
 * EventTrace trace = EventTrace.of(client);   // before connect(): nothing can be missed
 * client.connect();
 * client.end("hello");
 * trace.awaitEvent("close false", Duration.ofSeconds(5))
 *      .assertSequence("connect", "data 5", "end", "close false");
 * }</pre>
 *
 * <p>The strings: for a socket {@code connect}, {@code data <bytes>} (one per chunk), {@code end},
 * {@code drain}, {@code timeout}, {@code error <code>} (the {@link NetException}'s code, such as
 * {@code error ECONNRESET}, else the exception's simple class name) and {@code close <hadError>}; for a
 * server {@code listening}, {@code connection}, {@code drop}, {@code error <code>} and {@code close}.
 * How a byte stream is cut into chunks is the kernel's choice: assert {@code data} events exactly only
 * where one chunk is certain (a few bytes on loopback), and use {@link #dataBytes()} or {@link #text()}
 * for the payload otherwise.
 *
 * <p>Thread-safe: events arrive on the loop thread, and any thread may read, await or
 * {@link #record} its own markers. A failed assertion shows the whole trace.
 */
public final class EventTrace {
    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final String name;

    private EventTrace(String name) {
        this.name = name;
    }

    /**
     * Records every event of {@code socket}, {@code DATA} included. Adding the {@code DATA} listener
     * starts the socket reading and hands the trace every byte (it reads a duplicate, so listeners added
     * later see the chunk intact). Create it before {@link Socket#connect()} to miss nothing.
     */
    public static EventTrace of(Socket socket) {
        EventTrace trace = new EventTrace("socket");
        trace.attach(socket);
        socket.on(Socket.DATA, trace::onData);
        return trace;
    }

    /**
     * Records every event of {@code socket} except {@code DATA}, leaving its reading alone. A socket that
     * nothing reads does not notice its peer's end either: expect {@code end} and {@code close} only once
     * something reads it ({@code resume()}, a {@code DATA} listener, its input stream).
     */
    public static EventTrace withoutData(Socket socket) {
        EventTrace trace = new EventTrace("socket");
        trace.attach(socket);
        return trace;
    }

    /** Records every event of {@code server}; create it before {@code listen} to see {@code listening}. */
    public static EventTrace of(Server server) {
        EventTrace trace = new EventTrace("server");
        server.on(Server.LISTENING, () -> trace.record("listening"));
        server.on(Server.CONNECTION, socket -> trace.record("connection"));
        server.on(Server.DROP, drop -> trace.record("drop"));
        server.on(Server.ERROR, e -> trace.record("error " + describe(e)));
        server.on(Server.CLOSE, () -> trace.record("close"));
        return trace;
    }

    /** An empty trace, for events a test records itself. */
    public static EventTrace create(String name) {
        return new EventTrace(Objects.requireNonNull(name, "name"));
    }

    private void attach(Socket socket) {
        socket.on(Socket.CONNECT, () -> record("connect"));
        socket.on(Socket.END, () -> record("end"));
        socket.on(Socket.DRAIN, () -> record("drain"));
        socket.on(Socket.TIMEOUT, () -> record("timeout"));
        socket.on(Socket.ERROR, e -> record("error " + describe(e)));
        socket.on(Socket.CLOSE, hadError -> record("close " + hadError));
    }

    private void onData(ByteBuffer chunk) {
        ByteBuffer view = chunk.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        synchronized (this) {
            data.write(bytes, 0, bytes.length);
            add("data " + bytes.length);
        }
    }

    private static String describe(Throwable e) {
        return e instanceof NetException ne ? ne.code().name() : e.getClass().getSimpleName();
    }

    /** Adds an event (a test's own marker, such as {@code "sent"}), after those already recorded. */
    public synchronized void record(String event) {
        add(Objects.requireNonNull(event, "event"));
    }

    private void add(String event) {
        events.add(event);
        notifyAll();
    }

    /** A copy of the events so far, in order. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Whether {@code event} has been recorded. */
    public synchronized boolean contains(String event) {
        return events.contains(event);
    }

    /** How many times {@code event} has been recorded. */
    public synchronized int count(String event) {
        return (int) events.stream().filter(event::equals).count();
    }

    /** Whether {@code expected} occurs in the trace as consecutive events (AssertJ's {@code containsSequence}). */
    public synchronized boolean containsSequence(String... expected) {
        return indexOfSequence(events, List.of(expected)) >= 0;
    }

    /** Whether {@code expected} occurs in the trace in this order, other events allowed between (AssertJ's {@code containsSubsequence}). */
    public synchronized boolean containsSubsequence(String... expected) {
        int i = 0;
        for (String e : events) {
            if (i < expected.length && e.equals(expected[i])) {
                i++;
            }
        }
        return i == expected.length;
    }

    private static int indexOfSequence(List<String> all, List<String> part) {
        for (int start = 0; start + part.size() <= all.size(); start++) {
            if (all.subList(start, start + part.size()).equals(part)) {
                return start;
            }
        }
        return -1;
    }

    /** Asserts {@link #containsSequence}; the failure shows the expected sequence and the whole trace. */
    public EventTrace assertSequence(String... expected) {
        if (!containsSequence(expected)) {
            throw new AssertionError("expected the consecutive events " + List.of(expected) + " in " + this);
        }
        return this;
    }

    /** Asserts {@link #containsSubsequence}; the failure shows the expected order and the whole trace. */
    public EventTrace assertSubsequence(String... expected) {
        if (!containsSubsequence(expected)) {
            throw new AssertionError("expected the events " + List.of(expected) + " in this order in " + this);
        }
        return this;
    }

    /** Asserts that the trace is exactly {@code expected}, no more, no less. */
    public EventTrace assertEvents(String... expected) {
        List<String> now = events();
        if (!now.equals(List.of(expected))) {
            throw new AssertionError("expected exactly the events " + List.of(expected) + " but " + this);
        }
        return this;
    }

    /** Asserts that {@code event} has not been recorded. */
    public EventTrace assertNoEvent(String event) {
        if (contains(event)) {
            throw new AssertionError("expected no \"" + event + "\" event in " + this);
        }
        return this;
    }

    /**
     * Waits until {@code event} has been recorded (at once if it already has).
     *
     * @throws AssertionError when it is not recorded within {@code timeout}, showing the whole trace
     */
    public EventTrace awaitEvent(String event, Duration timeout) {
        return await(event::equals, "\"" + event + "\"", timeout);
    }

    /**
     * Waits for {@code close}: {@code close true} or {@code close false} for a socket, {@code close} for a
     * server. Close is always the last event, so the whole trace can be asserted next.
     *
     * @throws AssertionError when it does not close within {@code timeout}, showing the whole trace
     */
    public EventTrace awaitClose(Duration timeout) {
        return await(e -> e.equals("close") || e.startsWith("close "), "\"close\"", timeout);
    }

    private synchronized EventTrace await(Predicate<String> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(wanted)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " event within " + timeout.toMillis() + " ms in " + this);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what + " in " + this, e);
            }
        }
        return this;
    }

    /** Bytes received through {@code DATA} so far. */
    public synchronized long dataBytes() {
        return data.size();
    }

    /** What {@code DATA} delivered so far, as one array. */
    public synchronized byte[] data() {
        return data.toByteArray();
    }

    /** What {@code DATA} delivered so far, decoded as UTF-8 (whole, so a character cut across chunks is intact). */
    public String text() {
        return text(StandardCharsets.UTF_8);
    }

    /** What {@code DATA} delivered so far, decoded with {@code charset}. */
    public synchronized String text(Charset charset) {
        return data.toString(charset);
    }

    /** {@code socket trace [connect, data 5, end, close false]}. */
    @Override
    public synchronized String toString() {
        return name + " trace " + events;
    }
}
