package io.jnet.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cuts one connection's bytes into requests: head up to the blank line, then a body framed by
 * {@code Content-Length} or {@code chunked} (no body otherwise). Lenient where a test server may be
 * (no limits), strict where a mistake would misframe the next request: a bad length or chunk size is an
 * {@link IllegalArgumentException} quoting what was seen. Used on one loop thread.
 */
final class RequestReader {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final int connectionIndex;
    private int sequence;

    RequestReader(int connectionIndex) {
        this.connectionIndex = connectionIndex;
    }

    /** Takes {@code chunk}'s bytes (without moving its position) and returns the requests they complete. */
    List<RecordedRequest> feed(ByteBuffer chunk) {
        ByteBuffer view = chunk.duplicate();
        byte[] b = new byte[view.remaining()];
        view.get(b);
        pending.writeBytes(b);
        List<RecordedRequest> done = new ArrayList<>();
        while (true) {
            byte[] all = pending.toByteArray();
            int[] used = new int[1];
            RecordedRequest r = parse(all, used);
            if (r == null) {
                return done;
            }
            done.add(r);
            pending.reset();
            pending.write(all, used[0], all.length - used[0]);
        }
    }

    private RecordedRequest parse(byte[] b, int[] used) {
        int headEnd = indexOf(b, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (headEnd < 0) {
            return null;
        }
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(head.split("\r\n", -1)));
        String requestLine = lines.remove(0);
        int bodyStart = headEnd + 4;
        String te = null;
        String cl = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
            if (name.equals("transfer-encoding")) {
                te = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            } else if (name.equals("content-length")) {
                cl = line.substring(colon + 1).trim();
            }
        }
        if (te != null && te.endsWith("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int end = dechunk(b, bodyStart, body);
            if (end < 0) {
                return null;
            }
            used[0] = end;
            return new RecordedRequest(requestLine, lines, body.toByteArray(), true, connectionIndex, sequence++);
        }
        long length = 0;
        if (cl != null) {
            try {
                length = Long.parseLong(cl);
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                throw new IllegalArgumentException("request \"" + requestLine + "\" has Content-Length \"" + cl + "\"");
            }
        }
        if (b.length - bodyStart < length) {
            return null;
        }
        used[0] = bodyStart + (int) length;
        return new RecordedRequest(requestLine, lines, Arrays.copyOfRange(b, bodyStart, used[0]), false,
                connectionIndex, sequence++);
    }

    /** The end of the chunked body starting at {@code at} (trailers included), or -1 if it is not all here. */
    private static int dechunk(byte[] b, int at, ByteArrayOutputStream body) {
        byte[] crlf = {'\r', '\n'};
        while (true) {
            int eol = indexOf(b, crlf, at);
            if (eol < 0) {
                return -1;
            }
            String line = new String(b, at, eol - at, StandardCharsets.ISO_8859_1);
            String digits = line.contains(";") ? line.substring(0, line.indexOf(';')).trim() : line.trim();
            int size;
            try {
                size = Integer.parseInt(digits, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new IllegalArgumentException("expected a chunk size but was \"" + line + "\"");
            }
            at = eol + 2;
            if (size == 0) {
                // Trailer lines, then an empty line.
                while (true) {
                    int end = indexOf(b, crlf, at);
                    if (end < 0) {
                        return -1;
                    }
                    boolean blank = end == at;
                    at = end + 2;
                    if (blank) {
                        return at;
                    }
                }
            }
            if (b.length < at + size + 2) {
                return -1;
            }
            body.write(b, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
