package io.jnet;

import java.util.Objects;

/**
 * A networking failure with a Node-style {@link ErrorCode} and a message that names the operation and
 * the address involved, for example {@code connect ECONNREFUSED 127.0.0.1:9} or
 * {@code listen EADDRINUSE: address already in use 127.0.0.1:8080}.
 *
 * <pre>{@code
 * socket.on(Socket.ERROR, err -> {
 *     if (err instanceof NetException e && e.code() == ErrorCode.ECONNREFUSED) retryLater();
 * });
 * }</pre>
 *
 * <p>Unchecked, because most of jnet's errors arrive as {@link Socket#ERROR} events rather than from
 * a call, and because {@code listen} failures are rare enough that forcing a {@code try} on every
 * lambda would hurt more than it helps.
 */
public class NetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String syscall;
    private final String address;

    /**
     * @param code    what went wrong
     * @param syscall the operation that failed ({@code connect}, {@code listen}, {@code read}, {@code write}), or null
     * @param address the address involved as a user would write it ({@code 127.0.0.1:9}, a socket path), or null
     * @param detail  extra words for the reader of the log, or null
     * @param cause   the underlying exception, or null
     */
    public NetException(ErrorCode code, String syscall, String address, String detail, Throwable cause) {
        super(format(code, syscall, address, detail), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.syscall = syscall;
        this.address = address;
    }

    /** An error with just a code and a message of its own. */
    public NetException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.syscall = null;
        this.address = null;
    }

    private static String format(ErrorCode code, String syscall, String address, String detail) {
        StringBuilder sb = new StringBuilder(64);
        if (syscall != null) {
            sb.append(syscall).append(' ');
        }
        sb.append(code.name());
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        if (address != null) {
            sb.append(' ').append(address);
        }
        return sb.toString();
    }

    /** What went wrong. */
    public ErrorCode code() {
        return code;
    }

    /** The operation that failed ({@code connect}, {@code listen}, {@code read}, …), or null. */
    public String syscall() {
        return syscall;
    }

    /** The address involved ({@code 127.0.0.1:9}, a socket path), or null. */
    public String address() {
        return address;
    }
}
