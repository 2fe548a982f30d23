package io.jnet.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started: stdout and stderr collected on their own threads (so the child never
 * blocks on a full pipe), waits bounded by a deadline, and {@link #close()} killing it and its
 * children. Use it in try-with-resources so a failing test leaves no process behind.
 *
 * <pre>{@code
 * try (ChildProcess server = ChildProcess.jnet("serve", "--port", "0")) {
 *     String line = server.awaitLine(l -> l.startsWith("listening on "), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
final class ChildProcess implements AutoCloseable {
    private final String description;
    private final Process process;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ChildProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdoutReader = collect(process.getInputStream(), stdout, description + " stdout");
        this.stderrReader = collect(process.getErrorStream(), stderr, description + " stderr");
    }

    /** Starts {@code command}; {@code description} names it in every failure message. */
    static ChildProcess start(String description, List<String> command) {
        try {
            return new ChildProcess(description, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + description + ": " + command, e);
        }
    }

    /** {@code java -jar jnet.jar ARGS} with the JVM running these tests. */
    static ChildProcess jnet(String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jnetJar().toString()));
        command.addAll(List.of(args));
        return start("jnet " + String.join(" ", args), command);
    }

    /** A second JVM running {@code main} from this test class path (jnet's modules included). */
    static ChildProcess java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", main.getName()));
        command.addAll(List.of(args));
        return start(main.getSimpleName() + " " + String.join(" ", args), command);
    }

    /** As {@link #java(Class, String...)}, with JVM options before the class ({@code --add-opens ...}). */
    static ChildProcess java(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", main.getName()));
        command.addAll(List.of(args));
        return start(main.getSimpleName() + " " + String.join(" ", args), command);
    }

    /** {@code node SCRIPT ARGS}, the script from {@code integration-tests/src/test/node}. */
    static ChildProcess node(String script, String... args) {
        Path scripts = Path.of(System.getProperty("jnet.node.scripts", "src/test/node"));
        List<String> command = new ArrayList<>(List.of("node", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        return start("node " + script + " " + String.join(" ", args), command);
    }

    /** The runnable jar under test, as the surefire configuration names it. */
    static Path jnetJar() {
        String jar = System.getProperty("jnet.jar");
        if (jar == null) {
            throw new IllegalStateException("system property jnet.jar is not set; run through Maven (integration-tests/pom.xml sets it)");
        }
        return Path.of(jar);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Thread collect(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                        sink.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process was killed and its pipe closed: what was read so far is kept.
            }
            synchronized (sink) {
                sink.notifyAll();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The child's stdin; closing it sends end-of-file. */
    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Writes {@code data} to the child's stdin and closes it. */
    void sendStdinAndClose(byte[] data) throws IOException {
        try (OutputStream in = process.getOutputStream()) {
            in.write(data);
        }
    }

    /** Waits until a complete stdout line matches, and returns it. */
    String awaitLine(Predicate<String> matcher, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (true) {
                String text = stdout.toString(StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                if (end >= 0) {
                    for (String line : text.substring(0, end).split("\n", -1)) {
                        if (matcher.test(line)) {
                            return line;
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !stdoutReader.isAlive())) {
                    throw new AssertionError("no matching stdout line from " + description + " within " + timeout
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                            + "\nstdout: " + text + "\nstderr: " + stderr());
                }
                stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Waits for the exit (and for both pipes to be read to their end) and returns the exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(description + " still running after " + timeout + "\nstdout: "
                    + stdoutText() + "\nstderr: " + stderr());
        }
        stdoutReader.join(timeout.toMillis());
        stderrReader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** Everything on stdout so far. */
    byte[] stdoutBytes() {
        synchronized (stdout) {
            return stdout.toByteArray();
        }
    }

    /** Everything on stdout so far, as UTF-8. */
    String stdoutText() {
        return new String(stdoutBytes(), StandardCharsets.UTF_8);
    }

    /** Everything on stderr so far, as UTF-8. */
    String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Asks the process to stop (SIGTERM), as Ctrl-C or a service manager would; shutdown hooks run. */
    void terminate() {
        process.destroy();
    }

    /**
     * Kills the process now with SIGKILL ({@link Process#destroyForcibly()} on Linux), as {@code kill -9}
     * would: no shutdown hook, no orderly close; the kernel closes its sockets. Does not wait for it.
     */
    void kill() {
        process.destroyForcibly();
    }

    /** How many complete stdout lines match so far. */
    long countLines(Predicate<String> matcher) {
        String text = stdoutText();
        int end = text.lastIndexOf('\n');
        return end < 0 ? 0 : java.util.Arrays.stream(text.substring(0, end).split("\n", -1)).filter(matcher).count();
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** What failure messages call this process. */
    String description() {
        return description;
    }

    /** Kills the process (and whatever it started) if it still runs, and waits for it to go. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
