package io.jnet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where a benchmark process listens or connects, written {@code tcp:HOST:PORT} or {@code unix:PATH}:
 * the one address syntax shared by the servers, the load generator and {@code run.sh}.
 *
 * @param spec the text form, as given on the command line
 * @param address the JDK address it names
 */
public record Addr(String spec, SocketAddress address) {

    /** Parses {@code tcp:127.0.0.1:0} or {@code unix:/tmp/x.sock}. */
    public static Addr parse(String spec) {
        if (spec.startsWith("tcp:")) {
            String rest = spec.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected tcp:HOST:PORT but was \"" + spec + "\"");
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Addr(spec, new InetSocketAddress(host, Integer.parseInt(rest.substring(colon + 1))));
        }
        if (spec.startsWith("unix:")) {
            return new Addr(spec, UnixDomainSocketAddress.of(Path.of(spec.substring(5))));
        }
        throw new IllegalArgumentException("expected tcp:HOST:PORT or unix:PATH but was \"" + spec + "\"");
    }

    /** True for a Unix domain socket path. */
    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    /** The path of a {@code unix:} address. */
    public Path path() {
        return ((UnixDomainSocketAddress) address).getPath();
    }

    /** A blocking channel connected here, with TCP_NODELAY for TCP. */
    public SocketChannel connect() throws IOException {
        SocketChannel ch = isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            if (!isUnix()) {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            ch.connect(address);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** A server channel bound here (backlog 4096, so a 5 000-connection fan-in does not overflow it). */
    public ServerSocketChannel bind() throws IOException {
        ServerSocketChannel ch = isUnix() ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        ch.bind(address, 4096);
        return ch;
    }

    /** The address a server actually bound, in the same syntax (the real port for port 0). */
    public static String describe(SocketAddress bound) {
        if (bound instanceof InetSocketAddress in) {
            String host = in.getAddress().getHostAddress();
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + in.getPort();
        }
        return "unix:" + ((UnixDomainSocketAddress) bound).getPath();
    }
}
