package io.jnet.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of header fields: names keep the case they arrived in, lookups ignore
 * case, and a name may appear many times (each occurrence is kept, in order).
 *
 * <pre>{@code
 * HttpHeaders headers = HttpHeaders.builder()
 *         .add("Accept", "application/json")
 *         .add("X-Trace", "a")
 *         .add("x-trace", "b")
 *         .build();
 * headers.first("accept");   // Optional["application/json"]
 * headers.all("X-TRACE");    // ["a", "b"]
 * }</pre>
 *
 * <p>Names and values given to the builder are validated at once (a name must be an RFC 9110 token;
 * a value must not hold CR, LF, NUL or other control characters), so no header can smuggle another
 * one into a request. Thread-safe (immutable).
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = new HttpHeaders(new String[0], 0);

    /** What {@link #toString} shows in place of a secret value. */
    static final String REDACTED = "[redacted]";

    /** name0, value0, name1, value1, …; short lists make a linear scan the fastest lookup. */
    private final String[] pairs;
    private final int size;

    private HttpHeaders(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** No headers. */
    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** Headers from alternating names and values: {@code of("Accept", "*}{@code /*", "X-A", "1")}. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected names and values in pairs but got " + namesAndValues.length + " strings");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these headers. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pairs = Arrays.copyOf(pairs, Math.max(8, size * 2));
        b.size = size;
        return b;
    }

    /** The number of fields (a name that appears twice counts twice). */
    public int size() {
        return size;
    }

    /** The name of the i-th field, as it was written. */
    public String name(int i) {
        return pairs[2 * checkIndex(i)];
    }

    /** The value of the i-th field. */
    public String value(int i) {
        return pairs[2 * checkIndex(i) + 1];
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("header index " + i + " of " + size);
        }
        return i;
    }

    /** The first value of the named field, ignoring case. */
    public Optional<String> first(String name) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i].equalsIgnoreCase(name)) {
                return Optional.of(pairs[2 * i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Every value of the named field, ignoring case, in order; empty if absent. */
    public List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(pairs[2 * i + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /** Whether the named field is present, ignoring case. */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /**
     * Whether the comma-separated values of the named field hold {@code token}, ignoring case, as
     * {@code Connection: keep-alive, Upgrade} holds {@code upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i].equalsIgnoreCase(name)) {
                for (String part : pairs[2 * i + 1].split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The distinct names, ignoring case, in order of first appearance (with the case of that one). */
    public Set<String> names() {
        Set<String> lower = new LinkedHashSet<>();
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            if (lower.add(pairs[2 * i].toLowerCase(java.util.Locale.ROOT))) {
                out.add(pairs[2 * i]);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Calls {@code action} with every name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(pairs[2 * i], pairs[2 * i + 1]);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < 2 * size; i++) {
            if (!pairs[i].equals(other.pairs[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < 2 * size; i++) {
            h = 31 * h + pairs[i].hashCode();
        }
        return h;
    }

    /**
     * {@code Name: value} lines, for logs; the values of {@code Authorization}, {@code Proxy-Authorization},
     * {@code Cookie} and {@code Set-Cookie} are shown as {@value #REDACTED}, since credentials and
     * session cookies must not end up in a log. The values themselves are in {@link #all}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(isSecret(n) ? REDACTED : v).append('\n'));
        return sb.toString();
    }

    private static boolean isSecret(String name) {
        return name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")
                || name.equalsIgnoreCase("Cookie") || name.equalsIgnoreCase("Set-Cookie");
    }

    /** Builds {@link HttpHeaders}; not thread-safe. */
    public static final class Builder {
        private String[] pairs = new String[16];
        private int size;

        private Builder() {
        }

        /**
         * Appends a field.
         *
         * @throws IllegalArgumentException when the name is not a token or the value holds CR, LF,
         *                                  NUL or another control character; the message says which
         */
        public Builder add(String name, String value) {
            String problem = Tokens.checkToken("header name", name);
            if (problem == null) {
                problem = Tokens.checkValue(name, value);
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return addTrusted(name, value);
        }

        /** Removes every field of this name (ignoring case), then appends one. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /** Removes every field of this name, ignoring case. */
        public Builder remove(String name) {
            int w = 0;
            for (int r = 0; r < size; r++) {
                if (!pairs[2 * r].equalsIgnoreCase(name)) {
                    pairs[2 * w] = pairs[2 * r];
                    pairs[2 * w + 1] = pairs[2 * r + 1];
                    w++;
                }
            }
            Arrays.fill(pairs, 2 * w, 2 * size, null);
            size = w;
            return this;
        }

        /** For the parser, which has checked every byte already. */
        Builder addTrusted(String name, String value) {
            if (2 * size + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * size] = name;
            pairs[2 * size + 1] = value;
            size++;
            return this;
        }

        /** For obs-fold: the parser appends a continuation line to the last value. */
        void appendToLastValue(String more) {
            pairs[2 * size - 1] = pairs[2 * size - 1] + more;
        }

        int size() {
            return size;
        }

        /** Immutable headers; the builder may be used on. */
        public HttpHeaders build() {
            return size == 0 ? EMPTY : new HttpHeaders(Arrays.copyOf(pairs, 2 * size), size);
        }
    }
}
