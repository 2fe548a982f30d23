package io.jnet;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A custom host name lookup for TCP client sockets, Node's {@code lookup} connect option: it replaces
 * the JDK's resolver ({@code InetAddress.getAllByName}) for names; IP literals are never looked up.
 *
 * <pre>{@code
 * Lookup pinned = (host, family, hints) -> CompletableFuture.completedFuture(
 *         List.of(InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.1")));
 * Net.createConnection(Endpoint.tcp("service.internal", 8080), ConnectOptions.builder().lookup(pinned).build(), null);
 * }</pre>
 *
 * <p>Why not Node's shape ({@code (hostname, options, callback(err, address, family))}): a
 * {@code List<InetAddress>} cannot hold an address that is not an IP or a family other than 4 and 6
 * (Node's {@code ERR_INVALID_IP_ADDRESS} and {@code ERR_INVALID_ADDRESS_FAMILY} cannot happen), one
 * list is Node's {@code all: true} answer, which is what Happy Eyeballs needs, and a
 * {@link CompletionStage} is how the JDK says "later, or failed". A failed stage (say, with a
 * {@link NetException} {@link ErrorCode#ENOTFOUND}) fails the connect with that error.
 *
 * <p>Called on one of jnet's lookup threads, never on an event loop, so it may block.
 */
@FunctionalInterface
public interface Lookup {
    /** getaddrinfo's {@code AI_ADDRCONFIG}, Node's {@code dns.ADDRCONFIG}: only families the host has configured. */
    int ADDRCONFIG = 32;
    /** getaddrinfo's {@code AI_V4MAPPED}, Node's {@code dns.V4MAPPED}: IPv4 addresses as IPv4-mapped IPv6 when family is 6. */
    int V4MAPPED = 8;
    /** getaddrinfo's {@code AI_ALL}, Node's {@code dns.ALL}: with {@link #V4MAPPED}, both IPv6 and mapped IPv4. */
    int ALL = 16;

    /**
     * The addresses of {@code hostname}, in the order to try them.
     *
     * @param family 4 or 6 to ask for one family only, 0 for both ({@link ConnectOptions#family()})
     * @param hints  getaddrinfo flags ({@link #ADDRCONFIG}, {@link #V4MAPPED}, {@link #ALL}) from
     *               {@link ConnectOptions#hints()}; a lookup may ignore them
     * @return the addresses; an empty list fails the connect with {@link ErrorCode#ENOTFOUND}
     */
    CompletionStage<List<InetAddress>> lookup(String hostname, int family, int hints);
}
