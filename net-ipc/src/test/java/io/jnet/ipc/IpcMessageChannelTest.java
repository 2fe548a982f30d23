package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.testing.MessageChannelSocketScenarios;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Framed messages over Unix domain socket files in a fresh temp directory per test. */
class IpcMessageChannelTest extends MessageChannelSocketScenarios {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("m" + next.incrementAndGet() + ".sock"));
    }
}
