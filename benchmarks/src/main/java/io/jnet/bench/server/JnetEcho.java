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
 * instead of {@code DATA}: the same echo without a heap chunk per read.
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
        ServerOptions options = ServerOptions.builder().noDelay(true).backlog(4096).build();
        Server server = Net.createServer(options, JnetEcho::echo);
        server.listen(endpoint, () -> Lifetime.listening(describe(server.address())));
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
