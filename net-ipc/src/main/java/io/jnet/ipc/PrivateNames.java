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
    private static final Map<String, Endpoint> PUBLIC_BY_PRIVATE = new ConcurrentHashMap<>();

    private PrivateNames() {
    }

    static void remember(Path privateSocket, Endpoint publicEndpoint) {
        PUBLIC_BY_PRIVATE.put(privateSocket.toString(), publicEndpoint);
    }

    static void forget(Path privateSocket) {
        PUBLIC_BY_PRIVATE.remove(privateSocket.toString());
    }

    /** The public endpoint for a bound path, or null when the path is not a private name. */
    static Endpoint publicFor(String boundPath) {
        return PUBLIC_BY_PRIVATE.get(boundPath);
    }
}
