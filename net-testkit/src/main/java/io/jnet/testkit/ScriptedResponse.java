package io.jnet.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One scripted answer of {@link ScriptedHttpServer}: what to send, how to cut and pace it, and what to do
 * with the connection afterwards. Immutable: every method returns a changed copy.
 *
 * <pre>{@code
 * server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("hello"));
 * server.enqueue(ScriptedResponse.status(200).body("hello world").chunked(4).byteByByte());
 * server.enqueue(ScriptedResponse.status(200).body("slow").bodyDelay(Duration.ofMillis(500)));
 * server.enqueue(ScriptedResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc").then(After.END));
 * server.enqueue(ScriptedResponse.reset());       // an RST instead of a response
 * }</pre>
 *
 * <p>A response built with {@link #status} gets {@code Content-Length} for its body unless it is
 * {@link #chunked} or the script set either header itself; {@link #raw} responses are sent exactly as
 * given. Bytes are ISO-8859-1 for header text, UTF-8 for a {@code String} body.
 */
public final class ScriptedResponse {

    /** What happens to the connection once the response is sent. */
    public enum After {
        /** Keep it open and answer the next request (the default). */
        KEEP_OPEN,
        /** Half-close: {@code end()} our side (the client sees end-of-stream), keep reading. */
        END,
        /** Close it at once ({@code destroy()}), discarding anything still queued. */
        DESTROY,
        /** Abort it with a TCP RST: the client's next read fails with "connection reset" (TCP only). */
        RESET
    }

    private final int status;
    private final String reason;
    private final List<String[]> headers;
    private final byte[] body;
    private final byte[] raw;
    private final int chunkSize;
    private final boolean respond;
    private final Duration headersDelay;
    private final Duration bodyDelay;
    private final int bytesPerWrite;
    private final Duration writeGap;
    private final long randomSeed;
    private final After after;

    private ScriptedResponse(int status, String reason, List<String[]> headers, byte[] body, byte[] raw, int chunkSize,
            boolean respond, Duration headersDelay, Duration bodyDelay, int bytesPerWrite, Duration writeGap,
            long randomSeed, After after) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.raw = raw;
        this.chunkSize = chunkSize;
        this.respond = respond;
        this.headersDelay = headersDelay;
        this.bodyDelay = bodyDelay;
        this.bytesPerWrite = bytesPerWrite;
        this.writeGap = writeGap;
        this.randomSeed = randomSeed;
        this.after = after;
    }

    /** A response with this status code and its usual reason phrase, no headers, an empty body. */
    public static ScriptedResponse status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status must be three digits but was " + code);
        }
        return new ScriptedResponse(code, reasonPhrase(code), List.of(), new byte[0], null, 0, true,
                Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, After.KEEP_OPEN);
    }

    /** {@code 200 OK} with a UTF-8 body. */
    public static ScriptedResponse ok(String body) {
        return status(200).body(body);
    }

    /** Exactly these bytes, head and body: for malformed or unusual responses. */
    public static ScriptedResponse raw(byte[] bytes) {
        return new ScriptedResponse(0, null, List.of(), new byte[0], bytes.clone(), 0, true,
                Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, After.KEEP_OPEN);
    }

    /** Exactly this text as ISO-8859-1 bytes (one byte per char, so {@code \r\n} is what it says). */
    public static ScriptedResponse raw(String text) {
        return raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the request and answers nothing; then {@link #then(After)} (by default the connection just stays open). */
    public static ScriptedResponse noResponse() {
        return new ScriptedResponse(0, null, List.of(), new byte[0], new byte[0], 0, false,
                Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 0, After.KEEP_OPEN);
    }

    /** Reads the request and aborts the connection with an RST instead of answering. */
    public static ScriptedResponse reset() {
        return noResponse().then(After.RESET);
    }

    /** Adds a header (repeatable, sent in order). */
    public ScriptedResponse header(String name, String value) {
        requireStructured("header");
        List<String[]> h = new ArrayList<>(headers);
        h.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
        return new ScriptedResponse(status, reason, List.copyOf(h), body, raw, chunkSize, respond, headersDelay,
                bodyDelay, bytesPerWrite, writeGap, randomSeed, after);
    }

    /** Replaces the reason phrase ({@code "OK"} for 200 by default). */
    public ScriptedResponse reason(String phrase) {
        requireStructured("reason");
        return new ScriptedResponse(status, Objects.requireNonNull(phrase, "phrase"), headers, body, raw, chunkSize,
                respond, headersDelay, bodyDelay, bytesPerWrite, writeGap, randomSeed, after);
    }

    /** The body; the array is copied. */
    public ScriptedResponse body(byte[] bytes) {
        requireStructured("body");
        return new ScriptedResponse(status, reason, headers, bytes.clone(), raw, chunkSize, respond, headersDelay,
                bodyDelay, bytesPerWrite, writeGap, randomSeed, after);
    }

    /** The body as UTF-8. */
    public ScriptedResponse body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the body with {@code Transfer-Encoding: chunked}, in chunks of at most {@code size} bytes. */
    public ScriptedResponse chunked(int size) {
        requireStructured("chunked");
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 but was " + size);
        }
        return new ScriptedResponse(status, reason, headers, body, raw, size, respond, headersDelay, bodyDelay,
                bytesPerWrite, writeGap, randomSeed, after);
    }

    /** Waits this long after the request before sending anything. */
    public ScriptedResponse headersDelay(Duration delay) {
        return new ScriptedResponse(status, reason, headers, body, raw, chunkSize, respond, requireNotNegative(delay),
                bodyDelay, bytesPerWrite, writeGap, randomSeed, after);
    }

    /** Waits this long between the head (status line and headers) and the body. Not for {@link #raw} responses. */
    public ScriptedResponse bodyDelay(Duration delay) {
        requireStructured("bodyDelay");
        return new ScriptedResponse(status, reason, headers, body, raw, chunkSize, respond, headersDelay,
                requireNotNegative(delay), bytesPerWrite, writeGap, randomSeed, after);
    }

    /**
     * Sends at most {@code bytes} per write, waiting {@code gap} between writes (a slow server; a
     * slowloris one with one byte and a long gap). With a zero gap each write still waits until the
     * previous one was handed to the kernel.
     */
    public ScriptedResponse throttle(int bytes, Duration gap) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes per write must be at least 1 but was " + bytes);
        }
        return new ScriptedResponse(status, reason, headers, body, raw, chunkSize, respond, headersDelay, bodyDelay,
                bytes, requireNotNegative(gap), 0, after);
    }

    /**
     * One byte per write, each handed to the kernel before the next, with {@code TCP_NODELAY}: the client
     * usually reads many small pieces, though the kernel may still join some. For one byte per read,
     * {@link #throttle} with a gap.
     */
    public ScriptedResponse byteByByte() {
        return throttle(1, Duration.ZERO);
    }

    /** Writes of 1 to 12 bytes, their sizes drawn from a {@code Random} with this seed (replayable). */
    public ScriptedResponse randomWrites(long seed) {
        return new ScriptedResponse(status, reason, headers, body, raw, chunkSize, respond, headersDelay, bodyDelay,
                -1, Duration.ZERO, seed, after);
    }

    /** What to do with the connection after the response (or instead of it, for {@link #noResponse}). */
    public ScriptedResponse then(After action) {
        return new ScriptedResponse(status, reason, headers, body, raw, chunkSize, respond, headersDelay, bodyDelay,
                bytesPerWrite, writeGap, randomSeed, Objects.requireNonNull(action, "action"));
    }

    After after() {
        return after;
    }

    boolean responds() {
        return respond;
    }

    Duration headersDelay() {
        return headersDelay;
    }

    Duration bodyDelay() {
        return bodyDelay;
    }

    /** Bytes per write: 0 all at once, -1 random sizes (see {@link #randomSeed()}). */
    int bytesPerWrite() {
        return bytesPerWrite;
    }

    Duration writeGap() {
        return writeGap;
    }

    long randomSeed() {
        return randomSeed;
    }

    /** Status line and headers, through the blank line; the whole response for a raw one. */
    byte[] head() {
        if (raw != null) {
            return raw.clone();
        }
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        boolean framed = false;
        for (String[] header : headers) {
            h.append(header[0]).append(": ").append(header[1]).append("\r\n");
            String name = header[0].toLowerCase(Locale.ROOT);
            framed |= name.equals("content-length") || name.equals("transfer-encoding");
        }
        if (!framed) {
            h.append(chunkSize > 0 ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length).append("\r\n");
        }
        return h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The body as it goes on the wire (chunk-framed when chunked); empty for a raw response. */
    byte[] wireBody() {
        if (raw != null || chunkSize == 0) {
            return raw != null ? new byte[0] : body.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += chunkSize) {
            int n = Math.min(chunkSize, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private void requireStructured(String what) {
        if (raw != null) {
            throw new IllegalStateException(what + "() does not apply to a raw response or to noResponse(): "
                    + "their bytes are exactly as given");
        }
    }

    private static Duration requireNotNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative but was " + d);
        }
        return d;
    }

    private static String reasonPhrase(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + code;
        };
    }

    @Override
    public String toString() {
        String what = !respond ? "no response" : raw != null ? "raw " + raw.length + " bytes" : status + " " + reason
                + (chunkSize > 0 ? ", chunked " + chunkSize : "") + ", body " + body.length + " bytes";
        return "ScriptedResponse[" + what + ", then " + after + "]";
    }
}
