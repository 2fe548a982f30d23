package io.jnet.http;

import io.jnet.NetException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An HTTP request: method, {@code http://} URI, headers and body. Immutable; build one with
 * {@link #builder(URI)} or the shortcuts.
 *
 * <pre>{@code
 * HttpRequest get = HttpRequest.get("http://localhost:8080/items?page=2");
 * HttpRequest post = HttpRequest.builder(URI.create("http://localhost:8080/items"))
 *         .method("POST")
 *         .header("Content-Type", "application/json")
 *         .body(HttpRequest.Body.ofString("{\"name\":\"x\"}"))
 *         .build();
 * }</pre>
 *
 * <p>The client writes {@code Host}, {@code Content-Length} and {@code Transfer-Encoding} itself; a
 * {@code Host} given here replaces the default (useful over a Unix socket), the two framing headers
 * may not be given.
 *
 * @param method  an RFC 9110 token, upper case by convention ({@code GET}, {@code POST})
 * @param uri     an absolute {@code http://} URI; {@code https} is refused
 * @param headers the fields to send besides those the client adds
 * @param body    what to send after the headers
 */
public record HttpRequest(String method, URI uri, HttpHeaders headers, Body body) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        String problem = Tokens.checkToken("method", method);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            throw new IllegalArgumentException("https is not supported (no TLS in jnet yet): " + uri);
        }
        if (!"http".equals(scheme)) {
            throw new IllegalArgumentException("expected an absolute http:// URI but was \"" + uri + "\"");
        }
        if (uri.getHost() == null) {
            // java.net.URI leaves the host null for "http:/x" and also when the authority is no valid
            // host[:port] ("h:99999999999", "under_score.com"): then it is only a "registry" name.
            throw new IllegalArgumentException(uri.getRawAuthority() == null
                    ? "URI has no host: \"" + uri + "\""
                    : "URI has no valid host and port (0-65535) in \"" + uri.getRawAuthority() + "\": \"" + uri + "\"");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("port " + uri.getPort() + " is out of range 0-65535 in \"" + uri + "\"");
        }
        // Refused now rather than when the request is sent: a target the writer cannot write, a host
        // the socket layer cannot connect to (longer than 253 characters, say).
        try {
            RequestWriter.target(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " of \"" + uri + "\"", e);
        }
        try {
            Origin.of(uri, null).endpoint();
        } catch (NetException e) {
            throw new IllegalArgumentException(e.getMessage() + " in \"" + uri + "\"", e);
        }
        for (String framing : new String[] {"Content-Length", "Transfer-Encoding"}) {
            if (headers.contains(framing)) {
                throw new IllegalArgumentException(framing + " is written by the client from the body; do not set it");
            }
        }
    }

    /**
     * A GET of {@code uri}.
     *
     * @throws IllegalArgumentException naming {@code uri} when it is no absolute {@code http://} URI with a
     *                                  host, or holds what cannot be sent
     */
    public static HttpRequest get(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            // Quoted here: the JDK's own message need not hold the text as given (JDK 25 folds its spaces).
            throw new IllegalArgumentException(e.getReason() + (e.getIndex() < 0 ? "" : " at index " + e.getIndex())
                    + " of \"" + uri + "\"", e);
        } catch (NumberFormatException e) {
            // Some JDK 17 updates let the port's Integer.parseInt fail through the URI parser unexplained.
            throw new IllegalArgumentException("invalid port in URI \"" + uri + "\": " + e.getMessage(), e);
        }
        return builder(parsed).build();
    }

    /** A builder for a GET of {@code uri} with no headers and no body. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Whether repeating the request is harmless (RFC 9110 §9.2.2), so it may be retried once when a
     * reused connection dies before the response starts. A streamed body cannot be replayed.
     */
    public boolean isIdempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> !(body instanceof Body.Stream);
            default -> false;
        };
    }

    /**
     * {@code GET http://host/path}, for messages and logs. User-info ({@code http://user:secret@host/})
     * is left out: this text ends up in exception messages, and those end up in logs.
     */
    @Override
    public String toString() {
        return method + " " + withoutUserInfo(uri);
    }

    /** {@code uri} as written, less its {@code user:password@}. */
    static String withoutUserInfo(URI uri) {
        String s = uri.toString();
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return s;
        }
        // The user-info comes right after "scheme://": its first occurrence with the '@' is the one.
        int at = s.indexOf(userInfo + "@");
        return at < 0 ? s : s.substring(0, at) + s.substring(at + userInfo.length() + 1);
    }

    /** What a request sends after its headers. */
    public sealed interface Body permits Body.Empty, Body.Bytes, Body.Stream {

        /** No body. */
        static Body none() {
            return Empty.INSTANCE;
        }

        /** These bytes, sent with {@code Content-Length}; the array is not copied, do not change it. */
        static Body ofBytes(byte[] bytes) {
            return new Bytes(bytes);
        }

        /** The string encoded as UTF-8. */
        static Body ofString(String text) {
            return ofString(text, StandardCharsets.UTF_8);
        }

        /** The string encoded in {@code charset}. */
        static Body ofString(String text, Charset charset) {
            return new Bytes(text.getBytes(charset));
        }

        /**
         * A stream of unknown length, sent with {@code Transfer-Encoding: chunked}. The client opens
         * the stream once, reads it on the calling thread (or the async executor) and closes it.
         */
        static Body ofInputStream(Supplier<? extends InputStream> stream) {
            return new Stream(stream);
        }

        /** No body. */
        enum Empty implements Body {
            INSTANCE
        }

        /** A body of known length. */
        record Bytes(byte[] bytes) implements Body {
            public Bytes {
                Objects.requireNonNull(bytes, "bytes");
            }
        }

        /** A body of unknown length, sent chunked. */
        record Stream(Supplier<? extends InputStream> stream) implements Body {
            public Stream {
                Objects.requireNonNull(stream, "stream");
            }
        }
    }

    /** Builds an {@link HttpRequest}; not thread-safe. */
    public static final class Builder {
        private String method = "GET";
        private URI uri;
        private final HttpHeaders.Builder headers = HttpHeaders.builder();
        private Body body = Body.none();

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder uri(URI uri) {
            this.uri = uri;
            return this;
        }

        /** Adds a header field; validated at once (see {@link HttpHeaders.Builder#add}). */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** Replaces every field of this name with one. */
        public Builder setHeader(String name, String value) {
            headers.set(name, value);
            return this;
        }

        public Builder body(Body body) {
            this.body = body;
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(method, uri, headers.build(), body);
        }
    }
}
