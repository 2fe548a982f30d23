package io.jnet.it;

import io.jnet.http.HttpClient;
import io.jnet.http.HttpRequest;
import io.jnet.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jnet's HTTP client, as a library and as {@code jnet http}, against a real nginx over TCP and over
 * its Unix socket. nginx's {@code $connection} serial number shows whether requests shared a
 * connection. Skipped where nginx is not installed (CI installs it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxHttpTest {
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final int REQUESTS = 5;

    @TempDir
    static Path dir;
    private static NginxPeer nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        assumeTrue(NginxPeer.available(), "nginx is not on PATH; install it (apt-get install -y nginx) to run the nginx suite");
        nginx = NginxPeer.start(dir.resolve("nginx"));
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void keepAliveRequestsShareOneNginxConnectionOverTcp() throws Exception {
        try (HttpClient client = HttpClient.create()) {
            assertEquals(1, distinctConnections(client, nginx.baseUrl() + "/conn", false));
        }
    }

    @Test
    void connectionCloseRequestsEachGetTheirOwnNginxConnection() throws Exception {
        try (HttpClient client = HttpClient.create()) {
            assertEquals(REQUESTS, distinctConnections(client, nginx.baseUrl() + "/conn", true));
        }
    }

    @Test
    void keepAliveRequestsShareOneNginxConnectionOverItsUnixSocket() throws Exception {
        try (HttpClient client = HttpClient.builder().socketPath(nginx.socketPath()).build()) {
            assertEquals(1, distinctConnections(client, "http://localhost/conn", false));
        }
    }

    @Test
    void jnetHttpFetchesAStaticFileOverTcpAndOverTheUnixSocket() throws Exception {
        try (ChildProcess tcp = ChildProcess.jnet("http", nginx.baseUrl() + "/hello.txt");
             ChildProcess unix = ChildProcess.jnet("http", "--unix-socket", nginx.socketPath().toString(), "http://localhost/hello.txt")) {
            assertEquals(0, tcp.awaitExit(EXIT), tcp.stderr());
            assertEquals(0, unix.awaitExit(EXIT), unix.stderr());
            assertEquals("hello from nginx\n", tcp.stdoutText());
            assertEquals("hello from nginx\n", unix.stdoutText());
        }
    }

    @Test
    void jnetHttpPrintsNginxsNotFoundAndExitsZero() throws Exception {
        try (ChildProcess jnet = ChildProcess.jnet("http", "-i", nginx.baseUrl() + "/missing")) {
            assertEquals(0, jnet.awaitExit(EXIT), jnet.stderr());
            String out = jnet.stdoutText();
            assertEquals("HTTP/1.1 404 Not Found", out.substring(0, out.indexOf("\r\n")));
            assertEquals(true, out.contains("\r\nServer: nginx"), out);
        }
    }

    /** Sends {@link #REQUESTS} GETs of nginx's {@code $connection} and counts the different answers. */
    private static int distinctConnections(HttpClient client, String url, boolean close) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest.Builder request = HttpRequest.builder(URI.create(url));
            if (close) {
                request.header("Connection", "close");
            }
            try (HttpResponse response = client.send(request.build())) {
                assertEquals(200, response.statusCode(), response.toString());
                seen.add(response.bodyString().trim());
            }
        }
        return seen.size();
    }
}
