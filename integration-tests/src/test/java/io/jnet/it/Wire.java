package io.jnet.it;

import io.jnet.Endpoint;
import io.jnet.Socket;
import io.jnet.testkit.JnetServerExtension;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The transports a cross-process suite runs over, so that TCP and IPC cannot drift apart: each test
 * takes a {@code Wire} parameter ({@code @EnumSource(Wire.class)}) and asks it where to listen.
 */
enum Wire {
    /** Loopback TCP on a port the system picks. */
    TCP {
        @Override
        String listenArgument(Path dir) {
            return "127.0.0.1:0";
        }
    },
    /** A Unix domain socket file in the test's temporary directory. */
    IPC {
        @Override
        String listenArgument(Path dir) {
            return dir.resolve("peer.sock").toString();
        }
    };

    /** Where to listen, as {@link Endpoint#parse} and the peers' command lines take it. */
    abstract String listenArgument(Path dir);

    /** Where to listen, as an endpoint. */
    Endpoint listenEndpoint(Path dir) {
        return Endpoint.parse(listenArgument(dir));
    }

    /**
     * A jnet server on this wire from the test kit, not started: {@code try (var s = wire.testServer(h).start())}
     * closes it with every connection it accepted, and an IPC one in a directory of its own.
     */
    JnetServerExtension testServer(Consumer<Socket> onConnection) {
        return this == TCP ? JnetServerExtension.tcp(onConnection) : JnetServerExtension.ipc(onConnection);
    }

    /** The Node scripts' form: a port number (0) or a socket path. */
    String nodeListenArgument(Path dir) {
        return this == TCP ? "0" : listenArgument(dir);
    }
}
