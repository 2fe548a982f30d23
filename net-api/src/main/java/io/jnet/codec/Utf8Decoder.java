package io.jnet.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes a stream of UTF-8 chunks to text, right when a character's bytes are split across chunks
 * (Node's {@code StringDecoder}). The bytes of an unfinished character are held until the next chunk.
 *
 * <pre>{@code
 * Utf8Decoder utf8 = new Utf8Decoder();
 * socket.on(Socket.DATA, chunk -> out.append(utf8.decode(chunk)));
 * socket.on(Socket.END, () -> out.append(utf8.flush()));
 * }</pre>
 *
 * <h2>Malformed input</h2>
 * Never an exception: each maximal ill-formed subsequence becomes one U+FFFD REPLACEMENT CHARACTER, as
 * the Unicode Standard (§3.9, "U+FFFD substitution of maximal subparts") and the WHATWG Encoding
 * Standard prescribe, so the text is the same however the bytes are split, and the same as Node's
 * {@code buffer.toString()} and {@code TextDecoder} give. (The JDK's {@code new String(bytes, UTF_8)}
 * agrees except on encoded surrogates, {@code ED A0..BF}, which it replaces as one unit where the
 * standards give one U+FFFD per byte.) Overlong forms, encoded surrogates and values over U+10FFFF are
 * malformed. A character still unfinished at {@link #flush()} is one U+FFFD. A byte order mark is kept
 * as U+FEFF.
 *
 * <h2>Threads</h2>
 * Not thread-safe: confine an instance to one thread, typically the socket's loop thread.
 */
public final class Utf8Decoder {
    private static final char REPLACEMENT = '\uFFFD';

    /** Continuation bytes still wanted for the character under way; 0 between characters. */
    private int needed;
    /** Continuation bytes of it seen so far. */
    private int seen;
    /** The bits of the character under way. */
    private int codePoint;
    /** The range the next continuation byte must fall in (narrower after E0, ED, F0, F4). */
    private int lower = 0x80;
    private int upper = 0xBF;

    private char[] scratch = new char[0];

    /**
     * Decodes the chunk's remaining bytes.
     *
     * @param chunk read from {@code position} to {@code limit}; its position, limit and content are left as
     *              they were, and the decoder keeps no reference to it
     * @return the text of every character completed by this chunk (possibly empty)
     */
    public String decode(ByteBuffer chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (needed == 0 && chunk.hasArray()) {
            String fast = decodeWhole(chunk);
            if (fast != null) {
                return fast;
            }
        }
        int n = decodeInto(chunk);
        return n == 0 ? "" : new String(scratch, 0, n);
    }

    /**
     * The fast path, as Node's StringDecoder takes it: the complete part of a chunk goes through the
     * JDK's own (intrinsified) UTF-8 decoder, and only an unfinished character at its end through the
     * state machine. The JDK replaces malformed input differently in one case (encoded surrogates, see
     * above), so any U+FFFD in its answer sends the chunk down the exact path instead; valid text
     * never pays for that check beyond a vectorised scan.
     *
     * @return the text, or null to decode the chunk the exact way
     */
    private String decodeWhole(ByteBuffer chunk) {
        byte[] a = chunk.array();
        int from = chunk.arrayOffset() + chunk.position();
        int to = chunk.arrayOffset() + chunk.limit();
        int tail = unfinishedTail(a, from, to);
        String text = new String(a, from, to - from - tail, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) >= 0) {
            return null;
        }
        if (tail == 0) {
            return text;
        }
        int n = decodeInto(ByteBuffer.wrap(a, to - tail, tail)); // holds the lead bytes for the next chunk
        return n == 0 ? text : text + new String(scratch, 0, n);
    }

    /** How many bytes at the end start a character that needs more than the chunk has (0 to 3). */
    private static int unfinishedTail(byte[] a, int from, int to) {
        for (int k = 1; k <= 3 && to - k >= from; k++) {
            int b = a[to - k] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > k ? k : 0;
        }
        return 0;
    }

    /**
     * Decodes the chunk's remaining bytes and appends the text to {@code out}: the form without a
     * {@code String} per chunk. Buffer ownership as {@link #decode(ByteBuffer)}.
     */
    public void decode(ByteBuffer chunk, StringBuilder out) {
        Objects.requireNonNull(chunk, "chunk");
        int n = decodeInto(chunk);
        out.append(scratch, 0, n);
    }

    /** Decodes {@code length} bytes of {@code bytes} from {@code offset}; the array is only read. */
    public String decode(byte[] bytes, int offset, int length) {
        return decode(ByteBuffer.wrap(bytes, offset, length));
    }

    /**
     * Ends the stream: returns U+FFFD if a character was left unfinished, else the empty string, and
     * makes the decoder ready for a new stream.
     */
    public String flush() {
        boolean pending = needed != 0;
        reset();
        return pending ? String.valueOf(REPLACEMENT) : "";
    }

    /** Whether bytes of an unfinished character are held. */
    public boolean hasPending() {
        return needed != 0;
    }

    private int decodeInto(ByteBuffer chunk) {
        int from = chunk.position();
        int to = chunk.limit();
        // One byte gives at most one char, except that a byte ending a bad sequence gives U+FFFD and
        // itself (+1), and four bytes give two chars (a surrogate pair), which never exceeds one per byte.
        int bound = to - from + 1;
        if (scratch.length < bound) {
            scratch = new char[Math.max(bound, Math.min(2 * scratch.length, Integer.MAX_VALUE - 8))];
        }
        char[] out = scratch;
        int n = 0;
        for (int i = from; i < to; i++) {
            int b = chunk.get(i) & 0xFF;
            if (needed == 0) {
                if (b < 0x80) {
                    out[n++] = (char) b;
                } else {
                    n = start(b, out, n);
                }
                continue;
            }
            if (b < lower || b > upper) {
                // The sequence under way is a maximal subpart: one U+FFFD, then this byte starts afresh.
                reset();
                out[n++] = REPLACEMENT;
                n = b < 0x80 ? put(out, n, b) : start(b, out, n);
                continue;
            }
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (++seen == needed) {
                n = put(out, n, codePoint);
                reset();
            }
        }
        return n;
    }

    /** A byte ≥ 0x80 with no character under way: a lead byte, or malformed on its own. */
    private int start(int b, char[] out, int n) {
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            if (b == 0xE0) {
                lower = 0xA0; // no overlong 3-byte forms
            } else if (b == 0xED) {
                upper = 0x9F; // no encoded surrogates
            }
            needed = 2;
            codePoint = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (b == 0xF0) {
                lower = 0x90; // no overlong 4-byte forms
            } else if (b == 0xF4) {
                upper = 0x8F; // nothing over U+10FFFF
            }
            needed = 3;
            codePoint = b & 0x07;
        } else {
            out[n++] = REPLACEMENT; // a stray continuation byte, C0, C1 or F5..FF
        }
        return n;
    }

    private static int put(char[] out, int n, int cp) {
        if (cp < 0x10000) {
            out[n++] = (char) cp;
        } else {
            out[n++] = Character.highSurrogate(cp);
            out[n++] = Character.lowSurrogate(cp);
        }
        return n;
    }

    private void reset() {
        needed = 0;
        seen = 0;
        codePoint = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
