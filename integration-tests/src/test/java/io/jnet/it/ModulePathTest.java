package io.jnet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each artifact as a modular application uses it: a small program from {@code src/test/modular/NAME}
 * (its {@code module-info.java} and {@code Main.java}) compiled here against the reactor's real jars
 * and run as {@code java -p ... -m ...} in a child JVM. The other tests run on the class path, where
 * every jar is readable by every other; only the module path shows a missing {@code requires} (issue
 * 15: junixsocket's native library was not found, an {@code UnsatisfiedLinkError}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathTest {
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Path SOURCES = Path.of(System.getProperty("jnet.modular.sources", "src/test/modular"));
    /** What a broken module graph shows at run time, even when the program catches and prints it. */
    private static final List<String> MODULE_ERRORS = List.of("UnsatisfiedLinkError", "IllegalAccessError",
            "IllegalAccessException", "InaccessibleObjectException", "ClassNotFoundException", "NoClassDefFoundError");

    /**
     * What a user of each artifact gets from Maven, the artifact and its dependencies, plus slf4j-simple
     * so that jnet's warnings reach stderr.
     */
    private static final List<String> API = List.of("net-api", "slf4j-api", "slf4j-simple");
    private static final List<String> TCP = concat(API, List.of("net-tcp"));
    private static final List<String> IPC = concat(API, List.of("net-ipc", "junixsocket-common", "junixsocket-native-common"));

    @TempDir
    Path out;

    @Test
    void tcpServerAndClientExchangeOnTheModulePath() throws Exception {
        String stdout = run("tcp", "example.tcp/example.tcp.Main", TCP);
        assertEquals("server got \"hello over TCP\"\nclient got \"echo: hello over TCP\"\n", stdout);
    }

    @Test
    void ipcServerAndClientExchangeOverASocketFileOnTheModulePath() throws Exception {
        String stdout = run("ipc", "example.ipc/example.ipc.Main", IPC);
        assertEquals("server got \"hello over IPC\"\nclient got \"echo: hello over IPC\"\n", stdout);
    }

    @Test
    void httpClientFetchesOverTcpAndOverAUnixSocketPathOnTheModulePath() throws Exception {
        String stdout = run("http", "example.http/example.http.Main", concat(concat(TCP, IPC), List.of("net-http-over-tcp")));
        assertEquals("tcp: 200 GET /hello over TCP\nunix: 200 GET /hello over a Unix socket\n", stdout);
    }

    /**
     * Compiles program {@code name} against {@code artifacts}, runs {@code module/main} with them and the
     * program on the module path, and returns its stdout once it has exited with 0 and a clean stderr.
     */
    private String run(String name, String moduleAndMain, List<String> artifacts) throws Exception {
        List<Path> modulePath = artifacts.stream().distinct().map(ModulePathTest::onClassPath)
                .collect(Collectors.toCollection(ArrayList::new));
        Path classes = compile(SOURCES.resolve(name), modulePath, out.resolve(name));
        modulePath.add(classes);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (artifacts.contains("junixsocket-common")) {
            // As the README says: JDK 22+ warns when a module loads a native library without this.
            command.add("--enable-native-access=org.newsclub.net.unix");
        }
        command.addAll(List.of("--module-path", join(modulePath), "--module", moduleAndMain));
        try (ChildProcess program = ChildProcess.start("java -p ... -m " + moduleAndMain, command)) {
            int exit = program.awaitExit(EXIT);
            String stderr = program.stderr();
            String report = "\ncommand: " + String.join(" ", command) + "\nstdout: " + program.stdoutText() + "\nstderr: " + stderr;
            for (String error : MODULE_ERRORS) {
                assertFalse(stderr.contains(error), error + " on the module path" + report);
            }
            assertFalse(stderr.contains("restricted method"), "native access not enabled" + report);
            assertEquals(0, exit, "exit code of " + moduleAndMain + report);
            return program.stdoutText();
        }
    }

    /** Compiles {@code module-info.java} and {@code Main.java} from {@code source} into {@code target}. */
    private static Path compile(Path source, List<Path> modulePath, Path target) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: run the tests on a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "--module-path", join(modulePath), "-d", target.toString());
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(
                    source.resolve("module-info.java"), source.resolve("Main.java"));
            boolean compiled = javac.getTask(null, files, diagnostics, options, null, units).call();
            assertTrue(compiled, "javac " + String.join(" ", options) + " " + source + " failed:\n"
                    + diagnostics.getDiagnostics().stream().map(d -> d.toString()).collect(Collectors.joining("\n")));
        }
        return target;
    }

    /**
     * Where the test class path has {@code artifact}: its jar ({@code net-ipc-0.1.0-SNAPSHOT.jar}, not the
     * tests jar), or, when Maven stopped before packaging, the reactor module's {@code target/classes}.
     */
    private static Path onClassPath(String artifact) {
        String classPath = System.getProperty("java.class.path");
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String file = path.getFileName().toString();
            boolean jar = file.startsWith(artifact + "-") && file.endsWith(".jar") && !file.endsWith("-tests.jar")
                    && Character.isDigit(file.charAt(artifact.length() + 1));
            if (jar) {
                return path;
            }
            if (path.endsWith(Path.of(artifact, "target", "classes"))) {
                assertTrue(Files.isRegularFile(path.resolve("module-info.class")), "no module-info.class in " + path);
                return path;
            }
        }
        throw new AssertionError(artifact + " is not on the test class path: " + classPath);
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
