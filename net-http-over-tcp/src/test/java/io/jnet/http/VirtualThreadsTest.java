package io.jnet.http;

import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking {@code send()} on virtual threads (JDK 21+): ten thousand of them through one client, all
 * answered, and no carrier pinned by the client — checked with JFR's {@code jdk.VirtualThreadPinned}
 * at threshold zero. The code is compiled for Java 17, so virtual threads are made by reflection.
 *
 * <p>On JDK 24 and later a monitor no longer pins (JEP 491), so there this proves no pinning by native
 * frames or class initialisers; on JDK 21 to 23 it also catches a {@code synchronized} wait.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadsTest {
    private static final int CALLERS = 10_000;
    private static final int WARM_UP = 3;

    @TempDir
    Path dir;

    @Test
    void tenThousandVirtualThreadsSendThroughOneClientWithoutPinning() throws Exception {
        ExecutorService virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        List<RecordedEvent> pinned;
        try (ScriptedHttpServer server = ScriptedHttpServer.tcp().start();
             HttpClient client = HttpClient.builder().executor(virtualThreads).build();
             Recording recording = new Recording()) {
            for (int i = 0; i < CALLERS + WARM_UP; i++) {
                // One in ten cut at random, so some callers wait for the body, not only for the head (not
                // all: the pieces meet Nagle and delayed ACKs, 40 ms a reply).
                server.enqueue((i % 10 == 0 ? Split.RANDOM : Split.ALL_AT_ONCE)
                        .applyTo(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
            }
            // A thread waiting for another to initialise a class pins its carrier in any code, on every
            // JDK; the first burst of callers would wait so for the client's classes (seen: Call.<init>).
            // That is start-up, not the client's blocking: a few requests load them before recording.
            for (int i = 0; i < WARM_UP; i++) {
                Future<String> f = virtualThreads.submit(() -> {
                    try (HttpResponse response = client.send(HttpRequest.get("http://127.0.0.1:" + server.port() + "/warm-up"))) {
                        return response.bodyString();
                    }
                });
                assertEquals("ok", f.get(10, TimeUnit.SECONDS));
            }
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();

            List<Future<String>> answers = new ArrayList<>(CALLERS);
            for (int i = 0; i < CALLERS; i++) {
                HttpRequest request = HttpRequest.get("http://127.0.0.1:" + server.port() + "/caller/" + i);
                Callable<String> call = () -> {
                    try (HttpResponse response = client.send(request)) {
                        return response.statusCode() + " " + response.bodyString();
                    }
                };
                answers.add(virtualThreads.submit(call));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int ok = 0;
            for (Future<String> f : answers) {
                assertEquals("200 ok", f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                ok++;
            }
            assertEquals(CALLERS, ok);
            assertEquals(CALLERS + WARM_UP, server.requestCount());

            recording.stop();
            Path file = dir.resolve("pinned.jfr");
            recording.dump(file);
            pinned = RecordingFile.readAllEvents(file);
            assertTrue(Files.size(file) > 0);
        } finally {
            virtualThreads.shutdownNow();
        }
        List<String> ours = pinned.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .map(VirtualThreadsTest::stack)
                .filter(stack -> stack.contains("io.jnet"))
                .collect(Collectors.toList());
        System.out.println(Runtime.version() + ": " + CALLERS + " virtual threads answered, " + pinned.size()
                + " pinned events recorded, " + ours.size() + " with io.jnet on the stack");
        assertTrue(ours.isEmpty(), () -> ours.size() + " pinned virtual threads in jnet, first:\n" + ours.get(0));
    }

    private static String stack(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "";
        }
        return e.getStackTrace().getFrames().stream()
                .map(RecordedFrame::getMethod)
                .map(m -> m.getType().getName() + "." + m.getName())
                .collect(Collectors.joining("\n  "));
    }
}
