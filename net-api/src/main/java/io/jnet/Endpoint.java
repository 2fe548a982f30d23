package io.jnet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a socket connects or a server listens: a TCP host and port, an IPC socket path, or (Linux) a
 * name in the abstract Unix socket namespace. The transport that serves an endpoint is found on the
 * class path: {@code io.jnet:net-tcp} serves {@link Tcp}, {@code io.jnet:net-ipc} serves {@link Ipc}
 * and {@link IpcAbstract}.
 *
 * <pre>{@code
 * Net.createConnection(Endpoint.tcp("localhost", 8080), () -> log.info("connected"));
 * server.listen(Endpoint.ipc(Path.of("/run/app/app.sock")));
 * }</pre>
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Ipc, Endpoint.IpcAbstract {

    /** A TCP endpoint; {@code host} is a name or an IPv4/IPv6 literal, {@code port} is 0–65535. */
    static Tcp tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /** A TCP endpoint on every local address ({@code ::} or {@code 0.0.0.0}); for {@code listen}. */
    static Tcp tcp(int port) {
        return new Tcp(null, port);
    }

    /** An IPC endpoint on a Unix domain socket file. */
    static Ipc ipc(Path path) {
        return new Ipc(path);
    }

    /** An IPC endpoint in Linux's abstract socket namespace (no file on disk). */
    static IpcAbstract ipcAbstract(String name) {
        return new IpcAbstract(name);
    }

    /**
     * Parses what a user types: {@code HOST:PORT}, {@code [IPv6]:PORT}, a bare {@code PORT}, or a path
     * (anything containing {@code /}) for IPC.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the text when it is none of these
     */
    static Endpoint parse(String text) {
        return EndpointParser.parse(text);
    }

    /**
     * A TCP host and port.
     *
     * @param host a host name or IP literal; null means every local address (listen only)
     * @param port 0–65535; 0 asks the system for a free port (listen only)
     */
    record Tcp(String host, int port) implements Endpoint {
        public Tcp {
            if (port < 0 || port > 65535) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                        "port must be 0-65535 but was " + port + (host == null ? "" : " (host " + host + ")"));
            }
            if (host != null) {
                checkHost(host, port);
            }
        }

        /** Names and IP literals only: letters, digits, '.', '-', '_', and ':' / '%' for IPv6 with a scope. */
        private static void checkHost(String host, int port) {
            if (host.isEmpty() || host.length() > 253) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                        "host must be 1 to 253 characters but was " + host.length() + " (port " + port + ")");
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
                if (!ok) {
                    throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, String.format(
                            "host \"%s\" has character U+%04X at index %d; a host is a name or an IP literal (IPv6 without brackets)",
                            host.replaceAll("\\p{Cntrl}", "?"), (int) c, i));
                }
            }
        }

        /** {@code 127.0.0.1:8080}, {@code ::1:8080} (as Node prints it), or {@code :::8080} for any address. */
        @Override
        public String toString() {
            return (host == null ? "::" : host) + ":" + port;
        }
    }

    /** A Unix domain socket at a path on the file system. */
    record Ipc(Path path) implements Endpoint {
        public Ipc {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A Unix domain socket in Linux's abstract namespace: no file, gone when the listener closes. */
    record IpcAbstract(String name) implements Endpoint {
        public IpcAbstract {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "abstract socket name must not be empty");
            }
        }

        /** {@code @name}, the way {@code ss -x} shows abstract sockets. */
        @Override
        public String toString() {
            return "@" + name;
        }
    }
}
