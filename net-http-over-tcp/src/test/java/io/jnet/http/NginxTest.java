package io.jnet.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RealServerSuite} against nginx, started as a child process with a temporary config on a free
 * loopback port; skipped when nginx is not installed. Static files stand in for the routes (there is
 * no /echo), gzip is on, so {@code /chunked} arrives gzip-compressed and chunked.
 */
class NginxTest extends RealServerSuite {
    @TempDir
    static Path dir;
    static Process nginx;
    static int port;

    static Path nginxBinary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Writes the content and config, starts nginx in the foreground, waits (bounded) until it accepts. */
    static Process start(Path root, String listen, Runnable awaitReady) throws Exception {
        Path nginxBin = nginxBinary();
        assumeTrue(nginxBin != null, "nginx is not installed");
        Path html = Files.createDirectories(root.resolve("html"));
        Files.writeString(html.resolve("hello"), "Hello, World!");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(html.resolve("chunked"), lines);
        Files.writeString(html.resolve("gzip"), "squeezed ".repeat(1000));
        Files.createDirectories(root.resolve("logs"));
        // nginx's worker drops to an unprivileged user when started as root: let it read the content.
        for (Path p : new Path[] {root, html}) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var files = Files.list(html)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    default_type text/plain;
                    gzip on;
                    gzip_types text/plain;
                    gzip_min_length 100;
                    keepalive_requests 10000;
                    server {
                        listen %2$s;
                        root %1$s/html;
                        location = /empty { return 204; }
                        location = /connections { stub_status; }
                    }
                }
                """.formatted(root, listen);
        Path confFile = root.resolve("nginx.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(nginxBin.toString(), "-p", root.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("logs/stdout.log").toFile()).start();
        awaitReady.run();
        return p;
    }

    @BeforeAll
    static void startNginx() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now; nginx binds it a moment later
        }
        nginx = start(dir, "127.0.0.1:" + port, () -> awaitTcp(port));
    }

    private static void awaitTcp(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(20)).until(() -> true);
            }
        }
        throw new IllegalStateException("nginx did not start listening on port " + port);
    }

    @AfterAll
    static void stopNginx() throws Exception {
        stop(nginx);
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy(); // SIGTERM: nginx's fast shutdown
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    protected boolean echoes() {
        return false;
    }

    /** stub_status: "server accepts handled requests\n N N N"; the first N is what we want. */
    @Override
    protected int connections() throws Exception {
        try (HttpResponse r = get("/connections")) {
            Matcher m = Pattern.compile("requests\\s+(\\d+)").matcher(r.bodyString());
            if (!m.find()) {
                throw new AssertionError("unexpected stub_status output");
            }
            return Integer.parseInt(m.group(1));
        }
    }
}
