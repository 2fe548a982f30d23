package io.jnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Node's {@code net.BlockList}: IP addresses, ranges and subnets to refuse. A server given one in
 * {@link ServerOptions.Builder#blockList} closes a connection from a listed peer before
 * {@link Server#CONNECTION} and reports it on {@link Server#DROP} with {@link Drop.Reason#BLOCKED}.
 *
 * <pre>{@code
 * BlockList blocked = new BlockList();
 * blocked.addAddress("203.0.113.7");
 * blocked.addRange("10.0.0.1", "10.0.0.10");
 * blocked.addSubnet("2001:db8::", 32);
 * Server server = Net.createServer(ServerOptions.builder().blockList(blocked).build(), socket -> ...);
 * server.on(Server.DROP, drop -> log.info("refused {} ({})", drop.remoteAddress(), drop.reason()));
 * }</pre>
 *
 * <p>Addresses are IP literals only ({@link Net#isIP} rules); nothing is ever looked up, so a list may
 * be checked on a loop thread. The family is taken from the literal; the {@code family} argument
 * Node requires ({@code "ipv4"} or {@code "ipv6"}) is accepted and must agree with it.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) and its IPv4 address are the same peer, as
 * in Node: an IPv4 rule blocks the mapped address and an IPv6 rule on the mapped address blocks the
 * IPv4 one. Unlike Node 20, whose IPv6 ranges ignore IPv4 peers while its IPv6 subnets over
 * {@code ::ffff:0:0/96} match every IPv4 peer whatever the prefix, every rule kind here applies the
 * mapping the same way.
 *
 * <p>Thread-safe: rules may be added while a server checks its peers against the list.
 */
public final class BlockList {

    /** Newest first, as Node lists {@code blockList.rules}. */
    private final CopyOnWriteArrayList<Rule> rules = new CopyOnWriteArrayList<>();

    /** Blocks one address; the family is that of the literal. */
    public BlockList addAddress(String address) {
        return addAddress(address, null);
    }

    /**
     * Blocks one address.
     *
     * @param family {@code "ipv4"}, {@code "ipv6"} (any case), or null for the literal's own
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the address or family
     */
    public BlockList addAddress(String address, String family) {
        Ip ip = Ip.parse("address", address, family);
        rules.add(0, new Rule.Single(ip));
        return this;
    }

    /** Blocks {@code start} to {@code end}, both included; the family is that of the literals. */
    public BlockList addRange(String start, String end) {
        return addRange(start, end, null);
    }

    /**
     * Blocks {@code start} to {@code end}, both included.
     *
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} when either is not an IP literal of the
     *                      family, the two differ in family, or {@code start} comes after {@code end}
     */
    public BlockList addRange(String start, String end, String family) {
        Ip from = Ip.parse("start", start, family);
        Ip to = Ip.parse("end", end, family == null ? from.family() : family);
        if (Arrays.compareUnsigned(from.bytes, to.bytes) > 0) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                    "The argument 'start' must come before end. Received " + start + " (end " + end + ")");
        }
        rules.add(0, new Rule.Range(from, to));
        return this;
    }

    /** Blocks the subnet {@code network/prefix}; the family is that of the literal. */
    public BlockList addSubnet(String network, int prefix) {
        return addSubnet(network, prefix, null);
    }

    /**
     * Blocks the subnet {@code network/prefix}.
     *
     * @param prefix 0–32 for IPv4, 0–128 for IPv6
     * @throws NetException {@link ErrorCode#ERR_INVALID_ARG_VALUE} naming the network or the prefix
     */
    public BlockList addSubnet(String network, int prefix, String family) {
        Ip net = Ip.parse("net", network, family);
        int max = net.bytes.length * 8;
        if (prefix < 0 || prefix > max) {
            throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "The value of \"prefix\" is out of range. It must be >= 0 && <= "
                    + max + ". Received " + prefix + " (net " + network + ")");
        }
        rules.add(0, new Rule.Subnet(net, prefix));
        return this;
    }

    /**
     * Whether a rule covers {@code address}; false for anything that is not an IP literal (as Node
     * answers for an address it cannot parse).
     */
    public boolean check(String address) {
        return check(address, null);
    }

    /** {@link #check(String)} with Node's {@code family} argument; false when it disagrees with the literal. */
    public boolean check(String address, String family) {
        Ip ip;
        try {
            ip = Ip.parse("address", address, family);
        } catch (NetException notAnAddress) {
            return false;
        }
        return matches(ip);
    }

    /** Whether a rule covers the address of {@code address} (its port is ignored). */
    public boolean check(SocketAddress address) {
        return check(address.address(), address.family());
    }

    /** Whether a rule covers {@code address}; what a server asks of each accepted peer. */
    public boolean check(InetAddress address) {
        byte[] b = address.getAddress();
        return matches(new Ip(b));
    }

    /** Whether a rule covers the IP of {@code address}; false for an unresolved one. */
    public boolean check(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return ip != null && check(ip);
    }

    /**
     * Node's {@code blockList.rules}, newest first: {@code "Address: IPv4 1.2.3.4"},
     * {@code "Range: IPv4 10.0.0.1-10.0.0.10"}, {@code "Subnet: IPv6 8592:757c:efae:4e45::/64"}.
     */
    public List<String> rules() {
        List<String> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            out.add(r.toString());
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "BlockList" + rules();
    }

    private boolean matches(Ip ip) {
        Ip other = ip.alternate();
        for (Rule r : rules) {
            if (r.matches(ip) || (other != null && r.matches(other))) {
                return true;
            }
        }
        return false;
    }

    /** A parsed literal: 4 bytes, or 16 for IPv6 (an IPv4-mapped one included). */
    private record Ip(byte[] bytes) {
        private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

        String family() {
            return bytes.length == 4 ? "ipv4" : "ipv6";
        }

        String label() {
            return bytes.length == 4 ? "IPv4" : "IPv6";
        }

        static Ip parse(String what, String literal, String family) {
            int version = IpLiterals.version(literal);
            if (version == 0) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                        "The argument '" + what + "' must be an IPv4 or IPv6 literal. Received " + quote(literal));
            }
            if (family != null) {
                String f = family.toLowerCase(Locale.ROOT);
                if (!f.equals("ipv4") && !f.equals("ipv6")) {
                    throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                            "The property 'options.family' is invalid. Received " + quote(family));
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
                // A literal that passed IpLiterals is parsed, never looked up.
                b = InetAddress.getByName(bare).getAddress();
            } catch (UnknownHostException e) {
                throw new NetException(ErrorCode.ERR_INVALID_ARG_VALUE,
                        "The argument '" + what + "' is not an IP address. Received " + quote(literal));
            }
            if (version == 6 && b.length == 4) {
                // The JDK turns ::ffff:a.b.c.d into an Inet4Address; keep what the user wrote.
                byte[] mapped = Arrays.copyOf(MAPPED_PREFIX, 16);
                System.arraycopy(b, 0, mapped, 12, 4);
                b = mapped;
            }
            return new Ip(b);
        }

        /** The same peer in the other family: IPv4 ↔ IPv4-mapped IPv6; null when there is none. */
        Ip alternate() {
            if (bytes.length == 4) {
                byte[] mapped = Arrays.copyOf(MAPPED_PREFIX, 16);
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return new Ip(mapped);
            }
            if (Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
                return new Ip(Arrays.copyOfRange(bytes, 12, 16));
            }
            return null;
        }

        @Override
        public String toString() {
            return bytes.length == 4 ? v4(bytes, 0) : v6(bytes);
        }

        private static String v4(byte[] b, int at) {
            return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
        }

        /** RFC 5952, as inet_ntop prints it: lower case, the longest run of two or more zero groups as "::". */
        private static String v6(byte[] b) {
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

        private static String quote(String s) {
            return s == null ? "null" : "'" + s + "'";
        }
    }

    private sealed interface Rule {
        boolean matches(Ip ip);

        record Single(Ip address) implements Rule {
            @Override
            public boolean matches(Ip ip) {
                return Arrays.equals(address.bytes, ip.bytes);
            }

            @Override
            public String toString() {
                return "Address: " + address.label() + " " + address;
            }
        }

        record Range(Ip start, Ip end) implements Rule {
            @Override
            public boolean matches(Ip ip) {
                return ip.bytes.length == start.bytes.length
                        && Arrays.compareUnsigned(start.bytes, ip.bytes) <= 0
                        && Arrays.compareUnsigned(ip.bytes, end.bytes) <= 0;
            }

            @Override
            public String toString() {
                return "Range: " + start.label() + " " + start + "-" + end;
            }
        }

        record Subnet(Ip network, int prefix) implements Rule {
            @Override
            public boolean matches(Ip ip) {
                byte[] n = network.bytes;
                byte[] a = ip.bytes;
                if (a.length != n.length) {
                    return false;
                }
                int full = prefix / 8;
                if (!Arrays.equals(n, 0, full, a, 0, full)) {
                    return false;
                }
                int rest = prefix % 8;
                if (rest == 0) {
                    return true;
                }
                int mask = (0xff << (8 - rest)) & 0xff;
                return (n[full] & mask) == (a[full] & mask);
            }

            @Override
            public String toString() {
                return "Subnet: " + network.label() + " " + network + "/" + prefix;
            }
        }
    }
}
