package io.jnet.it.peer;

import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;

/**
 * A jnet echo server in a JVM of its own: {@code EchoServerPeer ENDPOINT} (host:port or a socket
 * path). Prints {@code listening on ADDRESS} once bound and serves until killed.
 */
public final class EchoServerPeer {
    private EchoServerPeer() {
    }

    public static void main(String[] args) {
        Server server = Net.createServer(Echo::attach);
        server.listen(Endpoint.parse(args[0]));
        System.out.println("listening on " + server.address());
        System.out.flush();
        // The listening server keeps this JVM alive, as in Node; the test kills the process.
    }
}
