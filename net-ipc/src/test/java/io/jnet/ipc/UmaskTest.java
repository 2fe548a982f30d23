package io.jnet.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket file is owner-only even in a process whose umask lets everything through. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UmaskTest {
    @TempDir
    Path dir;

    @Test
    void socketFileIsOwnerOnlyUnderUmaskZeroWhereAPlainBindIsWorldWritable() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The umask is per process and Java cannot set it, so a shell sets it for a child JVM.
        Process child = new ProcessBuilder("/bin/sh", "-c", "umask 000 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\" \"$4\"",
                java, System.getProperty("java.class.path"), UmaskChild.class.getName(),
                dir.resolve("plain.sock").toString(), dir.resolve("jnet.sock").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        assertEquals(List.of("plain rw-rw-rw-", "jnet rw-------"), out.lines().toList(), out);
    }
}
