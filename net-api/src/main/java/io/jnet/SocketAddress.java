package io.jnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Node's {@code net.SocketAddress}: an IP literal, a port and the family, checked when built and
 * never looked up.
 *
 * <pre>{@code
 * SocketAddress a = SocketAddress.parse("[::1]:8080");   // ::1, 8080, "ipv6", 0
 * SocketAddress b = SocketAddress.of("10.0.0.1", 80);    // family from the literal: "ipv4"
 * boolean refused = blockList.check(a);
 * }</pre>
 *
 * <p>The name is Node's, and clashes with {@link java.net.SocketAddress} just as {@link Socket} and
 * {@link Server} clash with {@code java.net.Socket} and {@code java.net.ServerSocket}: jnet names its
 * API after Node's throughout. A file that needs both imports one and writes the other in full; with
 * {@code import java.net.*} and {@code import io.jnet.*} together, the compiler refuses a bare
 * {@code SocketAddress} as ambiguous rather than picking one. Convert with
 * {@link #toInetSocketAddress()} and {@link #of(InetSocketAddress)}.
 *
 * @param address   an IPv4 or IPv6 literal, without brackets; kept as Node prints it ({@code 0:0:0:0:0:0:0:1}
 *                  becomes {@code ::1}, {@code ::FFFF:1.2.3.4} becomes {@code ::ffff:1.2.3.4})
 * @param port      0–65535
 * @param family    {@code "ipv4"} or {@code "ipv6"}, lower case as Node's {@code SocketAddress} has it
 *                  (a socket's {@code address()} in Node says {@code "IPv4"}; this type does not)
 * @param flowlabel the IPv6 flow label, 0–0xFFFFF; 0 for IPv4
 */
public record SocketAddress(String address, int port, String family, int flowlabel) {

    private static final int MAX_FLOWLABEL = 0xFFFFF;

    /**
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the value when the address is not an
     *                      IP literal of the family, the port or flow label is out of range, or the family is
     *                      neither {@code "ipv4"} nor {@code "ipv6"}
     */
    public SocketAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(family, "family");
        byte[] ip = IpAddressText.toBytes("address", address, family);
        family = ip.length == 4 ? "ipv4" : "ipv6";
        int zone = address.indexOf('%');
        // Node keeps the address as inet_ntop prints it: "0:0:0:0:0:0:0:1" becomes "::1".
        address = IpAddressText.format(ip) + (zone >= 0 ? address.substring(zone) : "");
        if (port < 0 || port > 65535) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "port should be >= 0 and < 65536. Received " + port + " (address " + address + ")");
        }
        if (flowlabel < 0 || flowlabel > MAX_FLOWLABEL || (flowlabel != 0 && ip.length == 4)) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "flowlabel must be 0-" + MAX_FLOWLABEL
                    + " (and 0 for IPv4) but was " + flowlabel + " (address " + address + ")");
        }
    }

    /** An address and port, the family taken from the literal. */
    public static SocketAddress of(String address, int port) {
        int version = IpLiterals.version(address);
        if (version == 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "Invalid socket address: '" + address + "' is not an IP literal");
        }
        return new SocketAddress(address, port, version == 4 ? "ipv4" : "ipv6", 0);
    }

    /** The IP and port of a resolved {@link InetSocketAddress}. */
    public static SocketAddress of(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "Invalid socket address: " + address + " is unresolved; a SocketAddress holds an IP literal");
        }
        String text = ip.getHostAddress();
        int zone = text.indexOf('%');
        // Java writes a zone index where Node writes the interface name; neither is part of the address.
        return of(zone >= 0 ? text.substring(0, zone) : text, address.getPort());
    }

    /**
     * Node's {@code SocketAddress.parse}: {@code "1.2.3.4:80"}, {@code "[::1]:80"}, or an address
     * without a port (port 0).
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the text (Node returns
     *                      {@code undefined} instead)
     */
    public static SocketAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw unparsable(text);
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                portText = text.substring(close + 2);
            }
            if (IpLiterals.version(host) != 6) {
                throw unparsable(text);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw unparsable(text); // an IPv6 literal needs brackets when a port may follow
            }
            host = colon >= 0 ? text.substring(0, colon) : text;
            portText = colon >= 0 ? text.substring(colon + 1) : null;
            if (IpLiterals.version(host) != 4) {
                throw unparsable(text);
            }
        }
        int port = 0;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw unparsable(text);
            }
            port = Integer.parseInt(portText);
            if (port > 65535) {
                throw unparsable(text);
            }
        }
        return of(host, port);
    }

    /** An {@link InetSocketAddress} with the same IP and port; parsing the literal does no lookup. */
    public InetSocketAddress toInetSocketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a checked IP literal failed to parse: " + address, e);
        }
    }

    /** {@code 1.2.3.4:80} or {@code [::1]:80}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return family.equals("ipv6") ? "[" + address + "]:" + port : address + ":" + port;
    }

    private static NetException unparsable(String text) {
        return new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                "Invalid socket address '" + text + "': expected IPv4:PORT, [IPv6]:PORT, or an address alone");
    }
}
