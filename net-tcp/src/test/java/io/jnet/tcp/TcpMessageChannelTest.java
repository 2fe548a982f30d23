package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.MessageChannelSocketScenarios;

/** Framed messages over TCP on 127.0.0.1: the transport splits and coalesces frames as it likes. */
class TcpMessageChannelTest extends MessageChannelSocketScenarios {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
