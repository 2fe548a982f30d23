package io.jnet.testing;

import io.jnet.NetException;
import io.jnet.Socket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a socket's events in the order they fire, as short strings ({@code connect}, {@code end},
 * {@code error:ECONNREFUSED}, {@code close:false}); DATA is counted, not listed, unless asked to.
 */
public final class EventLog {
    private final List<String> events = new ArrayList<>();
    private final AtomicLong dataBytes = new AtomicLong();
    private final StringBuilder text = new StringBuilder();
    private volatile Throwable error;
    private volatile Thread eventThread;
    private volatile boolean eventsOnOneThread = true;

    /** Records every event of {@code socket}; adds a DATA listener (so the socket starts reading). */
    public static EventLog of(Socket socket) {
        EventLog log = new EventLog();
        log.attach(socket, true);
        return log;
    }

    /** Records every event except DATA, so the socket's flow is left alone. */
    public static EventLog withoutData(Socket socket) {
        EventLog log = new EventLog();
        log.attach(socket, false);
        return log;
    }

    private void attach(Socket socket, boolean data) {
        socket.on(Socket.CONNECT, () -> add("connect"));
        socket.on(Socket.END, () -> add("end"));
        socket.on(Socket.DRAIN, () -> add("drain"));
        socket.on(Socket.TIMEOUT, () -> add("timeout"));
        socket.on(Socket.ERROR, e -> {
            error = e;
            add("error:" + (e instanceof NetException ne ? ne.code().name() : e.getClass().getSimpleName()));
        });
        socket.on(Socket.CLOSE, hadError -> add("close:" + hadError));
        if (data) {
            socket.on(Socket.DATA, chunk -> {
                checkThread();
                dataBytes.addAndGet(chunk.remaining());
                synchronized (this) {
                    text.append(java.nio.charset.StandardCharsets.ISO_8859_1.decode(chunk.duplicate()));
                }
            });
        }
    }

    private synchronized void add(String event) {
        checkThread();
        events.add(event);
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (eventThread == null) {
            eventThread = t;
        } else if (eventThread != t) {
            eventsOnOneThread = false;
        }
    }

    /** Every byte DATA delivered so far, in order (DATA is recorded only by {@link #of}). */
    public synchronized byte[] data() {
        return text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The events so far, in order. */
    public synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    /** Whether the event has fired. */
    public synchronized boolean has(String event) {
        return events.contains(event);
    }

    /** How often the event fired. */
    public synchronized long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    /** Bytes received through DATA. */
    public long dataBytes() {
        return dataBytes.get();
    }

    /** What DATA delivered, as ISO-8859-1 text (for small test payloads). */
    public synchronized String text() {
        return text.toString();
    }

    /** The last ERROR's value, or null. */
    public Throwable error() {
        return error;
    }

    /** Whether every recorded event fired on one thread (the socket's loop). */
    public boolean eventsOnOneThread() {
        return eventsOnOneThread;
    }

    @Override
    public synchronized String toString() {
        return events + " (" + dataBytes.get() + " data bytes)";
    }
}
