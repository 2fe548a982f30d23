package io.jnet.tcp;

import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Server;
import io.jnet.Socket;

/**
 * Run in a child JVM by the fault tests: a jnet echo server on 127.0.0.1 that prints its address,
 * then one line per server error ({@code error EMFILE ...}) so the parent can watch it.
 */
public final class ChildEchoServer {
    private ChildEchoServer() {
    }

    public static void main(String[] args) {
        Server server = Net.createServer(socket -> {
            socket.on(Socket.DATA, socket::write);
            socket.on(Socket.END, socket::end);
            socket.on(Socket.ERROR, e -> { });
        });
        server.on(Server.ERROR, e -> System.out.println("error " + (e instanceof NetException ne ? ne.code() : e) + " " + e.getMessage()));
        server.listen(0, "127.0.0.1");
        System.out.println("listening on " + server.address());
        answerHeapQueries(server);
    }

    /** Each line "heap" on stdin is answered with the live heap after a full GC and the connection count. */
    private static void answerHeapQueries(Server server) {
        Thread t = new Thread(() -> {
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("heap")) {
                        System.out.println("heap " + liveHeap() + " connections " + server.getConnections());
                    }
                }
            } catch (java.io.IOException ignored) {
                // The parent went away; nothing left to answer.
            }
        }, "heap-queries");
        t.setDaemon(true);
        t.start();
    }

    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        // A few rounds: one System.gc() may leave floating garbage behind.
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
