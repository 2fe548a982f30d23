package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.SocketParitySuite;

/** Node net parity on the socket side, over TCP on loopback. */
class TcpSocketParityTest extends SocketParitySuite {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
