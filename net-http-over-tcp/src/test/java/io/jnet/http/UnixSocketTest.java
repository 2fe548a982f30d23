package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP over a Unix socket path, the Docker-socket case. Skipped (not failed) while no IPC transport
 * is on the class path.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UnixSocketTest {
    private ScriptedHttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        try {
            server = ScriptedHttpServer.ipc().start();
        } catch (NetException e) {
            assumeTrue(e.code() != ErrorCode.ERR_TRANSPORT_UNAVAILABLE, "no IPC transport on the class path yet: " + e.getMessage());
            throw e;
        }
        client = HttpClient.builder().socketPath(server.path()).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsRequestsOverTheSocketPathWithTheUrisHost() throws Exception {
        server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"Containers\":0}"));
        try (HttpResponse response = client.send(HttpRequest.get("http://localhost/v1.43/info"))) {
            assertEquals("{\"Containers\":0}", response.bodyString());
        }
        assertEquals("GET /v1.43/info HTTP/1.1", server.requests().get(0).requestLine());
        assertEquals("localhost", server.requests().get(0).header("Host"));
    }

    @Test
    void reusesOneConnectionOverTheSocket() throws Exception {
        for (int i = 0; i < 100; i++) {
            client.send(HttpRequest.get("http://docker/_ping")).close();
        }
        assertEquals(1, server.connectionCount());
    }
}
