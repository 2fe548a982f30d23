package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.testing.SocketBehaviourSuite;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The shared stream-socket suite over Unix domain socket files in a fresh temp directory per test. */
class IpcSocketBehaviourTest extends SocketBehaviourSuite {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("s" + next.incrementAndGet() + ".sock"));
    }
}
