package io.jnet.ipc;

import io.jnet.Endpoint;
import io.jnet.testing.RequestChannelSocketScenarios;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests and replies over Unix domain socket files in a fresh temp directory per test. */
class IpcRequestChannelTest extends RequestChannelSocketScenarios {
    @TempDir
    Path dir;

    private final AtomicInteger next = new AtomicInteger();

    @Override
    protected Endpoint listenEndpoint() {
        return Endpoint.ipc(dir.resolve("r" + next.incrementAndGet() + ".sock"));
    }
}
