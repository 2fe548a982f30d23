package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.testing.SocketParitySuite;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Node net parity on the socket side, over Unix domain socket files in a fresh temp directory per test. */
class IpcSocketParityTest extends SocketParitySuite {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("p" + next.incrementAndGet() + ".sock"));
    }
}
