package io.jnet.http;

/**
 * The server's bytes break HTTP/1.1 (RFC 9112): a malformed status line or header, an ambiguous or
 * invalid message length, a bad chunk size, a body cut short. The message quotes what was seen and
 * where, for example {@code invalid chunk size "zz" at byte 183}. The connection it came from is
 * always destroyed, never reused.
 */
public class HttpProtocolException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param message what was wrong, quoting the bytes seen
     * @param offset  the index of the offending byte counted from the start of the response, or -1
     */
    public HttpProtocolException(String message, long offset) {
        super(offset < 0 ? message : message + " at byte " + offset);
        this.offset = offset;
    }

    /** The index of the offending byte counted from the first byte of the response, or -1 if unknown. */
    public long offset() {
        return offset;
    }
}
