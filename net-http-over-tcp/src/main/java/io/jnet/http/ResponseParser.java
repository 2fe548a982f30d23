package io.jnet.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An incremental, push-style HTTP/1.1 response parser (RFC 9112). Feed it whatever bytes arrive, split
 * anywhere; it reports the final head, the body as slices of the input (no copy) and the end, and
 * stops at the end of the message, leaving any bytes after it in the input.
 *
 * <pre>{@code
 * parser.expect("GET", false, listener);
 * socket.on(Socket.DATA, chunk -> parser.feed(chunk));   // errors: destroy the connection
 * socket.on(Socket.END, parser::endOfInput);
 * }</pre>
 *
 * <p>Interim 1xx responses are skipped (101 without an upgrade request is an error); the message
 * length follows §6.3 in {@link MessageLength}. Not thread-safe: one parser per connection, fed on
 * the connection's loop thread. Reusable for the next exchange after {@link #expect}.
 */
final class ResponseParser {
    /** Where the parser is in the response. */
    enum State { IDLE, STATUS_LINE, HEADERS, BODY, DONE, FAILED }

    static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    static final int DEFAULT_MAX_HEADER_FIELDS = 100;
    /** Interim responses are skipped, but not forever: a server sending 1xx without end is broken. */
    static final int MAX_INTERIM_RESPONSES = 32;

    private final int maxHeaderSize;
    private final int maxFields;
    private final LineReader line = new LineReader();
    private State state = State.IDLE;
    private ResponseListener listener;
    private String method;
    private boolean upgradeRequested;
    /** Response offset of the next byte to consume. */
    private long position;
    /** Built once: every header line is read against it, and a string per line was a fifth of the parser's garbage. */
    private final String headerLimitMessage;
    private int headerBudget;
    private HttpHeaders.Builder headers;
    private HttpVersion version;
    private int status;
    private String reason;
    private BodyFraming body;
    private boolean keepAlive;
    private int interimResponses;

    ResponseParser(int maxHeaderSize, int maxFields) {
        if (maxHeaderSize < 64 || maxFields < 1) {
            throw new IllegalArgumentException("maxHeaderSize must be at least 64 and maxFields at least 1 but were "
                    + maxHeaderSize + " and " + maxFields);
        }
        this.maxHeaderSize = maxHeaderSize;
        this.maxFields = maxFields;
        this.headerLimitMessage = "status line and headers larger than " + maxHeaderSize + " bytes";
    }

    /**
     * Prepares for the response to a request with {@code method}; call before the request's bytes
     * are sent, so that no response byte can arrive first.
     *
     * @param upgradeRequested whether the request asked to switch protocols (a 101 is then the final response)
     */
    void expect(String method, boolean upgradeRequested, ResponseListener listener) {
        if (state != State.IDLE && state != State.DONE) {
            throw new IllegalStateException("parser is busy (" + state + ")");
        }
        this.method = method;
        this.upgradeRequested = upgradeRequested;
        this.listener = listener;
        this.position = 0;
        this.body = null;
        this.interimResponses = 0;
        startHead();
    }

    private void startHead() {
        state = State.STATUS_LINE;
        headerBudget = maxHeaderSize;
        headers = HttpHeaders.builder();
        line.start(headerBudget, headerLimitMessage);
    }

    /**
     * Consumes the bytes of {@code in} that belong to the current response. The buffer's content must
     * stay unchanged while the listener keeps body slices of it.
     *
     * @throws HttpProtocolException on any violation; the parser is then {@link State#FAILED}
     */
    void feed(ByteBuffer in) throws HttpProtocolException {
        if (state == State.FAILED || state == State.IDLE) {
            throw new IllegalStateException("parser is " + state);
        }
        long base = position - in.position();
        int start = in.position();
        try {
            run(in, base);
        } catch (HttpProtocolException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        } finally {
            position += in.position() - start;
        }
    }

    private void run(ByteBuffer in, long base) throws HttpProtocolException {
        while (true) {
            switch (state) {
                case STATUS_LINE -> {
                    if (!line.read(in, base)) {
                        return;
                    }
                    headerBudget -= line.consumed();
                    parseStatusLine();
                    state = State.HEADERS;
                    line.start(headerBudget, headerLimitMessage);
                }
                case HEADERS -> {
                    if (!line.read(in, base)) {
                        return;
                    }
                    headerBudget -= line.consumed();
                    if (line.length() > 0) {
                        FieldLineParser.parse(line.buffer(), line.length(), line.lineStart(), headers, maxFields);
                        line.start(headerBudget, headerLimitMessage);
                    } else {
                        endOfHead(base + in.position());
                    }
                }
                case BODY -> {
                    if (!body.read(in, base, listener)) {
                        return;
                    }
                    complete();
                }
                case DONE, FAILED, IDLE -> {
                    return;
                }
            }
        }
    }

    private void endOfHead(long offset) throws HttpProtocolException {
        HttpHeaders h = headers.build();
        if (status >= 100 && status < 200) {
            if (status != 101) {
                if (++interimResponses > MAX_INTERIM_RESPONSES) {
                    throw new HttpProtocolException("more than " + MAX_INTERIM_RESPONSES + " interim (1xx) responses", offset);
                }
                startHead(); // 100 Continue, 103 Early Hints, ...: informational, skipped
                return;
            }
            if (!upgradeRequested) {
                throw new HttpProtocolException("unexpected 101 Switching Protocols: the request asked for no upgrade", offset);
            }
        }
        keepAlive = allowsKeepAlive(h);
        // Framing first: a head whose length is ambiguous is an error, never a response half-delivered.
        body = MessageLength.framing(method, status, version, h, maxHeaderSize, maxFields, offset);
        listener.onHead(new ResponseHead(version, status, reason, h, keepAlive, keepAliveTimeout(h)));
        if (body == null) {
            complete();
        } else {
            state = State.BODY;
        }
    }

    private void complete() {
        state = State.DONE;
        listener.onComplete(body == null ? HttpHeaders.empty() : body.trailers());
    }

    /**
     * The peer closed the connection. Completes a body that runs until close; anything else that is
     * unfinished is an error.
     */
    void endOfInput() throws HttpProtocolException {
        switch (state) {
            case DONE, IDLE, FAILED -> {
            }
            case STATUS_LINE, HEADERS -> {
                state = State.FAILED;
                throw new HttpProtocolException(position == 0
                        ? "connection closed before any response byte"
                        : "connection closed inside the response head after " + position + " bytes", position);
            }
            case BODY -> {
                try {
                    body.endOfInput(position);
                } catch (HttpProtocolException e) {
                    state = State.FAILED;
                    throw e;
                }
                complete();
            }
        }
    }

    private void parseStatusLine() throws HttpProtocolException {
        byte[] b = line.buffer();
        int len = line.length();
        long at = line.lineStart();
        // HTTP/1.x SP 3DIGIT [SP reason]: twelve bytes at least.
        if (len < 12 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1'
                || b[6] != '.' || b[7] < '0' || b[7] > '9' || b[8] != ' ') {
            throw new HttpProtocolException("expected status line \"HTTP/1.x NNN reason\" but was \"" + line.preview() + "\"", at);
        }
        version = b[7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1; // 1.2+ reads as 1.1 (§2.5)
        int code = 0;
        for (int i = 9; i < 12; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new HttpProtocolException("invalid status code in \"" + line.preview() + "\"", at + i);
            }
            code = code * 10 + (b[i] - '0');
        }
        if (code < 100) {
            throw new HttpProtocolException("invalid status code in \"" + line.preview() + "\"", at + 9);
        }
        if (len > 12 && b[12] != ' ') {
            throw new HttpProtocolException("expected a space after the status code in \"" + line.preview() + "\"", at + 12);
        }
        for (int i = 13; i < len; i++) {
            if (!Tokens.isFieldValueByte(b[i])) {
                throw new HttpProtocolException("invalid character " + Tokens.describe(b[i] & 0xff) + " in reason phrase", at + i);
            }
        }
        status = code;
        reason = len > 13 ? new String(b, 13, len - 13, StandardCharsets.ISO_8859_1) : "";
    }

    private boolean allowsKeepAlive(HttpHeaders h) {
        if (h.containsToken("Connection", "close")) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || h.containsToken("Connection", "keep-alive");
    }

    /** {@code Keep-Alive: timeout=5, max=100} → 5 s; null when absent or unreadable (it is only a hint). */
    static Duration keepAliveTimeout(HttpHeaders h) {
        for (String value : h.all("Keep-Alive")) {
            for (String param : value.split(",")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                    try {
                        long seconds = Long.parseLong(p.substring(8).trim());
                        return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    State state() {
        return state;
    }

    /** Bytes of the current response consumed so far (interim responses included). */
    long position() {
        return position;
    }

    /** Once the head is parsed: the body's {@code Content-Length}, or -1 when it is framed otherwise or absent. */
    long bodyLength() {
        return body instanceof FixedLengthBody fixed ? fixed.length() : -1;
    }

    /** After {@link State#DONE}: whether the connection may carry another exchange. */
    boolean reusable() {
        return state == State.DONE && keepAlive && (body == null ? status != 101 : body.reusable());
    }
}
