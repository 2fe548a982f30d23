package io.jnet.cli.demo;

import io.jnet.Endpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code jnet demo} tour, section by section. Everything it opens is on loopback or in a temporary
 * directory it deletes afterwards, and every wait is bounded, so it cannot hang or leave files behind.
 *
 * <pre>{@code
 * int exit = new Demo(System.out).run();
 * }</pre>
 */
public final class Demo {
    private final PrintStream out;
    private final Transcript t;

    public Demo(PrintStream out) {
        this.out = out;
        this.t = new Transcript(out);
    }

    /**
     * Runs every section; returns 0. A section that fails throws, and the command reports it as one
     * line with exit code 1.
     */
    public int run() throws Exception {
        long start = System.nanoTime();
        out.println("jnet demo: Node's net module on the JVM, against itself on loopback.");
        Path dir = Files.createTempDirectory("jnet-demo-");
        try {
            t.section("TCP echo on 127.0.0.1 (port 0: the system picks a free one)");
            EchoDemo.run(t, Endpoint.tcp("127.0.0.1", 0), "hello over TCP\n");

            t.section("The same code over IPC: a Unix domain socket file in " + dir);
            EchoDemo.run(t, Endpoint.ipc(dir.resolve("echo.sock")), "hello over IPC\n");

            t.section("Messages, not bytes: newline-delimited frames over IPC");
            MessagingDemo.run(t, Endpoint.ipc(dir.resolve("messages.sock")));

            t.section("HTTP/1.1 over a jnet socket: one-shot vs keep-alive");
            HttpDemo.run(t);
        } finally {
            deleteRecursively(dir);
        }
        out.printf("%nAll done in %d ms.%n", (System.nanoTime() - start) / 1_000_000);
        return 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
