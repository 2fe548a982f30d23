package io.jnet.ipc;

import io.jnet.Endpoint;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which public socket path each private bind name stands for. An accepted socket's local address is the
 * name junixsocket bound (inside the private directory), but users listened on, and expect to see, the
 * public path. Thread-safe.
 */
final class PrivateNames {
    /** A name and how many bindings in this JVM use it: a server passed between two loops of one JVM is two. */
    private record Use(Endpoint publicEndpoint, int count) {
    }

    private static final Map<String, Use> PUBLIC_BY_PRIVATE = new ConcurrentHashMap<>();

    private PrivateNames() {
    }

    static void remember(Path privateSocket, Endpoint publicEndpoint) {
        PUBLIC_BY_PRIVATE.merge(privateSocket.toString(), new Use(publicEndpoint, 1),
                (was, one) -> new Use(publicEndpoint, was.count() + 1));
    }

    static void forget(Path privateSocket) {
        PUBLIC_BY_PRIVATE.computeIfPresent(privateSocket.toString(),
                (name, was) -> was.count() > 1 ? new Use(was.publicEndpoint(), was.count() - 1) : null);
    }

    /** The public endpoint for a bound path, or null when the path is not a private name. */
    static Endpoint publicFor(String boundPath) {
        Use use = PUBLIC_BY_PRIVATE.get(boundPath);
        return use == null ? null : use.publicEndpoint();
    }
}
