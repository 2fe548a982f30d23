package io.jnet;

import java.util.List;

/**
 * Who is on the other end of an IPC connection, as the kernel reports it ({@code SO_PEERCRED} on
 * Linux): the peer's process id, user id and group ids at the time it connected.
 *
 * <pre>{@code
 * ServerOptions.builder().allowPeer(peer -> peer.uid() == myUid).build();
 * }</pre>
 *
 * @param pid  the peer's process id, or -1 when the platform does not say
 * @param uid  the peer's effective user id
 * @param gids the peer's group ids, primary first (may be only the primary group)
 */
public record PeerCredentials(long pid, long uid, List<Long> gids) {
    public PeerCredentials {
        gids = List.copyOf(gids);
    }

    /** The peer's primary group id, or -1 when none was reported. */
    public long gid() {
        return gids.isEmpty() ? -1 : gids.get(0);
    }
}
