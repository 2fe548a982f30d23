package io.jnet;

/**
 * One connection attempt of a TCP client socket, the value of {@link Socket#CONNECTION_ATTEMPT},
 * {@link Socket#CONNECTION_ATTEMPT_FAILED} and {@link Socket#CONNECTION_ATTEMPT_TIMEOUT} (Node's
 * {@code connectionAttempt*} events, whose listener arguments these fields are).
 *
 * <pre>{@code
 * socket.on(Socket.CONNECTION_ATTEMPT_FAILED, a -> log.debug("{}:{} failed: {}", a.address(), a.port(), a.error()));
 * }</pre>
 *
 * @param address the IP address tried, as Node prints it ({@code 127.0.0.1}, {@code ::1})
 * @param port    the port tried
 * @param family  4 or 6
 * @param error   why the attempt failed ({@code CONNECTION_ATTEMPT_FAILED} only); null otherwise
 */
public record ConnectionAttempt(String address, int port, int family, Throwable error) {
}
