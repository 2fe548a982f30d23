package io.jnet.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A listening server keeps the JVM alive as it keeps Node's process alive; unref() lets go. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeepAliveTest {

    private static Process start(String mode) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                KeepAliveMain.class.getName(), mode));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("listening on 127.0.0.1:"), "child said: " + first);
        return p;
    }

    @Test
    void aListeningServerKeepsTheJvmAlive() throws Exception {
        Process p = start("ref");
        try {
            assertFalse(p.waitFor(1, TimeUnit.SECONDS), "main returned but the listening server must keep the JVM alive");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnrefdServerLetsTheJvmExit() throws Exception {
        Process p = start("unref");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "an unref'd server must not hold the JVM");
        assertEquals(0, p.exitValue());
    }

    @Test
    void aClosedServerLetsTheJvmExit() throws Exception {
        Process p = start("close");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "nothing open, nothing holds the JVM");
        assertEquals(0, p.exitValue());
    }
}
