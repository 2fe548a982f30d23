package io.jnet.testkit;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.Net;
import io.jnet.Server;
import io.jnet.ServerOptions;
import io.jnet.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Echoes, and ends its side when the client ends (allowHalfOpen false). */
    @RegisterExtension
    JnetServerExtension echo = JnetServerExtension.tcp(socket -> socket.on(Socket.DATA, socket::write));

    @Test
    void recordsAClientsLifeInOrder() {
        Socket client = Net.socket(echo.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.connect();
        client.end("hello");

        trace.awaitEvent("close false", WAIT).assertEvents("connect", "data 5", "end", "close false");
        assertEquals("hello", trace.text());
        assertEquals(5, trace.dataBytes());
    }

    @Test
    void recordsARefusedConnectionAsItsErrorCodeThenCloseTrue() {
        Server closed = Net.createServer();
        closed.listen(Endpoint.tcp("127.0.0.1", 0));
        Endpoint nobody = closed.address();
        closed.close();

        Socket client = Net.socket(nobody, ConnectOptions.defaults());
        EventTrace trace = EventTrace.withoutData(client);
        client.connect();

        trace.awaitClose(WAIT).assertEvents("error ECONNREFUSED", "close true");
    }

    @Test
    void recordsAServersEventsIncludingADroppedConnection() {
        Server server = Net.createServer(ServerOptions.builder().maxConnections(1).build(), Socket::resume);
        EventTrace trace = EventTrace.of(server);
        server.listen(Endpoint.tcp("127.0.0.1", 0));
        List<Socket> clients = new ArrayList<>();
        try {
            clients.add(Net.createConnection(server.address()));
            trace.awaitEvent("connection", WAIT);
            clients.add(Net.createConnection(server.address()));
            trace.awaitEvent("drop", WAIT);
        } finally {
            server.close();
            clients.forEach(Socket::destroy);
        }
        trace.awaitClose(WAIT).assertEvents("listening", "connection", "drop", "close");
    }

    @Test
    void keepsEachThreadsOrderAndLosesNothingWhenThreadsRecordAtOnce() throws Exception {
        EventTrace trace = EventTrace.create("threads");
        int threads = 4;
        int each = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        trace.record(name + " " + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> events = trace.events();
        assertEquals(threads * each, events.size());
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + " ";
            List<String> own = events.stream().filter(e -> e.startsWith(prefix)).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(prefix + i, own.get(i), "thread " + t + "'s events in its own order");
            }
        }
    }

    @Test
    void anEventRecordedAfterAnotherThreadsEventComesAfterItInTheTrace() throws Exception {
        Socket client = Net.socket(echo.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        client.on(Socket.CONNECT, () -> trace.record("connect listener done")); // on the loop thread
        client.connect();
        trace.awaitEvent("connect listener done", WAIT);
        trace.record("test thread saw it");
        client.write("x");
        trace.awaitEvent("data 1", WAIT);
        client.destroy();
        trace.awaitEvent("close false", WAIT)
                .assertSequence("connect", "connect listener done", "test thread saw it", "data 1", "close false");
    }

    @Test
    void awaitEventWakesAsSoonAsAnotherThreadRecordsIt() throws Exception {
        EventTrace trace = EventTrace.create("wake");
        Thread later = new Thread(() -> trace.record("ready"));
        long start = System.nanoTime();
        later.start();
        trace.awaitEvent("ready", Duration.ofSeconds(30));
        later.join(5_000);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "woke on the event, not on the timeout");
    }

    @Test
    void aFailedAssertionShowsTheWholeTrace() {
        EventTrace trace = EventTrace.create("socket");
        trace.record("connect");
        trace.record("data 5");
        trace.record("close false");

        AssertionError missing = assertThrows(AssertionError.class, () -> trace.assertSequence("connect", "end"));
        assertEquals("expected the consecutive events [connect, end] in socket trace [connect, data 5, close false]",
                missing.getMessage());
        AssertionError late = assertThrows(AssertionError.class, () -> trace.awaitEvent("end", Duration.ofMillis(50)));
        assertEquals("no \"end\" event within 50 ms in socket trace [connect, data 5, close false]", late.getMessage());
    }

    @Test
    void sequenceMeansConsecutiveAndSubsequenceAllowsGaps() {
        EventTrace trace = EventTrace.create("t");
        for (String e : List.of("connect", "data 2", "data 3", "end", "close false")) {
            trace.record(e);
        }
        assertTrue(trace.containsSequence("data 3", "end"));
        assertFalse(trace.containsSequence("connect", "end"));
        assertTrue(trace.containsSubsequence("connect", "end", "close false"));
        assertFalse(trace.containsSubsequence("end", "connect"));
        assertTrue(trace.containsSequence());
        assertEquals(1, trace.count("end"));
        trace.assertNoEvent("error ECONNRESET");
    }

    @Test
    void dataIsRecordedWithoutTakingItFromListenersAddedLater() {
        Socket client = Net.socket(echo.endpoint(), ConnectOptions.defaults());
        EventTrace trace = EventTrace.of(client);
        StringBuilder seen = new StringBuilder();
        client.on(Socket.DATA, chunk -> {
            synchronized (seen) {
                seen.append(java.nio.charset.StandardCharsets.UTF_8.decode(chunk));
            }
        });
        client.connect();
        client.write("both see this");
        await().atMost(WAIT).until(() -> {
            synchronized (seen) {
                return seen.toString().equals("both see this");
            }
        });
        assertEquals("both see this", trace.text());
        client.destroy();
        trace.awaitEvent("close false", WAIT);
    }
}
