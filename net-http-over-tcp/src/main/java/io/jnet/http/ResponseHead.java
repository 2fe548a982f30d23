package io.jnet.http;

import java.time.Duration;

/**
 * A parsed status line and header block.
 *
 * @param keepAlive        whether the version and {@code Connection} header allow another exchange
 *                         on the connection (the body framing may still forbid it)
 * @param keepAliveTimeout the server's {@code Keep-Alive: timeout=N}, or null when it sent none
 */
record ResponseHead(HttpVersion version, int status, String reason, HttpHeaders headers,
                    boolean keepAlive, Duration keepAliveTimeout) {
}
