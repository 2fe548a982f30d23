package io.jnet.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request as {@link ScriptedHttpServer} received it: request line, headers in order, body (de-chunked
 * when it came chunked), and which connection it came on. Immutable.
 *
 * <pre>{@code
 * RecordedRequest r = server.takeRequest(Duration.ofSeconds(5));
 * assertEquals("POST /items HTTP/1.1", r.requestLine());
 * assertEquals("application/json", r.header("Content-Type"));
 * assertEquals("{\"a\":1}", r.bodyUtf8());
 * }</pre>
 */
public final class RecordedRequest {
    private final String requestLine;
    private final List<String> headerLines;
    private final byte[] body;
    private final boolean chunked;
    private final int connectionIndex;
    private final int sequence;

    RecordedRequest(String requestLine, List<String> headerLines, byte[] body, boolean chunked, int connectionIndex, int sequence) {
        this.requestLine = requestLine;
        this.headerLines = List.copyOf(headerLines);
        this.body = body;
        this.chunked = chunked;
        this.connectionIndex = connectionIndex;
        this.sequence = sequence;
    }

    /** {@code GET /path?q=1 HTTP/1.1}. */
    public String requestLine() {
        return requestLine;
    }

    /** {@code GET}. */
    public String method() {
        return requestLine.split(" ", 2)[0];
    }

    /** The request target as sent: {@code /path?q=1}. */
    public String target() {
        String[] parts = requestLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    /** The header lines as sent ({@code Host: localhost:8080}), in order. */
    public List<String> headerLines() {
        return headerLines;
    }

    /** The first value of the header, ignoring case in the name; null when absent. */
    public String header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every value of the header, in order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lower)) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    /** The body (de-chunked); a copy. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the body came with {@code Transfer-Encoding: chunked}. */
    public boolean chunked() {
        return chunked;
    }

    /** Which connection it came on: 1 for the server's first accepted connection, 2 for the next... */
    public int connectionIndex() {
        return connectionIndex;
    }

    /** Its place among the requests of its connection: 0 for the first (a reused connection has more). */
    public int sequenceOnConnection() {
        return sequence;
    }

    @Override
    public String toString() {
        return requestLine + " (connection " + connectionIndex + " #" + sequence + ", " + body.length + " body bytes)";
    }
}
