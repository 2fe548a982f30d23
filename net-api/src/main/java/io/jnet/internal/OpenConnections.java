package io.jnet.internal;

import io.jnet.Socket;

import java.util.ArrayList;
import java.util.List;

/**
 * A server's open accepted sockets, oldest first: a list linked through the sockets themselves
 * ({@link NioSocket#olderConnection}, {@link NioSocket#newerConnection}), so that an idle connection
 * costs its server two references instead of a {@code LinkedHashSet} entry and its share of the
 * table (about 53 bytes). A socket belongs to at most one server. Thread-safe (one lock): the server's
 * loop adds, each socket's loop removes.
 */
final class OpenConnections {
    private NioSocket oldest;
    private NioSocket newest;

    synchronized void add(NioSocket s) {
        s.olderConnection = newest;
        s.newerConnection = null;
        if (newest != null) {
            newest.newerConnection = s;
        } else {
            oldest = s;
        }
        newest = s;
    }

    /** Removes {@code s} if it is here; a second call for the same socket does nothing. */
    synchronized void remove(NioSocket s) {
        if (!contains(s)) {
            return;
        }
        if (s.olderConnection != null) {
            s.olderConnection.newerConnection = s.newerConnection;
        } else {
            oldest = s.newerConnection;
        }
        if (s.newerConnection != null) {
            s.newerConnection.olderConnection = s.olderConnection;
        } else {
            newest = s.olderConnection;
        }
        s.olderConnection = null;
        s.newerConnection = null;
    }

    /** Only the newest socket has no newer one, only the oldest no older one; a removed socket has neither. */
    synchronized boolean contains(Socket s) {
        return s instanceof NioSocket n && (n == oldest || n.olderConnection != null && n.olderConnection.newerConnection == n);
    }

    synchronized List<Socket> snapshot() {
        List<Socket> all = new ArrayList<>();
        for (NioSocket s = oldest; s != null; s = s.newerConnection) {
            all.add(s);
        }
        return List.copyOf(all);
    }
}
