package io.jnet.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * An nginx started for one test class: a temporary prefix directory with its own config, a free
 * loopback port and a Unix socket in that directory, {@code daemon off} and {@code master_process off}
 * so the process the test started is the one that serves (and the one {@link #close()} kills).
 *
 * <p>Serves {@code /hello.txt} from its root and {@code /conn}, which answers nginx's connection
 * serial number: the same number twice means the client reused the connection.
 */
final class NginxPeer implements AutoCloseable {
    private final ChildProcess process;
    private final int port;
    private final Path socket;
    private final Path dir;

    private NginxPeer(ChildProcess process, int port, Path socket, Path dir) {
        this.process = process;
        this.port = port;
        this.socket = socket;
        this.dir = dir;
    }

    /** Whether {@code nginx} can be run here; tests skip themselves when it cannot. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes the config into {@code dir}, starts nginx and waits until it accepts on the port. */
    static NginxPeer start(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("www/hello.txt"), "hello from nginx\n");
        int port = freePort();
        Path socket = dir.resolve("nginx.sock");
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 128; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_timeout 30s;
                    server {
                        listen 127.0.0.1:%2$d;
                        listen unix:%3$s;
                        root %1$s/www;
                        location = /conn { default_type text/plain; return 200 "$connection\\n"; }
                    }
                }
                """.formatted(dir, port, socket);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        ChildProcess process = ChildProcess.start("nginx on 127.0.0.1:" + port,
                List.of("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("logs/error.log").toString()));
        NginxPeer peer = new NginxPeer(process, port, socket, dir);
        try {
            await("nginx accepting on 127.0.0.1:" + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(peer::accepting);
        } catch (RuntimeException | Error e) {
            String log = Files.exists(dir.resolve("logs/error.log")) ? Files.readString(dir.resolve("logs/error.log")) : "(no error log)";
            peer.close();
            throw new AssertionError("nginx did not start: " + process.stderr() + "\n" + log, e);
        }
        return peer;
    }

    private boolean accepting() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return Files.exists(socket);
        } catch (IOException e) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + process.stderr());
            }
            return false;
        }
    }

    /**
     * A loopback port free a moment ago. nginx cannot report a port it picked itself, so there is a
     * small window in which another process could take it; then nginx fails to start and says so.
     */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** nginx's Unix socket. */
    Path socketPath() {
        return socket;
    }

    @Override
    public void close() {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "nginx in " + dir;
    }
}
