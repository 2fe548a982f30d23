package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.testing.RequestChannelSocketScenarios;

/** Requests and replies over TCP on 127.0.0.1. */
class TcpRequestChannelTest extends RequestChannelSocketScenarios {
    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.tcp("127.0.0.1", 0);
    }
}
