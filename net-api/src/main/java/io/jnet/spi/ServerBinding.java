package io.jnet.spi;

import io.jnet.Endpoint;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/**
 * A bound, non-blocking server channel handed from a {@link Transport} to the shared server code,
 * with whatever the transport must undo on close (an IPC socket file to remove).
 */
public interface ServerBinding {

    /** The bound, non-blocking channel. */
    ServerSocketChannel channel();

    /** The endpoint actually bound (the real port after port 0). */
    Endpoint address();

    /** Closes the channel and undoes the bind (removes an IPC socket file). Called once, on the loop. */
    void close() throws IOException;

    /** A binding for a channel bound elsewhere: closing it closes the channel and undoes nothing more. */
    static ServerBinding of(ServerSocketChannel channel, Endpoint address) {
        return new ServerBinding() {
            @Override
            public ServerSocketChannel channel() {
                return channel;
            }

            @Override
            public Endpoint address() {
                return address;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }

            @Override
            public String toString() {
                return "ServerBinding[" + address + "]";
            }
        };
    }
}
