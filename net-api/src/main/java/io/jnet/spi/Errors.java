package io.jnet.spi;

import io.jnet.ErrorCode;
import io.jnet.NetException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Maps the JDK's (and junixsocket's) I/O exceptions to {@link ErrorCode}s. The JDK carries the
 * C library's {@code strerror} text, not the errno, so the text is what there is to go on.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * A {@link NetException} for the failure, keeping it as the cause. Worded as Node words it: a failed
     * {@code connect} (or its local {@code bind}) is the syscall, the code and the address alone
     * ({@code connect ENOENT /run/x.sock}, {@code bind EADDRINUSE 127.0.0.1:5000});
     * other syscalls carry the C library's words ({@code listen EADDRINUSE: address already in use ...}).
     */
    public static NetException fromIo(IOException failure, String syscall, String address) {
        if (failure instanceof CarriedNetException carried) {
            return carried.exception();
        }
        ErrorCode code = codeOf(failure);
        // Node's words: connect and bind (a connect's local end) carry no strerror text; listen does.
        boolean bare = "connect".equals(syscall) || "bind".equals(syscall);
        String detail = bare && code != ErrorCode.EIO ? null : detail(code, failure);
        return new NetException(code, syscall, address, detail, failure);
    }

    /** The code for an I/O failure; {@link ErrorCode#EIO} when nothing more specific fits. */
    public static ErrorCode codeOf(IOException failure) {
        if (failure instanceof UnknownHostException) {
            return ErrorCode.ENOTFOUND;
        }
        if (failure instanceof SocketTimeoutException) {
            return ErrorCode.ETIMEDOUT;
        }
        if (failure instanceof NoSuchFileException) {
            return ErrorCode.ENOENT;
        }
        if (failure instanceof AccessDeniedException) {
            return ErrorCode.EACCES;
        }
        if (failure instanceof ClosedChannelException) {
            // junixsocket reports a failed send or receive on a Unix socket whose peer died as an
            // AsynchronousCloseException caused by the socket's own error (BrokenPipeSocketException):
            // that cause says what happened; the channel was not closed under us.
            if (failure.getCause() instanceof IOException cause && !(cause instanceof ClosedChannelException)) {
                return codeOf(cause);
            }
            return ErrorCode.ERR_SOCKET_CLOSED;
        }
        String m = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("refused")) {
            return ErrorCode.ECONNREFUSED;
        }
        if (m.contains("reset")) {
            return ErrorCode.ECONNRESET;
        }
        if (m.contains("broken pipe")) {
            return ErrorCode.EPIPE;
        }
        if (m.contains("already in use")) {
            return ErrorCode.EADDRINUSE;
        }
        if (m.contains("cannot assign requested address")) {
            return ErrorCode.EADDRNOTAVAIL;
        }
        if (m.contains("permission denied") || m.contains("access denied")) {
            return ErrorCode.EACCES;
        }
        if (m.contains("no such file")) {
            return ErrorCode.ENOENT;
        }
        if (m.contains("too many open files")) {
            return ErrorCode.EMFILE;
        }
        if (m.contains("timed out")) {
            return ErrorCode.ETIMEDOUT;
        }
        if (m.contains("unreachable") || failure instanceof NoRouteToHostException) {
            return ErrorCode.ENETUNREACH;
        }
        if (m.contains("name too long") || m.contains("too long")) {
            return ErrorCode.ENAMETOOLONG;
        }
        if (failure instanceof ConnectException) {
            return ErrorCode.ECONNREFUSED;
        }
        if (failure instanceof BindException) {
            return ErrorCode.EADDRINUSE;
        }
        return ErrorCode.EIO;
    }

    private static String detail(ErrorCode code, IOException failure) {
        return switch (code) {
            case EADDRINUSE -> "address already in use";
            case EACCES -> "permission denied";
            case ENOENT -> "no such file or directory";
            case EMFILE -> "too many open files";
            case ENAMETOOLONG -> "name too long";
            case EADDRNOTAVAIL -> "address not available";
            case EIO, ERR_SOCKET_CLOSED -> failure.getMessage();
            default -> null;
        };
    }
}
