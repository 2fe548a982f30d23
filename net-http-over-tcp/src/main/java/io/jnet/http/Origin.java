package io.jnet.http;

import io.jnet.Endpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an exchange goes, and the key connections are pooled under: a host and port, or a Unix socket
 * path (every request then goes to that socket, whatever host its URI names).
 */
record Origin(String host, int port, Path socketPath) {

    static Origin of(URI uri, Path socketPath) {
        if (socketPath != null) {
            return new Origin(null, 0, socketPath);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // URI keeps IPv6 brackets; the socket layer wants the bare literal
        }
        return new Origin(host.toLowerCase(Locale.ROOT), uri.getPort() == -1 ? 80 : uri.getPort(), null);
    }

    Endpoint endpoint() {
        return socketPath != null ? Endpoint.ipc(socketPath) : Endpoint.tcp(host, port);
    }

    @Override
    public String toString() {
        return socketPath != null ? socketPath.toString() : host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
