package io.jnet.tcp;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load: one jnet server (in a child JVM, with its own descriptor budget) holds 10 000 connections
 * that all echo, twice; its heap per idle connection is measured and bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TenThousandConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    @Test
    void oneServerHoldsTenThousandEchoingConnections() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChildEchoServer.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Socket> clients = new ArrayList<>(CONNECTIONS);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            OutputStream in = child.getOutputStream();
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("listening on "), String.valueOf(first));
            Endpoint address = Endpoint.parse(first.substring("listening on ".length()));
            long before = heap(in, out, 0);

            AtomicInteger echoes = new AtomicInteger();
            AtomicInteger closedEarly = new AtomicInteger();
            byte[] ping = new byte[64];
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket c = Net.socket(address, ConnectOptions.defaults());
                c.on(Socket.DATA, chunk -> echoes.addAndGet(chunk.remaining()));
                c.on(Socket.ERROR, e -> { });
                c.on(Socket.CLOSE, hadError -> closedEarly.incrementAndGet());
                c.connect();
                c.write(ByteBuffer.wrap(ping));
                clients.add(c);
                if (i % 1000 == 999) {
                    // Bounded bursts, so the storm stays inside the listen backlog.
                    int expected = (i + 1) * ping.length;
                    await().atMost(Duration.ofSeconds(30)).until(() -> echoes.get() >= expected || closedEarly.get() > 0);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> echoes.get() == CONNECTIONS * ping.length);
            assertEquals(0, closedEarly.get());

            long after = heap(in, out, CONNECTIONS);
            long perConnection = (after - before) / CONNECTIONS;
            System.out.printf("jnet TCP server: %d connections held, %d bytes of heap per idle connection%n", CONNECTIONS, perConnection);
            // Netty NIO holds ~1.5 KiB here (shared/BENCHMARKS.md); jnet must not be worse.
            assertTrue(perConnection < 1536, "heap per idle connection " + perConnection + " bytes");

            clients.forEach(c -> c.write(ByteBuffer.wrap(ping)));
            await().atMost(Duration.ofSeconds(30)).until(() -> echoes.get() == 2 * CONNECTIONS * ping.length);
        } finally {
            clients.forEach(Socket::destroy);
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long heap(OutputStream in, BufferedReader out, int connections) throws Exception {
        // The server's count lags the clients' by the accept hand-off; ask until it has caught up.
        for (int attempt = 0; attempt < 50; attempt++) {
            in.write("heap\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String[] answer = out.readLine().split(" ");
            if (Integer.parseInt(answer[3]) == connections) {
                return Long.parseLong(answer[1]);
            }
        }
        throw new AssertionError("the server never reported " + connections + " connections");
    }
}
