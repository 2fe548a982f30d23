package io.jnet;

/**
 * What went wrong, named as Node.js (and the C library underneath it) names it, so that a log line
 * reads the same whichever runtime wrote it.
 */
public enum ErrorCode {
    /** Nothing listens on the address connected to. */
    ECONNREFUSED,
    /** The peer reset the connection (it closed with unread data, or crashed). */
    ECONNRESET,
    /** The address is taken by another listener, or an IPC socket file is already there. */
    EADDRINUSE,
    /** The local address asked for does not belong to this host. */
    EADDRNOTAVAIL,
    /** A connect did not finish in time. */
    ETIMEDOUT,
    /** We wrote to a connection the peer has closed. */
    EPIPE,
    /** A path (an IPC socket's directory or file) does not exist. */
    ENOENT,
    /** Permission denied on a path or a port. */
    EACCES,
    /** The process has run out of file descriptors. */
    EMFILE,
    /** A name could not be resolved to an address. */
    ENOTFOUND,
    /** The network or host is unreachable. */
    ENETUNREACH,
    /** A name or path is too long for the platform (an IPC path over {@code sun_path}). */
    ENAMETOOLONG,
    /** A write after {@code end()}: nothing is sent, the socket is destroyed. */
    ERR_STREAM_WRITE_AFTER_END,
    /** A write to a socket already destroyed, or still queued when it was destroyed: never sent. */
    ERR_STREAM_DESTROYED,
    /** An operation this kind of socket cannot do, such as a reset (RST) of an IPC socket. */
    ERR_INVALID_HANDLE_TYPE,
    /** {@code close()} on a server that is not listening. */
    ERR_SERVER_NOT_RUNNING,
    /** {@code listen()} on a server that already listens. */
    ERR_SERVER_ALREADY_LISTEN,
    /** An endpoint no transport on the class path serves, or an option the transport lacks. */
    ERR_TRANSPORT_UNAVAILABLE,
    /** An argument out of its allowed range (a port over 65535, a negative timeout). */
    ERR_INVALID_ARG_VALUE,
    /** The socket was destroyed while an operation on it was pending. */
    ERR_SOCKET_CLOSED,
    /** A framed message over the channel's maximum frame size. */
    ERR_FRAME_TOO_LARGE,
    /** The stream ended inside a framed message: the bytes of the partial frame are reported, never delivered. */
    ERR_FRAME_TRUNCATED,
    /** The peer's request handler failed the request and said why in an error reply. */
    ERR_REQUEST_FAILED,
    /** A request past the channel's limit of requests in flight: nothing was sent. */
    ERR_TOO_MANY_REQUESTS,
    /**
     * A frame whose header cannot be read (too short, unknown kind, id 0 on a request; a handle frame
     * with the wrong magic, version or lengths; a descriptor where no handle frame starts).
     */
    ERR_MALFORMED_MESSAGE,
    /** A handle frame arrived without the descriptor (SCM_RIGHTS) that must travel with its first byte. */
    ERR_HANDLE_WITHOUT_DESCRIPTOR,
    /** A reply whose correlation id matches no pending request (unknown, already answered, or timed out). */
    ERR_UNKNOWN_REQUEST_ID,
    /** A string that should be an IP address is not one (Node's {@code Invalid IP address: foo}). */
    ERR_INVALID_IP_ADDRESS,
    /** A connect to an address the socket's {@code blockList} refuses; nothing was sent. */
    ERR_IP_BLOCKED,
    /** An operation was cancelled through an {@link AbortSignal} (Node's {@code AbortError}). */
    ABORT_ERR,
    /** Any other I/O failure; the message carries the operating system's words. */
    EIO
}
