package io.jnet.http;

import java.nio.ByteBuffer;

/**
 * A chunked body (RFC 9112 §7.1): hex size (case-insensitive) with extensions that are ignored, the
 * data, CRLF; a zero size ends it, followed by trailer fields which are kept. A size with no digit,
 * a bad character, or more than 63 bits is an error quoting the size line.
 */
final class ChunkedBody implements BodyFraming {
    /** A size line with extensions longer than this is refused: nothing legitimate needs more. */
    static final int MAX_SIZE_LINE = 4096;

    private enum State { SIZE_LINE, DATA, DATA_END, TRAILERS, DONE }

    private final LineReader line = new LineReader();
    private final int maxHeaderSize;
    private final int maxFields;
    private final boolean reusable;
    private final HttpHeaders.Builder trailers = HttpHeaders.builder();
    private State state = State.SIZE_LINE;
    private long chunkRemaining;
    private int trailerBudget;

    /**
     * @param reusable false when the framing was ambiguous (Content-Length beside Transfer-Encoding)
     */
    ChunkedBody(int maxHeaderSize, int maxFields, boolean reusable) {
        this.maxHeaderSize = maxHeaderSize;
        this.maxFields = maxFields;
        this.reusable = reusable;
        this.trailerBudget = maxHeaderSize;
        line.start(MAX_SIZE_LINE, "chunk size line longer than " + MAX_SIZE_LINE + " bytes");
    }

    @Override
    public boolean read(ByteBuffer in, long base, ResponseListener sink) throws HttpProtocolException {
        while (true) {
            switch (state) {
                case SIZE_LINE -> {
                    if (!line.read(in, base)) {
                        return false;
                    }
                    chunkRemaining = parseSize();
                    if (chunkRemaining == 0) {
                        state = State.TRAILERS;
                        line.start(trailerBudget, "trailer section larger than " + maxHeaderSize + " bytes");
                    } else {
                        state = State.DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(chunkRemaining, in.remaining());
                    if (n == 0) {
                        return false;
                    }
                    BodyFraming.emit(in, n, sink);
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        state = State.DATA_END;
                        line.start(2, "expected CRLF after chunk data");
                    }
                }
                case DATA_END -> {
                    if (!line.read(in, base)) {
                        return false;
                    }
                    if (line.length() != 0) {
                        throw new HttpProtocolException("expected CRLF after chunk data but was \"" + line.preview() + "\"",
                                line.lineStart());
                    }
                    state = State.SIZE_LINE;
                    line.start(MAX_SIZE_LINE, "chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                }
                case TRAILERS -> {
                    if (!line.read(in, base)) {
                        return false;
                    }
                    trailerBudget -= line.consumed();
                    if (line.length() == 0) {
                        state = State.DONE;
                        return true;
                    }
                    FieldLineParser.parse(line.buffer(), line.length(), line.lineStart(), trailers, maxFields);
                    line.start(trailerBudget, "trailer section larger than " + maxHeaderSize + " bytes");
                }
                case DONE -> {
                    return true;
                }
            }
        }
    }

    /** The chunk size: hex digits, then optionally whitespace and {@code ;extensions}, which are ignored. */
    private long parseSize() throws HttpProtocolException {
        byte[] b = line.buffer();
        int len = line.length();
        long size = 0;
        int i = 0;
        for (; i < len; i++) {
            int digit = Character.digit(b[i], 16);
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >>> 4)) {
                throw new HttpProtocolException("chunk size \"" + line.preview() + "\" overflows", line.lineStart());
            }
            size = (size << 4) | digit;
        }
        if (i == 0) {
            throw invalidSize();
        }
        int j = i;
        while (j < len && (b[j] == ' ' || b[j] == '\t')) {
            j++;
        }
        if (j < len && b[j] != ';') {
            throw invalidSize();
        }
        return size;
    }

    private HttpProtocolException invalidSize() {
        return new HttpProtocolException("invalid chunk size \"" + line.preview() + "\"", line.lineStart());
    }

    @Override
    public void endOfInput(long offset) throws HttpProtocolException {
        if (state != State.DONE) {
            // In the data, say how much of the chunk never came: the reader of the log can then tell a
            // server that died mid-chunk from one that declared a size it never meant to send.
            String missing = state == State.DATA ? ", " + chunkRemaining + " bytes of the chunk still due" : "";
            throw new HttpProtocolException("connection closed inside a chunked body (reading "
                    + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + missing + ")", offset);
        }
    }

    @Override
    public HttpHeaders trailers() {
        return trailers.build();
    }

    @Override
    public boolean reusable() {
        return reusable;
    }
}
