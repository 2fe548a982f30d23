package io.jnet.http;

import java.io.IOException;

/**
 * Any failure of an HTTP exchange that is not a plain socket error: a response that breaks
 * RFC 9112 ({@link HttpProtocolException}) or a timeout ({@link HttpTimeoutException}).
 *
 * <p>Checked, like the JDK's own {@code java.net.http} exceptions, because every exchange can fail
 * this way and a caller should decide what a failure means for them. Socket errors reach the caller
 * as the {@link io.jnet.NetException} the socket reported, wrapped in an {@code HttpException} whose
 * message names the request.
 */
public class HttpException extends IOException {
    private static final long serialVersionUID = 1L;

    public HttpException(String message) {
        super(message);
    }

    public HttpException(String message, Throwable cause) {
        super(message, cause);
    }
}
