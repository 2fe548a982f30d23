package io.jnet.bench.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK's {@code java.net.http.HttpClient} under {@link HttpLoad}, HTTP/1.1 forced (its pool has no
 * connection limit, so {@code concN} opens up to N connections), {@code send} with a byte-array body
 * handler on each load thread. TCP only: it cannot use a Unix socket.
 *
 * <p>{@code java -cp ... io.jnet.bench.http.JdkHttpLoad tcp:127.0.0.1:8080 seq1_hello,conc64_64k}
 */
public final class JdkHttpLoad {
    private JdkHttpLoad() {
    }

    public static void main(String[] args) throws Exception {
        HttpLoad.main(args, (target, concurrency) -> {
            if (target.isUnix()) {
                throw new IllegalArgumentException("the JDK HttpClient has no Unix socket transport: " + target.spec());
            }
            InetSocketAddress a = (InetSocketAddress) target.address();
            String base = "http://" + a.getHostString() + ":" + a.getPort();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ConcurrentHashMap<String, HttpRequest> requests = new ConcurrentHashMap<>();
            return new HttpLoad.Client() {
                @Override
                public long get(String path) throws Exception {
                    HttpRequest request = requests.computeIfAbsent(path, p -> HttpRequest.newBuilder(URI.create(base + p)).GET().build());
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(request + ": " + response.statusCode());
                    }
                    return response.body().length;
                }

                @Override
                public void close() {
                    // JDK 17's HttpClient has no close(); its idle connections go with it when collected.
                }
            };
        });
    }
}
