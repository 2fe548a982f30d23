package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.ServerClosingSuite;

/** Closing a server with its connections over TCP on loopback. */
class TcpServerClosingTest extends ServerClosingSuite {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
