package io.jnet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * IPv4 one; so does a subnet ({@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}). Node 20's IPv6
 * ranges ignore IPv4 peers (a range over {@code ::ffff:1.2.3.0} to {@code ::ffff:1.2.3.9} blocks
 * {@code ::ffff:1.2.3.3} but not {@code 1.2.3.3}, the same peer); here a range applies the mapping as
 * every other rule does.
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

        String label() {
            return bytes.length == 4 ? "IPv4" : "IPv6";
        }

        String family() {
            return bytes.length == 4 ? "ipv4" : "ipv6";
        }

        static Ip parse(String what, String literal, String family) {
            return new Ip(IpAddressText.toBytes(what, literal, family));
        }

        Ip alternate() {
            byte[] other = IpAddressText.alternate(bytes);
            return other == null ? null : new Ip(other);
        }

        @Override
        public String toString() {
            return IpAddressText.format(bytes);
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
