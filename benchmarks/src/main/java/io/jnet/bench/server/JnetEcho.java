package io.jnet.bench.server;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import io.jnet.bench.Lifetime;

import java.nio.file.Path;

/**
 * jnet under test: the echo every jnet user would write, honouring back-pressure (pause when
 * {@code write} returns false, resume on DRAIN) and ending after the peer ends (Node's default).
 * {@code -Djnet.read=borrowed} ({@code jnet-borrowed} in run.sh) listens to {@code DATA_BORROWED}
 * instead of {@code DATA}: the same echo without a heap chunk per read. {@code -Djnet.servers=N} (TCP,
 * {@code run.sh cores}) listens with N servers on one port with {@code reusePort}, so the kernel spreads
 * the accepts over N listening sockets (each server accepts on the loop it was given) instead of one.
 */
public final class JnetEcho {
    private JnetEcho() {
    }

    /** {@code JnetEcho tcp:127.0.0.1:0|unix:PATH} */
    public static void main(String[] args) throws InterruptedException {
        String spec = args[0];
        Endpoint endpoint;
        if (spec.startsWith("unix:")) {
            endpoint = Endpoint.ipc(Path.of(spec.substring(5)));
        } else {
            io.jnet.bench.Addr a = io.jnet.bench.Addr.parse(spec);
            java.net.InetSocketAddress in = (java.net.InetSocketAddress) a.address();
            endpoint = Endpoint.tcp(in.getHostString(), in.getPort());
        }
        int servers = Integer.getInteger("jnet.servers", 1);
        ServerOptions options = ServerOptions.builder().noDelay(true).backlog(4096).reusePort(servers > 1).build();
        Server first = Net.createServer(options, JnetEcho::echo).listenAsync(endpoint).join();
        Endpoint bound = first.address();
        for (int i = 1; i < servers; i++) {
            Net.createServer(options, JnetEcho::echo).listenAsync(bound).join(); // the same port: reusePort
        }
        Lifetime.listening(describe(bound));
        Lifetime.park();
    }

    private static final boolean BORROWED = "borrowed".equals(System.getProperty("jnet.read"));

    static void echo(Socket socket) {
        socket.on(BORROWED ? Socket.DATA_BORROWED : Socket.DATA, chunk -> {
            if (!socket.write(chunk)) {
                socket.pause();
                socket.once(Socket.DRAIN, socket::resume);
            }
        });
        // Load generators reset connections when a workload ends (fan-in, churn): an expected
        // ECONNRESET here is not worth a log line per connection; the driver reports real failures.
        socket.on(Socket.ERROR, e -> { });
    }

    private static String describe(Endpoint e) {
        if (e instanceof Endpoint.Tcp t) {
            String h = t.host();
            return "tcp:" + (h.contains(":") ? "[" + h + "]" : h) + ":" + t.port();
        }
        return "unix:" + ((Endpoint.Ipc) e).path();
    }
}
