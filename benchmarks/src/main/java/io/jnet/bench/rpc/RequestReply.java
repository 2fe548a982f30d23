package io.jnet.bench.rpc;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.Socket;
import io.jnet.codec.RequestChannel;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request/response round trips per second over a Unix socket, in RequestChannel's wire format
 * (net-api/MESSAGING.md), with 1 or N requests in flight:
 *
 * <ul>
 *   <li>{@code jnet}: one connection, {@link RequestChannel} on both sides; N requests multiplexed on it,
 *       each completion (on the loop) sending the next;</li>
 *   <li>{@code jdk}: the plain blocking loop on {@link SocketChannel} with {@link UnixDomainSocketAddress}:
 *       N client threads, each with its own connection, write a request and read its reply; the server
 *       is a thread per connection.</li>
 * </ul>
 *
 * <pre>
 * RequestReply server jnet|jdk PATH            prints "LISTENING unix:PATH"
 * RequestReply client jnet|jdk PATH INFLIGHT   prints "rpc_inflightN&lt;TAB&gt;req_per_s&lt;TAB&gt;value"
 * </pre>
 * System properties: {@code seconds} (measured, default 3), {@code warmup} (seconds, default 2),
 * {@code payload} (request bytes, default 32).
 */
public final class RequestReply {
    private static final int HEADER = 4 + 5;
    private static final byte REQUEST = 1;
    private static final byte REPLY = 2;

    private RequestReply() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: RequestReply server|client jnet|jdk PATH [INFLIGHT]");
            System.exit(2);
        }
        Path path = Path.of(args[2]);
        switch (args[0] + " " + args[1]) {
            case "server jnet" -> jnetServer(path);
            case "server jdk" -> jdkServer(path);
            case "client jnet" -> report(Integer.parseInt(args[3]), jnetClient(path, Integer.parseInt(args[3])));
            case "client jdk" -> report(Integer.parseInt(args[3]), jdkClient(path, Integer.parseInt(args[3])));
            default -> throw new IllegalArgumentException(args[0] + " " + args[1]);
        }
    }

    // ---- jnet ------------------------------------------------------------------------------------

    private static void jnetServer(Path path) throws IOException, InterruptedException {
        Files.deleteIfExists(path);
        Server server = Net.createServer(socket -> RequestChannel.of(socket).onRequest(request -> request));
        server.listen(Endpoint.ipc(path));
        System.out.println("LISTENING unix:" + path);
        Thread.currentThread().join(); // until killed
    }

    private static LongAdder jnetClient(Path path, int inFlight) throws Exception {
        Socket socket = Net.connectAsync(Endpoint.ipc(path), io.jnet.ConnectOptions.defaults()).get();
        RequestChannel channel = RequestChannel.of(socket);
        ByteBuffer payload = ByteBuffer.allocate(Integer.getInteger("payload", 32));
        LongAdder done = new LongAdder();
        AtomicLong failures = new AtomicLong();
        Runnable[] next = new Runnable[1];
        // Each completion runs on the loop and sends the next request from there: no thread hop.
        next[0] = () -> channel.request(payload.duplicate()).whenComplete((reply, e) -> {
            if (e != null) {
                if (failures.incrementAndGet() == 1) {
                    System.err.println("request failed: " + e);
                }
                return;
            }
            done.increment();
            next[0].run();
        });
        for (int i = 0; i < inFlight; i++) {
            next[0].run();
        }
        return done;
    }

    // ---- JDK blocking -----------------------------------------------------------------------------

    private static void jdkServer(Path path) throws IOException {
        Files.deleteIfExists(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            System.out.println("LISTENING unix:" + path);
            while (true) {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "jdk-rpc-" + ch);
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void serve(SocketChannel ch) {
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        try (ch) {
            while (true) {
                ByteBuffer frame = readFrame(ch, in);
                frame.put(4, REPLY); // same length, same id, same payload: an echo
                writeFully(ch, frame);
            }
        } catch (EOFException e) {
            // the client went away
        } catch (IOException e) {
            System.err.println("server connection failed: " + e);
        }
    }

    private static LongAdder jdkClient(Path path, int inFlight) throws IOException {
        LongAdder done = new LongAdder();
        int payload = Integer.getInteger("payload", 32);
        for (int i = 0; i < inFlight; i++) {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
            Thread t = new Thread(() -> {
                ByteBuffer request = ByteBuffer.allocateDirect(HEADER + payload);
                ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
                try (ch) {
                    for (int id = 1; ; id = id == Integer.MAX_VALUE ? 1 : id + 1) {
                        request.clear();
                        request.putInt(5 + payload).put(REQUEST).putInt(id).position(HEADER + payload).flip();
                        writeFully(ch, request);
                        ByteBuffer reply = readFrame(ch, in);
                        if (reply.get(4) != REPLY || reply.getInt(5) != id) {
                            throw new IOException("reply " + reply.getInt(5) + " to request " + id);
                        }
                        done.increment();
                    }
                } catch (IOException e) {
                    System.err.println("client connection failed: " + e);
                }
            }, "jdk-rpc-client-" + i);
            t.setDaemon(true);
            t.start();
        }
        return done;
    }

    /** One whole frame, length prefix included, at the start of {@code in} (which holds any extra bytes). */
    private static ByteBuffer readFrame(SocketChannel ch, ByteBuffer in) throws IOException {
        // `in` is kept in write mode between calls; bytes of the next frame stay in it.
        while (in.position() < 4) {
            fill(ch, in);
        }
        int length = in.getInt(0);
        while (in.position() < 4 + length) {
            fill(ch, in);
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + length);
        int held = in.position();
        in.flip();
        in.limit(4 + length);
        frame.put(in).flip();
        in.limit(held);
        in.compact();
        return frame;
    }

    private static void fill(SocketChannel ch, ByteBuffer in) throws IOException {
        if (ch.read(in) < 0) {
            throw new EOFException();
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ---- measuring -------------------------------------------------------------------------------

    private static void report(int inFlight, LongAdder done) throws InterruptedException {
        double warmup = Double.parseDouble(System.getProperty("warmup", "2"));
        double seconds = Double.parseDouble(System.getProperty("seconds", "3"));
        Thread.sleep((long) (warmup * 1000));
        long before = done.sum();
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long n = done.sum() - before;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.println("rpc_inflight" + inFlight + "\treq_per_s\t" + String.format(Locale.ROOT, "%.1f", n / elapsed));
        System.out.flush();
        System.exit(0);
    }
}
