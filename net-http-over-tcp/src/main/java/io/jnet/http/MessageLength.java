package io.jnet.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RFC 9112 §6.3, "Message Body Length", for responses, rule by rule. Stateless.
 */
final class MessageLength {
    private MessageLength() {
    }

    /**
     * The framing of the body that follows a final head, or null when there is no body.
     *
     * @param offset the response offset of the first body byte, for error messages
     */
    static BodyFraming framing(String method, int status, HttpVersion version, HttpHeaders headers,
                               int maxHeaderSize, int maxFields, long offset) throws HttpProtocolException {
        // Rule 1: HEAD, 1xx, 204 and 304 responses end at the empty line, whatever the headers say.
        if (method.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return null;
        }
        // (Rule 2, a 2xx to CONNECT, cannot happen: the client never sends CONNECT.)
        List<String> te = codings(headers.all("Transfer-Encoding"));
        boolean hasLength = headers.contains("Content-Length");
        if (!te.isEmpty()) {
            // Rule 3: Transfer-Encoding overrides Content-Length; such a message (or one with
            // Transfer-Encoding in HTTP/1.0) may be an attempt at smuggling: never reuse the connection.
            boolean trusted = !hasLength && version == HttpVersion.HTTP_1_1;
            int chunked = 0;
            for (String coding : te) {
                if (coding.equals("chunked")) {
                    chunked++;
                }
            }
            if (chunked > 1) {
                throw new HttpProtocolException("chunked applied more than once in Transfer-Encoding \""
                        + String.join(", ", headers.all("Transfer-Encoding")) + "\"", offset);
            }
            if (te.get(te.size() - 1).equals("chunked")) {
                return new ChunkedBody(maxHeaderSize, maxFields, trusted);
            }
            // Rule 4 for responses: chunked is not the last coding, so the body runs until close.
            return new UntilCloseBody();
        }
        if (hasLength) {
            // Rule 5/6.
            return new FixedLengthBody(contentLength(headers.all("Content-Length"), offset));
        }
        // Rule 8: no length at all; the body ends when the server closes.
        return new UntilCloseBody();
    }

    /**
     * The one length that every {@code Content-Length} field and list member agrees on.
     *
     * @throws HttpProtocolException for an empty, negative, non-decimal, overflowing or conflicting value
     */
    static long contentLength(List<String> values, long offset) throws HttpProtocolException {
        long length = -1;
        for (String value : values) {
            for (String member : value.split(",", -1)) {
                String v = member.trim();
                long n = parseDecimal(v);
                if (n < 0) {
                    throw new HttpProtocolException("invalid Content-Length \"" + Tokens.escape(value) + "\"", offset);
                }
                if (length >= 0 && n != length) {
                    throw new HttpProtocolException("conflicting Content-Length values \"" + String.join("\", \"", values) + "\"", offset);
                }
                length = n;
            }
        }
        return length;
    }

    /** A non-negative decimal, or -1 for anything else (sign, other characters, empty, overflow). */
    private static long parseDecimal(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1; // 18 digits fit in a long; a longer length is not a real body.
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The transfer codings in order, lower case, empty list members dropped. */
    private static List<String> codings(List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (String value : values) {
            for (String member : value.split(",")) {
                // A coding may carry parameters ("gzip;q=1"): the name is what counts.
                int semi = member.indexOf(';');
                String name = (semi < 0 ? member : member.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
