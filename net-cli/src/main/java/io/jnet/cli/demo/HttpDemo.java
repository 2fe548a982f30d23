package io.jnet.cli.demo;

import io.jnet.Endpoint;
import io.jnet.http.HttpClient;
import io.jnet.http.HttpRequest;
import io.jnet.http.HttpResponse;

import java.net.URI;

/**
 * The lesson's point, measured: the same GETs sent one connection per request
 * ({@code Connection: close}) and then over one kept-alive connection, against
 * {@link TinyHttpResponder}, with the connections the server accepted and the time taken side by side.
 */
final class HttpDemo {
    private static final int REQUESTS = 50;
    /** Untimed rounds first, so neither column pays for class loading and JIT warm-up. */
    private static final int WARM_UP = 20;

    private HttpDemo() {
    }

    static void run(Transcript t) throws Exception {
        try (TinyHttpResponder responder = new TinyHttpResponder(Endpoint.tcp("127.0.0.1", 0))) {
            URI uri = URI.create("http://" + responder.address() + "/hello");
            t.step("server", "tiny HTTP/1.1 responder on jnet's Server, listening on " + responder.address());
            HttpRequest oneShot = HttpRequest.builder(uri).header("Connection", "close").build();
            HttpRequest keepAlive = HttpRequest.builder(uri).build();

            try (HttpClient warmUp = newClient()) {
                try (HttpResponse first = warmUp.send(oneShot)) {
                    t.step("client", "GET " + uri + " -> " + first.statusCode() + " " + first.reason() + ", body "
                            + Transcript.quote(first.bodyString()));
                }
                roundOf(warmUp, oneShot, WARM_UP);
                roundOf(warmUp, keepAlive, WARM_UP);
            }
            t.step("client", "warm-up done (" + (2 * WARM_UP + 1) + " untimed requests); now " + REQUESTS
                    + " of each kind, each kind with a fresh client");
            // A fresh client per round: the one-shot round cannot borrow a pooled connection, and the
            // keep-alive round pays for its one connection like a real first request would.
            long oneShotNanos;
            int oneShotConnections;
            try (HttpClient client = newClient()) {
                responder.resetCounts();
                oneShotNanos = roundOf(client, oneShot, REQUESTS);
                oneShotConnections = responder.connections();
            }
            long keepAliveNanos;
            int keepAliveConnections;
            try (HttpClient client = newClient()) {
                responder.resetCounts();
                keepAliveNanos = roundOf(client, keepAlive, REQUESTS);
                keepAliveConnections = responder.connections();
            }
            printTable(t, oneShotConnections, oneShotNanos, keepAliveConnections, keepAliveNanos);
        }
    }

    private static void printTable(Transcript t, int oneShotConnections, long oneShotNanos,
                                   int keepAliveConnections, long keepAliveNanos) {
        t.line("");
        t.line(String.format("%-22s %14s %14s", "", "one-shot", "keep-alive"));
        t.line(String.format("%-22s %14s %14s", "", "(Connection:", "(one pooled"));
        t.line(String.format("%-22s %14s %14s", "", "close)", "connection)"));
        t.line(String.format("%-22s %14d %14d", "requests", REQUESTS, REQUESTS));
        t.line(String.format("%-22s %14d %14d", "TCP connections", oneShotConnections, keepAliveConnections));
        t.line(String.format("%-22s %11.1f ms %11.1f ms", "total time", oneShotNanos / 1e6, keepAliveNanos / 1e6));
        t.line(String.format("%-22s %11.3f ms %11.3f ms", "per request", oneShotNanos / 1e6 / REQUESTS,
                keepAliveNanos / 1e6 / REQUESTS));
        t.line("");
        t.line("Each one-shot request pays for a TCP handshake and teardown; keep-alive pays once.");
    }

    /** Bodies exactly as sent (no gzip), so both rounds move the same bytes. */
    private static HttpClient newClient() {
        return HttpClient.builder().gzip(false).build();
    }

    /** Sends {@code n} requests one after the other, reading each body whole; returns the nanoseconds taken. */
    private static long roundOf(HttpClient client, HttpRequest request, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (HttpResponse response = client.send(request)) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("demo responder answered " + response);
                }
                response.bodyBytes();
            }
        }
        return System.nanoTime() - start;
    }
}
