package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.spi.ServerBinding;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/** A bound TCP listening channel; closing it is all there is to undo. */
record TcpServerBinding(ServerSocketChannel channel, Endpoint address) implements ServerBinding {
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
