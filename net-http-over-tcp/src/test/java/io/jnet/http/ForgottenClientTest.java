package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that is never closed lets the JVM exit once its idle connection times out, 5 s by
 * default: the pooled connection holds the in-process server's side of it (which is ref'd) until then.
 * With the old 60 s default the child lived a minute.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForgottenClientTest {

    @Test
    void aForgottenClientLetsTheJvmExitAfterTheIdleTimeout() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ForgottenClientMain.class.getName()))
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> mainReturned = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.equals("main returns")) {
                        mainReturned.complete(null);
                    }
                }
            } catch (Exception e) {
                mainReturned.completeExceptionally(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            mainReturned.get(20, TimeUnit.SECONDS);
            long returned = System.nanoTime();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), () -> "still alive 20 s after main returned; it said " + snapshot(lines));
            long lived = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - returned);
            reader.join(5_000);
            List<String> said = snapshot(lines);
            assertEquals(0, p.exitValue(), () -> "exit code; it said " + said);
            assertTrue(said.contains("answer 200 hi"), () -> "no answer; it said " + said);
            // The idle timeout, not a crash or a kill, is what let go: the server saw the client close its side.
            assertTrue(said.stream().anyMatch(l -> l.startsWith("client ended its side")), () -> "it said " + said);
            System.out.println("child lived " + lived + " ms after main returned; it said " + said);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
