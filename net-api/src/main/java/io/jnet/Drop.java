package io.jnet;

/**
 * A connection the server closed at once instead of handing it to {@link Server#CONNECTION}; the
 * value of {@link Server#DROP}.
 *
 * @param localAddress  the server's end
 * @param remoteAddress the peer's end, or null for an unnamed IPC peer
 * @param reason        why it was dropped
 * @param peer          the peer's credentials when the transport knows them (IPC), else null
 */
public record Drop(Endpoint localAddress, Endpoint remoteAddress, Reason reason, PeerCredentials peer) {

    /** Why a connection was dropped. */
    public enum Reason {
        /** The server already had {@code maxConnections} open. */
        MAX_CONNECTIONS,
        /** {@code ServerOptions.allowPeer} refused the peer. */
        PEER_REFUSED,
        /** The peer's address is on {@code ServerOptions.blockList} (Node's {@code drop} for a blocked address). */
        BLOCKED
    }
}
