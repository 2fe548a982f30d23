package io.jnet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response whose status line and headers have arrived; the body is read once, in one of four ways:
 * {@link #bodyBytes()}, {@link #bodyString()}, {@link #bodyStream()} (streaming, with back-pressure)
 * or {@link #close()} (discarded).
 *
 * <pre>{@code
 * try (HttpResponse response = client.send(HttpRequest.get("http://localhost:8080/items"))) {
 *     if (response.statusCode() == 200) {
 *         String json = response.bodyString();
 *     }
 * }
 * }</pre>
 *
 * <p>A body that is read to its end hands its connection back to the pool as soon as its last byte
 * arrives; closing the response before that destroys the connection instead (a half-read connection
 * cannot carry another exchange). With transparent gzip, the body is already decompressed and the
 * {@code Content-Encoding} and {@code Content-Length} headers are removed. Thread-safe; read the body
 * from one thread, and never from a jnet listener (an event-loop thread): the body arrives on one, so
 * a read there throws {@link IllegalStateException} instead of waiting forever. {@link #close()} never blocks.
 */
public final class HttpResponse implements AutoCloseable {
    private final HttpRequest request;
    private final HttpVersion version;
    private final int statusCode;
    private final String reason;
    private final HttpHeaders headers;
    private final BodyStream raw;
    private final InputStream body;
    private final AtomicBoolean consumed = new AtomicBoolean();

    HttpResponse(HttpRequest request, HttpVersion version, int statusCode, String reason, HttpHeaders headers,
                 BodyStream raw, InputStream body) {
        this.request = request;
        this.version = version;
        this.statusCode = statusCode;
        this.reason = reason;
        this.headers = headers;
        this.raw = raw;
        this.body = body;
    }

    /** The request this answers (after redirects, the last one sent). */
    public HttpRequest request() {
        return request;
    }

    /** The version in the status line. */
    public HttpVersion version() {
        return version;
    }

    /** The status code, 200-599 (interim 1xx responses are skipped). */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase, possibly empty. */
    public String reason() {
        return reason;
    }

    /** The header fields in the order received; lookups ignore case. */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The trailer fields of a chunked body (empty for other bodies).
     *
     * @throws IllegalStateException before the body has been read to its end
     */
    public HttpHeaders trailers() {
        HttpHeaders t = raw.trailers();
        if (t == null) {
            throw new IllegalStateException("trailers come after the body; read it to its end first");
        }
        return t;
    }

    /**
     * The whole body. Blocks until it has arrived.
     *
     * @throws IllegalStateException on an event-loop thread (in a jnet listener), where waiting would block the loop
     */
    public byte[] bodyBytes() throws IOException {
        // Refused before the body is taken, so the caller can still read it from another thread.
        BodyStream.refuseOnLoop();
        try (InputStream in = take()) {
            return in.readAllBytes();
        }
    }

    /**
     * The whole body decoded with the {@code charset} of {@code Content-Type}, UTF-8 when there is none.
     *
     * @throws IllegalStateException on an event-loop thread, as {@link #bodyBytes()}
     */
    public String bodyString() throws IOException {
        return new String(bodyBytes(), charset());
    }

    /**
     * The body as a stream, read as it arrives; close it when done. Reading slowly pauses the
     * connection, so the server is held back and memory stays bounded. Its reads throw
     * {@link IllegalStateException} on an event-loop thread, as {@link #bodyBytes()}.
     */
    public InputStream bodyStream() {
        return take();
    }

    /** Discards the body (destroying the connection if it was not complete). Harmless when already read. */
    @Override
    public void close() {
        consumed.set(true);
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InputStream take() {
        if (consumed.getAndSet(true)) {
            throw new IllegalStateException("the response body can be read only once");
        }
        return body;
    }

    /** The charset named by {@code Content-Type}, or UTF-8 when absent or unknown to this JVM. */
    Charset charset() {
        String type = headers.first("Content-Type").orElse("");
        for (String param : type.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring(8).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8; // an unknown charset is the server's mistake; UTF-8 is the best guess
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** {@code HTTP/1.1 200 OK (GET http://host/path)}. */
    @Override
    public String toString() {
        return version + " " + statusCode + (reason.isEmpty() ? "" : " " + reason) + " (" + request + ")";
    }
}
