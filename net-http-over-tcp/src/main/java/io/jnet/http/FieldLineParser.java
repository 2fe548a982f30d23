package io.jnet.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses one field line (a header or a trailer, RFC 9112 §5) into a headers builder. Strict where
 * leniency has let requests be smuggled: whitespace between name and colon, a bad name character or
 * a control character in the value is an error; obs-fold is accepted and replaced by one space.
 * Stateless.
 */
final class FieldLineParser {
    private FieldLineParser() {
    }

    /**
     * @param line      the line without its terminator; must not be empty
     * @param lineStart the response offset of {@code line[0]}
     * @param into      where the field goes
     * @param maxFields how many fields the block may hold
     */
    static void parse(byte[] line, int len, long lineStart, HttpHeaders.Builder into, int maxFields)
            throws HttpProtocolException {
        if (line[0] == ' ' || line[0] == '\t') {
            fold(line, len, lineStart, into);
            return;
        }
        int colon = -1;
        for (int i = 0; i < len; i++) {
            byte b = line[i];
            if (b == ':') {
                colon = i;
                break;
            }
            if (b == ' ' || b == '\t') {
                throw new HttpProtocolException("whitespace between header name and colon in \"" + quote(line, len) + "\"", lineStart + i);
            }
            if (!Tokens.isTchar(b)) {
                throw new HttpProtocolException("invalid character " + Tokens.describe(b & 0xff) + " in header name \""
                        + quote(line, len) + "\"", lineStart + i);
            }
        }
        if (colon < 0) {
            throw new HttpProtocolException("header line without a colon \"" + quote(line, len) + "\"", lineStart);
        }
        if (colon == 0) {
            throw new HttpProtocolException("empty header name in \"" + quote(line, len) + "\"", lineStart);
        }
        if (into.size() >= maxFields) {
            throw new HttpProtocolException("more than " + maxFields + " header fields", lineStart);
        }
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1);
        into.addTrusted(name, value(line, colon + 1, len, lineStart, name));
    }

    /** obs-fold (RFC 9112 §5.2): a line starting with whitespace continues the previous value. */
    private static void fold(byte[] line, int len, long lineStart, HttpHeaders.Builder into) throws HttpProtocolException {
        if (into.size() == 0) {
            throw new HttpProtocolException("continuation line (obs-fold) before any header field \"" + quote(line, len) + "\"", lineStart);
        }
        String more = value(line, 0, len, lineStart, "(obs-fold)");
        if (!more.isEmpty()) {
            into.appendToLastValue(" " + more);
        }
    }

    /** The field value between {@code from} and {@code to}, optional whitespace trimmed, every byte checked. */
    private static String value(byte[] line, int from, int to, long lineStart, String name) throws HttpProtocolException {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (!Tokens.isFieldValueByte(line[i])) {
                throw new HttpProtocolException("invalid character " + Tokens.describe(line[i] & 0xff) + " in value of header "
                        + name, lineStart + i);
            }
        }
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    static String quote(byte[] line, int len) {
        int n = Math.min(len, 64);
        String s = Tokens.escape(new String(line, 0, n, StandardCharsets.ISO_8859_1));
        return n < len ? s + "..." : s;
    }
}
