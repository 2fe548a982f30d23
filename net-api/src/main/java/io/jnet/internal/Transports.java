package io.jnet.internal;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.NetException;
import io.jnet.spi.Transport;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the {@link Transport} that serves an endpoint among those on the class or module path. */
public final class Transports {
    private static volatile List<Transport> loaded;

    private Transports() {
    }

    /**
     * The transport for {@code endpoint}.
     *
     * @throws NetException {@link ErrorCode#ERR_TRANSPORT_UNAVAILABLE} naming the artifact to add
     */
    public static Transport forEndpoint(Endpoint endpoint) {
        for (Transport t : all()) {
            if (t.serves(endpoint)) {
                return t;
            }
        }
        String artifact = endpoint instanceof Endpoint.Tcp ? "io.jnet:net-tcp" : "io.jnet:net-ipc";
        String kind = endpoint instanceof Endpoint.Tcp ? "TCP" : "IPC";
        String found = all().isEmpty() ? "none"
                : all().stream().map(Transport::artifact).collect(Collectors.joining(", "));
        throw new NetException(ErrorCode.ERR_TRANSPORT_UNAVAILABLE,
                "no transport on the class path serves the " + kind + " endpoint " + endpoint
                        + ": add the dependency " + artifact + " (transports found: " + found + ")");
    }

    /**
     * The transport whose loops select on {@code channel} (same selector provider). {@code address} is
     * the channel's (its peer's for a connected socket, the bound one for a server), for the message and
     * to refuse the JDK's own Unix-domain channels: they share the JDK's provider with TCP, which cannot
     * serve them (jnet's IPC is junixsocket's channels).
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_HANDLE_TYPE} naming the channel's class
     */
    public static Transport forChannel(SelectableChannel channel, SocketAddress address, String syscall) {
        for (Transport t : all()) {
            if (t.selectorProvider() == channel.provider() && !(address instanceof UnixDomainSocketAddress)) {
                return t;
            }
        }
        String found = all().isEmpty() ? "none"
                : all().stream().map(Transport::artifact).collect(Collectors.joining(", "));
        throw new NetException(ErrorCode.ERR_INVALID_HANDLE_TYPE, syscall, String.valueOf(address),
                "Invalid handle type: no transport on the class path serves a " + channel.getClass().getName()
                        + " at " + address + " (transports found: " + found + "); jnet adopts the JDK's TCP channels"
                        + " (io.jnet:net-tcp) and junixsocket's AF_UNIX channels (io.jnet:net-ipc)", null);
    }

    private static List<Transport> all() {
        List<Transport> l = loaded;
        if (l == null) {
            synchronized (Transports.class) {
                l = loaded;
                if (l == null) {
                    l = ServiceLoader.load(Transport.class, Transports.class.getClassLoader()).stream()
                            .map(ServiceLoader.Provider::get)
                            .collect(Collectors.toUnmodifiableList());
                    loaded = l;
                }
            }
        }
        return l;
    }
}
