package io.jnet.it;

/**
 * Deterministic test payloads that both sides of a cross-process test can generate without sending
 * the expectation along. Byte {@code i} is {@code (i * 31 + 7) % 251}: 251 is prime, so the pattern
 * does not line up with any power-of-two buffer size and a lost, doubled or reordered chunk shows.
 * The Node scripts compute the same formula.
 */
public final class TestBytes {
    private TestBytes() {
    }

    /** The first {@code n} bytes of the pattern. */
    public static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 31L + 7) % 251);
        }
        return b;
    }

    /** The index of the first byte where {@code actual} leaves the pattern, or -1 if it is the pattern. */
    public static long firstMismatch(byte[] actual, int off, int len, long patternOffset) {
        for (int i = 0; i < len; i++) {
            long index = patternOffset + i;
            if (actual[off + i] != (byte) ((index * 31 + 7) % 251)) {
                return index;
            }
        }
        return -1;
    }
}
