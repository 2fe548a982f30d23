package io.jnet.http;

import java.io.InputStream;
import java.net.URI;
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
            throw new IllegalArgumentException("URI has no host: \"" + uri + "\"");
        }
        for (String framing : new String[] {"Content-Length", "Transfer-Encoding"}) {
            if (headers.contains(framing)) {
                throw new IllegalArgumentException(framing + " is written by the client from the body; do not set it");
            }
        }
    }

    /** A GET of {@code uri}. */
    public static HttpRequest get(String uri) {
        return builder(URI.create(uri)).build();
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

    /** {@code GET http://host/path}, for messages. */
    @Override
    public String toString() {
        return method + " " + uri;
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
