package io.jnet;

/** Where a socket is in its life, as Node's {@code socket.readyState} says it. */
public enum ReadyState {
    /** Resolving or connecting; writes are queued. */
    OPENING,
    /** Both directions open. */
    OPEN,
    /** We have ended our side; the peer may still send. */
    READ_ONLY,
    /** The peer has ended its side; we may still write ({@code allowHalfOpen}). */
    WRITE_ONLY,
    /** Closed or destroyed. */
    CLOSED
}
