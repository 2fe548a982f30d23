package io.jnet.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Net.connectAsync} with retries keeps the JVM alive until its future completes, as a socket does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectAsyncKeepAliveTest {

    @Test
    void aMainThatReturnsStillSeesTheRetryingConnectComplete() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ConnectAsyncMain.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM must exit once the future has completed");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("started"), out);
        assertTrue(out.contains("completed ECONNREFUSED"), "the JVM exited between attempts, before the future completed: " + out);
        assertEquals(0, p.exitValue(), out);
    }
}
