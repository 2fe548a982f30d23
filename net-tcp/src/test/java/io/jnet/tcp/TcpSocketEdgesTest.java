package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.SocketEdgesSuite;

/** The edges of a socket's life over TCP on loopback. */
class TcpSocketEdgesTest extends SocketEdgesSuite {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
