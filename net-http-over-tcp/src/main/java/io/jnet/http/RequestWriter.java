package io.jnet.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns a request into the bytes of its head (request line and header block) and frames streamed
 * bodies as chunks. Everything is checked before the first byte exists, so a bad request never
 * reaches the wire half-written. Stateless and thread-safe.
 */
final class RequestWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private RequestWriter() {
    }

    /**
     * The request line and headers, ending with the empty line. Adds {@code Host} (unless given),
     * {@code Content-Length} for known bodies (and an explicit 0 for methods that usually carry one),
     * {@code Transfer-Encoding: chunked} for streamed bodies, and each of {@code defaults} the request
     * does not set itself.
     *
     * @return a fresh buffer, ready to read, that the caller owns
     * @throws IllegalArgumentException when a header or the request target holds a forbidden byte
     */
    static ByteBuffer head(HttpRequest request, HttpHeaders defaults) {
        URI uri = request.uri();
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append(' ').append(target(uri)).append(" HTTP/1.1\r\n");
        HttpHeaders headers = request.headers();
        if (!headers.contains("Host")) {
            sb.append("Host: ").append(hostHeader(uri)).append("\r\n");
        }
        for (int i = 0; i < headers.size(); i++) {
            appendField(sb, headers.name(i), headers.value(i));
        }
        for (int i = 0; i < defaults.size(); i++) {
            if (!headers.contains(defaults.name(i))) {
                appendField(sb, defaults.name(i), defaults.value(i));
            }
        }
        HttpRequest.Body body = request.body();
        if (body instanceof HttpRequest.Body.Bytes bytes) {
            sb.append("Content-Length: ").append(bytes.bytes().length).append("\r\n");
        } else if (body instanceof HttpRequest.Body.Stream) {
            sb.append("Transfer-Encoding: chunked\r\n");
        } else if (expectsBody(request.method())) {
            // RFC 9110 §8.6: a POST without a body should say so, or some servers wait for one.
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("\r\n");
        // ISO-8859-1 maps each char 0-255 to one byte; the checks above allowed nothing wider.
        return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Bodies up to this size go out in one buffer with their head: one write, not two, for a copy this small. */
    static final int COALESCE_LIMIT = 16 * 1024;

    /**
     * {@code head} followed by {@code body} in one fresh buffer, ready to read: a request of a small
     * body then costs one write system call and goes out in one segment, where two writes with
     * {@code TCP_NODELAY} send two.
     */
    static ByteBuffer withBody(ByteBuffer head, byte[] body) {
        return ByteBuffer.allocate(head.remaining() + body.length).put(head).put(body).flip();
    }

    /** Origin form (RFC 9112 §3.2.1): the raw path, "/" when empty, and the raw query; never the fragment. */
    static String target(URI uri) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        String target = (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("invalid character " + Tokens.describe(c)
                        + " in request target \"" + Tokens.escape(target) + "\" at index " + i);
            }
        }
        return target;
    }

    /** {@code host}, or {@code host:port} when the port is not 80; IPv6 literals keep their brackets. */
    static String hostHeader(URI uri) {
        String host = uri.getHost();
        int port = uri.getPort();
        return port == -1 || port == 80 ? host : host + ":" + port;
    }

    private static void appendField(StringBuilder sb, String name, String value) {
        // HttpHeaders checked these when they were added; checking again costs little and keeps the
        // writer safe whatever built the headers.
        String problem = Tokens.checkToken("header name", name);
        if (problem == null) {
            problem = Tokens.checkValue(name, value);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean expectsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * One chunk of a chunked body: size in hex, CRLF, the bytes, CRLF. Copies {@code len} bytes of
     * {@code data} into a fresh buffer the caller owns, so the caller may refill {@code data} at once.
     */
    static ByteBuffer chunk(byte[] data, int off, int len) {
        if (len <= 0) {
            throw new IllegalArgumentException("a chunk must not be empty (that is the last chunk); length " + len);
        }
        String size = Integer.toHexString(len);
        ByteBuffer out = ByteBuffer.allocate(size.length() + 2 + len + 2);
        for (int i = 0; i < size.length(); i++) {
            out.put((byte) size.charAt(i));
        }
        out.put(CRLF).put(data, off, len).put(CRLF);
        return out.flip();
    }

    /** The zero-size chunk and the empty trailer section that end a chunked body. */
    static ByteBuffer lastChunk() {
        return ByteBuffer.wrap(LAST_CHUNK).asReadOnlyBuffer();
    }
}
