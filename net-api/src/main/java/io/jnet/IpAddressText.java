package io.jnet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * IP literals to bytes and back, as Node prints them, for {@link BlockList} and {@link SocketAddress}:
 * checked by {@link IpLiterals} first, so nothing is ever looked up; an IPv4-mapped IPv6 literal stays
 * 16 bytes (the JDK alone would turn it into an IPv4 address).
 */
final class IpAddressText {
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpAddressText() {
    }

    /**
     * The 4 or 16 bytes of {@code literal}.
     *
     * @param what   the argument's name, for the message
     * @param family {@code "ipv4"}, {@code "ipv6"} (any case) that the literal must be, or null for either
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the literal or the family
     */
    static byte[] toBytes(String what, String literal, String family) {
        int version = IpLiterals.version(literal);
        if (version == 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "The argument '" + what + "' must be an IPv4 or IPv6 literal. Received " + quote(literal));
        }
        if (family != null) {
            String f = family.toLowerCase(Locale.ROOT);
            if (!f.equals("ipv4") && !f.equals("ipv6")) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                        "The property 'options.family' must be 'ipv4' or 'ipv6'. Received " + quote(family));
            }
            if ((version == 4) != f.equals("ipv4")) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "The argument '" + what + "' is not an "
                        + (f.equals("ipv4") ? "IPv4" : "IPv6") + " address. Received " + quote(literal));
            }
        }
        int zone = literal.indexOf('%');
        String bare = zone >= 0 ? literal.substring(0, zone) : literal;
        byte[] b;
        try {
            b = InetAddress.getByName(bare).getAddress(); // a checked literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "The argument '" + what + "' is not an IP address. Received " + quote(literal));
        }
        if (version == 6 && b.length == 4) {
            b = mapped(b);
        }
        return b;
    }

    /** The same peer in the other family: IPv4 to IPv4-mapped IPv6 and back; null when there is none. */
    static byte[] alternate(byte[] bytes) {
        if (bytes.length == 4) {
            return mapped(bytes);
        }
        if (Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return null;
    }

    /** Dotted quad, or RFC 5952 as inet_ntop prints it: lower case, the longest run of two or more zero groups as "::". */
    static String format(byte[] b) {
        if (b.length == 4) {
            return v4(b, 0);
        }
        if (Arrays.equals(b, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return "::ffff:" + v4(b, 12);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static byte[] mapped(byte[] v4) {
        byte[] m = Arrays.copyOf(MAPPED_PREFIX, 16);
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }

    private static String v4(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
