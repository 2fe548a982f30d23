package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.SocketBehaviourSuite;

/** The shared stream-socket suite over TCP on 127.0.0.1. */
class TcpSocketBehaviourTest extends SocketBehaviourSuite {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
