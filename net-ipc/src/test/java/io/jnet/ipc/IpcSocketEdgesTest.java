package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.testing.SocketEdgesSuite;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The edges of a socket's life over Unix domain socket files in a fresh temp directory per test. */
class IpcSocketEdgesTest extends SocketEdgesSuite {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("e" + next.incrementAndGet() + ".sock"));
    }
}
