package io.jnet.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnet.ConnectOptions;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Net;
import io.jnet.NetException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RealServerSuite} against nginx listening on a Unix socket, the client aimed at it with
 * {@code socketPath}. Skipped without nginx, and while no IPC transport is on the class path.
 */
class NginxUnixSocketTest extends RealServerSuite {
    @TempDir
    static Path dir;
    static Process nginx;
    static Path socket;

    @BeforeAll
    static void startNginx() throws Exception {
        socket = dir.resolve("nginx.sock");
        try {
            Net.socket(Endpoint.ipc(socket), ConnectOptions.defaults()).destroy();
        } catch (NetException e) {
            assumeTrue(e.code() != ErrorCode.ERR_TRANSPORT_UNAVAILABLE, "no IPC transport on the class path yet");
            throw e;
        }
        nginx = NginxTest.start(dir, "unix:" + socket, () -> Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> Files.exists(socket)));
    }

    @AfterAll
    static void stopNginx() throws Exception {
        NginxTest.stop(nginx);
    }

    @Override
    protected HttpClient newClient() {
        return HttpClient.builder().socketPath(socket).build();
    }

    @Override
    protected URI uri(String path) {
        return URI.create("http://localhost" + path);
    }

    @Override
    protected boolean echoes() {
        return false;
    }

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
