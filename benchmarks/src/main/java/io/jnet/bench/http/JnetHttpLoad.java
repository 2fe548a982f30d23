package io.jnet.bench.http;

import io.jnet.http.HttpClient;
import io.jnet.http.HttpRequest;
import io.jnet.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * jnet's {@link HttpClient} under {@link HttpLoad}: one client per workload with a pool as large as
 * the workload's concurrency (the default 16 would cap {@code conc64}), {@code send} then
 * {@code bodyBytes} on each load thread, the way the client is meant to be used. A {@code unix:}
 * target uses {@code socketPath}. Defaults otherwise (it asks for gzip; the benchmark's nginx does
 * not compress).
 *
 * <p>{@code java -cp ... io.jnet.bench.http.JnetHttpLoad tcp:127.0.0.1:8080 seq1_hello,conc64_64k}
 */
public final class JnetHttpLoad {
    private JnetHttpLoad() {
    }

    public static void main(String[] args) throws Exception {
        HttpLoad.main(args, (target, concurrency) -> {
            HttpClient.Builder b = HttpClient.builder().maxConnectionsPerOrigin(concurrency).maxIdlePerOrigin(concurrency);
            String base;
            if (target.isUnix()) {
                b.socketPath(target.path());
                base = "http://localhost";
            } else {
                InetSocketAddress a = (InetSocketAddress) target.address();
                base = "http://" + a.getHostString() + ":" + a.getPort();
            }
            HttpClient client = b.build();
            ConcurrentHashMap<String, HttpRequest> requests = new ConcurrentHashMap<>();
            return new HttpLoad.Client() {
                @Override
                public long get(String path) throws Exception {
                    HttpRequest request = requests.computeIfAbsent(path, p -> HttpRequest.get(base + p));
                    try (HttpResponse response = client.send(request)) {
                        byte[] body = response.bodyBytes();
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(request + ": " + response);
                        }
                        return body.length;
                    }
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        });
    }
}
