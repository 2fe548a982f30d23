package io.jnet.cli;

import io.jnet.http.HttpClient;
import io.jnet.http.HttpHeaders;
import io.jnet.http.HttpRequest;
import io.jnet.http.HttpResponse;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jnet http}: a small curl on jnet's HTTP/1.1 client, over TCP or a Unix socket path. The body
 * goes to stdout as it arrives (binary-safe); {@code -i} puts the status line and the headers first,
 * CRLF kept. Any HTTP status is a success (exit 0); a broken response, a timeout or a refused
 * connection is one stderr line and exit 1.
 */
final class HttpCommand implements Command {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "send one HTTP/1.1 request over TCP or a Unix socket path (curl)";
    }

    @Override
    public String help() {
        return """
                Usage: jnet http [-X METHOD] [-H 'Name: value']... [-d DATA | -d @FILE] [-i]
                                 [--unix-socket PATH] [--max-time SECONDS] URL

                Sends one request and writes the response body to stdout as it arrives.

                Options:
                  -X METHOD             request method (default GET, or POST with -d)
                  -H 'Name: value'      add a request header; may be repeated
                  -d DATA               send DATA as the body; -d @FILE sends the file's bytes unchanged.
                                        Content-Type defaults to application/x-www-form-urlencoded
                  -i                    print the status line and headers before the body, CRLF kept
                  --unix-socket PATH    connect to this Unix domain socket instead of the URL's host
                  --max-time SECONDS    give up after this long in all (decimals allowed)

                URL is http://HOST[:PORT]/PATH (https is not supported).

                Exit codes: 0 for any HTTP status; 1 for a refused connection, a timeout or a
                response that breaks HTTP/1.1, with one line on stderr; 2 bad command line.
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        String method = null;
        HttpHeaders.Builder headers = HttpHeaders.builder();
        byte[] data = null;
        boolean include = false;
        Path unixSocket = null;
        Duration maxTime = null;
        String url = null;
        while (args.hasNext()) {
            String arg = args.next();
            switch (arg) {
                case "-X", "--request" -> method = args.value(arg);
                case "-H", "--header" -> addHeader(args, headers, args.value(arg));
                case "-d", "--data" -> data = data(args, args.value(arg));
                case "-i", "--include" -> include = true;
                case "--unix-socket" -> unixSocket = Path.of(args.value(arg));
                case "--max-time" -> maxTime = seconds(args, args.value(arg));
                default -> {
                    if (url != null) {
                        throw args.usage("one URL only, but got " + url + " and " + arg);
                    }
                    url = args.positional(arg);
                }
            }
        }
        if (url == null) {
            throw args.usage("missing URL");
        }
        URI uri = parseUri(args, url);
        if (data != null && !headers.build().contains("Content-Type")) {
            headers.add("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
        }
        HttpRequest.Builder request = HttpRequest.builder(uri).method(method != null ? method : data != null ? "POST" : "GET");
        headers.build().forEach(request::header);
        if (data != null) {
            request.body(HttpRequest.Body.ofBytes(data));
        }

        // gzip off: the body and headers are printed as the server sent them, as curl does by default.
        HttpClient.Builder client = HttpClient.builder().gzip(false).maxIdlePerOrigin(0);
        if (unixSocket != null) {
            client.socketPath(unixSocket);
        }
        if (maxTime != null) {
            client.connectTimeout(maxTime).headersTimeout(maxTime).bodyIdleTimeout(maxTime);
        }
        try (HttpClient http = client.build()) {
            return exchange(http, request.build(), include, maxTime);
        }
    }

    private static int exchange(HttpClient http, HttpRequest request, boolean include, Duration maxTime) throws Exception {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jnet-http-max-time");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<HttpResponse> pending = http.sendAsync(request);
        try {
            // The client's limits cover each phase; --max-time is the whole, so a body that trickles in
            // just inside the idle limit is still cut off. Closing the response makes the read below fail.
            HttpResponse response = maxTime == null ? pending.get() : pending.get(maxTime.toNanos(), TimeUnit.NANOSECONDS);
            if (maxTime != null) {
                watchdog.schedule(() -> {
                    timedOut.set(true);
                    response.close();
                }, maxTime.toNanos(), TimeUnit.NANOSECONDS);
            }
            OutputStream stdout = new FileOutputStream(FileDescriptor.out);
            if (include) {
                stdout.write(head(response).getBytes(StandardCharsets.ISO_8859_1));
            }
            try (InputStream body = response.bodyStream()) {
                body.transferTo(stdout);
            } catch (IOException e) {
                if (timedOut.get()) {
                    throw new IOException("timed out after " + seconds(maxTime) + " s (--max-time) reading the body of " + request, e);
                }
                throw e;
            }
            stdout.flush();
            return Jnet.EXIT_OK;
        } catch (TimeoutException e) {
            pending.cancel(true); // destroys the connection
            throw new IOException("timed out after " + seconds(maxTime) + " s (--max-time) waiting for the response to " + request, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** The status line and header fields, as received (names in their case, in order), CRLF-terminated. */
    private static String head(HttpResponse response) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(response.version()).append(' ').append(response.statusCode()).append(' ').append(response.reason()).append("\r\n");
        HttpHeaders h = response.headers();
        for (int i = 0; i < h.size(); i++) {
            sb.append(h.name(i)).append(": ").append(h.value(i)).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    private static void addHeader(Args args, HttpHeaders.Builder headers, String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw args.usage("-H wants 'Name: value' but got \"" + line + "\"");
        }
        try {
            headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        } catch (IllegalArgumentException e) {
            throw args.usage("-H \"" + line + "\": " + e.getMessage());
        }
    }

    private static byte[] data(Args args, String value) throws IOException {
        if (!value.startsWith("@")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(value.substring(1));
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw args.usage("-d @" + file + ": no such file");
        }
    }

    private static Duration seconds(Args args, String text) {
        try {
            double s = Double.parseDouble(text);
            if (s > 0 && s <= 86_400 && !Double.isNaN(s)) {
                return Duration.ofNanos((long) (s * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw args.usage("--max-time must be a number of seconds above 0 and at most 86400 but was \"" + text + "\"");
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static URI parseUri(Args args, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw args.usage("bad URL \"" + url + "\": " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw args.usage("URL must look like http://HOST[:PORT]/PATH but was \"" + url + "\"");
        }
        return uri;
    }
}
