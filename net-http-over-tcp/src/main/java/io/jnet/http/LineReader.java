package io.jnet.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Collects one protocol line (status line, header field, chunk size, trailer) that may arrive split
 * across any number of input buffers. Ends a line at CRLF or at a bare LF (RFC 9112 §2.2 lets a
 * recipient accept a bare LF); a CR not followed by LF, and NUL anywhere, are errors. The line's bytes
 * are copied into one reused array, so reading a line allocates nothing once the array has grown.
 *
 * <p>Each line is read against a byte budget (what is left of the header block's limit, say), and
 * exceeding it is an error that names the limit. Not thread-safe: used by one parser.
 */
final class LineReader {
    private enum State { TEXT, AFTER_CR }

    private State state = State.TEXT;
    private byte[] buf = new byte[128];
    private int len;
    /** Bytes this line has consumed, terminator included; counts against the budget. */
    private int consumed;
    private int budget;
    private String limitMessage;
    private long lineStart = -1;

    /**
     * Starts a new line.
     *
     * @param budget       how many bytes (terminator included) the line may take
     * @param limitMessage the error when it takes more, for example {@code "header block larger than 16384 bytes"}
     */
    void start(int budget, String limitMessage) {
        this.state = State.TEXT;
        this.len = 0;
        this.consumed = 0;
        this.budget = budget;
        this.limitMessage = limitMessage;
        this.lineStart = -1;
    }

    /**
     * Consumes bytes of {@code in} up to and including the end of the line.
     *
     * @param base the response offset of {@code in}'s index 0, for error messages
     * @return true when the line is complete; its content is then {@link #buffer()}[0, {@link #length()})
     */
    boolean read(ByteBuffer in, long base) throws HttpProtocolException {
        int pos = in.position();
        int limit = in.limit();
        if (lineStart < 0 && pos < limit) {
            lineStart = base + pos;
        }
        try {
            while (pos < limit) {
                byte b = in.get(pos);
                if (++consumed > budget) {
                    throw new HttpProtocolException(limitMessage, base + pos);
                }
                pos++;
                switch (state) {
                    case TEXT -> {
                        if (b == '\n') {
                            return true;
                        } else if (b == '\r') {
                            state = State.AFTER_CR;
                        } else if (b == 0) {
                            throw new HttpProtocolException("NUL byte in \"" + preview() + "\"", base + pos - 1);
                        } else {
                            append(b);
                        }
                    }
                    case AFTER_CR -> {
                        if (b == '\n') {
                            return true;
                        }
                        throw new HttpProtocolException("bare CR (not followed by LF) in \"" + preview() + "\"", base + pos - 2);
                    }
                }
            }
            return false;
        } finally {
            in.position(pos);
        }
    }

    private void append(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = b;
    }

    /** The line's bytes without the terminator; valid until the next {@link #start}. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** The bytes the line took, terminator included. */
    int consumed() {
        return consumed;
    }

    /** The response offset of the line's first byte. */
    long lineStart() {
        return lineStart;
    }

    /** The line so far, control bytes made visible, cut at 64 characters: for quoting in errors. */
    String preview() {
        int n = Math.min(len, 64);
        String s = Tokens.escape(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        return n < len ? s + "..." : s;
    }
}
