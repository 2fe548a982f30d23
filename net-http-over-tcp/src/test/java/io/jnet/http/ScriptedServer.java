package io.jnet.http;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server for tests, in the spirit of OkHttp's MockWebServer but on jnet's own
 * {@link Server}: listens on 127.0.0.1 with a free port, answers each complete request with the next
 * scripted reply, byte for byte and in the chosen split, records the requests and counts accepted
 * connections. When the script runs out, it answers {@code 200} with an empty body.
 */
final class ScriptedServer implements AutoCloseable {

    /** What to do with the connection after a reply. */
    enum After { KEEP_OPEN, CLOSE, NO_REPLY_CLOSE, NO_REPLY_HANG }

    /** One reply: exact bytes, how to cut them, the gap between the pieces (zero: none), what comes after. */
    record Reply(byte[] bytes, Split split, Duration pace, After after) {
        Reply(byte[] bytes, Split split, After after) {
            this(bytes, split, Duration.ZERO, after);
        }

        static Reply of(String text) {
            return new Reply(text.getBytes(StandardCharsets.ISO_8859_1), Split.ALL_AT_ONCE, After.KEEP_OPEN);
        }

        Reply split(Split s) {
            return new Reply(bytes, s, pace, after);
        }

        /** Sends one piece every {@code gap}, as a slow (or slowloris) server does; {@code after} is not applied. */
        Reply paced(Duration gap) {
            return new Reply(bytes, split, gap, after);
        }

        Reply then(After a) {
            return new Reply(bytes, split, pace, a);
        }
    }

    /** A request as the server received it. */
    record Recorded(String requestLine, String head, byte[] body, int connection) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Server server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService pacer;

    ScriptedServer() {
        this(Endpoint.tcp("127.0.0.1", 0));
    }

    /** Listens on {@code endpoint}: a loopback TCP port or a Unix socket path. */
    ScriptedServer(Endpoint endpoint) {
        server = Net.createServer(this::onConnection);
        server.listen(endpoint);
    }

    ScriptedServer enqueue(Reply reply) {
        script.add(reply);
        return this;
    }

    ScriptedServer enqueue(String reply) {
        return enqueue(Reply.of(reply));
    }

    io.jnet.Endpoint address() {
        return server.address();
    }

    int port() {
        return ((Endpoint.Tcp) server.address()).port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private void onConnection(Socket socket) {
        int index = accepted.incrementAndGet();
        sockets.add(socket);
        socket.on(Socket.CLOSE, hadError -> closed.incrementAndGet());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        socket.on(Socket.DATA, chunk -> {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            pending.write(b, 0, b.length);
            while (true) {
                byte[] all = pending.toByteArray();
                int used = requestLength(all);
                if (used < 0) {
                    return;
                }
                String text = new String(all, 0, used, StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n");
                String head = text.substring(0, headEnd);
                byte[] body = java.util.Arrays.copyOfRange(all, headEnd + 4, used);
                requests.add(new Recorded(head.substring(0, head.indexOf("\r\n")), head, body, index));
                pending.reset();
                pending.write(all, used, all.length - used);
                if (!reply(socket)) {
                    return;
                }
            }
        });
    }

    /** Writes the next reply; false when the connection is finished. */
    private boolean reply(Socket socket) {
        Reply r = script.poll();
        if (r == null) {
            r = Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
        switch (r.after()) {
            case NO_REPLY_CLOSE -> {
                socket.destroy();
                return false;
            }
            case NO_REPLY_HANG -> {
                return false;
            }
            default -> {
            }
        }
        List<byte[]> parts = r.split().cut(r.bytes(), 42);
        if (!r.pace().isZero()) {
            pace(socket, parts, r.pace());
            return false;
        }
        for (byte[] part : parts) {
            socket.write(ByteBuffer.wrap(part));
        }
        if (r.after() == After.CLOSE) {
            socket.end();
            return false;
        }
        return true;
    }

    /** Writes one part every {@code gap} until all are sent or the socket is gone (the client gave up). */
    private synchronized void pace(Socket socket, List<byte[]> parts, Duration gap) {
        if (pacer == null) {
            pacer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scripted-server-pacer");
                t.setDaemon(true);
                return t;
            });
        }
        Iterator<byte[]> next = parts.iterator();
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = pacer.scheduleAtFixedRate(() -> {
            if (socket.isDestroyed() || !next.hasNext()) {
                task[0].cancel(false);
            } else {
                socket.write(ByteBuffer.wrap(next.next()));
            }
        }, gap.toNanos(), gap.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Bytes of the first complete request in {@code b}, or -1 if it is not complete yet. */
    private static int requestLength(byte[] b) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return -1;
        }
        String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
        int bodyStart = headEnd + 4;
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            int end = text.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
            return end < 0 ? -1 : end + 7;
        }
        int cl = head.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl + 2);
            long n = Long.parseLong(head.substring(cl + 17, eol < 0 ? head.length() : eol).trim());
            return b.length >= bodyStart + n ? (int) (bodyStart + n) : -1;
        }
        return bodyStart;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (pacer != null) {
                pacer.shutdownNow();
            }
        }
        for (Socket s : sockets) {
            s.destroy();
        }
        if (server.isListening()) {
            server.close();
        }
    }

    static List<String> lines(String... l) {
        return new ArrayList<>(List.of(l));
    }
}
