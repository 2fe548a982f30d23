package io.jnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BlockList against what Node 20 prints and answers for the same calls. */
class BlockListTest {

    @Test
    void rulesReadAsNodesNewestFirst() {
        // node -e "const b=new (require('net').BlockList)();b.addAddress('1.2.3.4');b.addRange('10.0.0.1','10.0.0.10');
        //   b.addSubnet('8592:757c:efae:4e45::',64,'ipv6');console.log(b.rules)"
        BlockList b = new BlockList()
                .addAddress("1.2.3.4")
                .addRange("10.0.0.1", "10.0.0.10")
                .addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
        assertEquals(List.of(
                "Subnet: IPv6 8592:757c:efae:4e45::/64",
                "Range: IPv4 10.0.0.1-10.0.0.10",
                "Address: IPv4 1.2.3.4"), b.rules());
    }

    @Test
    void ipv6RulesArePrintedInCanonicalLowerCaseWithTheNetworkAsGiven() {
        // Node: [ 'Subnet: IPv4 10.1.2.3/24', 'Address: IPv6 2001:db8::1', 'Address: IPv6 ::ffff:1.2.3.4' ]
        BlockList b = new BlockList()
                .addAddress("::FFFF:1.2.3.4", "ipv6")
                .addAddress("2001:DB8:0:0:0:0:0:1", "IPv6")
                .addSubnet("10.1.2.3", 24);
        assertEquals(List.of("Subnet: IPv4 10.1.2.3/24", "Address: IPv6 2001:db8::1", "Address: IPv6 ::ffff:1.2.3.4"),
                b.rules());
        assertEquals("Address: IPv6 1:0:0:1::1", new BlockList().addAddress("1:0:0:1:0:0:0:1").rules().get(0),
                "the longer zero run is the one compressed");
        assertEquals("Address: IPv6 ::", new BlockList().addAddress("::").rules().get(0));
    }

    @Test
    void checksAddressesRangesAndSubnetsOfBothFamilies() {
        BlockList b = new BlockList()
                .addAddress("1.2.3.4")
                .addRange("10.0.0.1", "10.0.0.10")
                .addSubnet("8592:757c:efae:4e45::", 64)
                .addSubnet("192.168.0.0", 17);
        assertTrue(b.check("1.2.3.4"));
        assertFalse(b.check("1.2.3.5"));
        assertTrue(b.check("10.0.0.1"));
        assertTrue(b.check("10.0.0.10"));
        assertFalse(b.check("10.0.0.11"));
        assertFalse(b.check("10.0.0.0"));
        assertTrue(b.check("8592:757c:efae:4e45::f", "ipv6"));
        assertTrue(b.check("8592:757c:efae:4e45:ffff:ffff:ffff:ffff"));
        assertFalse(b.check("8592:757c:efae:4e46::"));
        assertTrue(b.check("192.168.127.255"));
        assertFalse(b.check("192.168.128.0"), "a /17 stops at the 17th bit");
    }

    @Test
    void anIpv4MappedIpv6AddressMatchesIpv4RulesAndTheOtherWayRound() {
        // Node: b.check('::ffff:1.2.3.4','ipv6') is true for addAddress('1.2.3.4'), and
        // c.check('1.2.3.4') is true for c.addAddress('::ffff:1.2.3.4','ipv6').
        BlockList v4 = new BlockList().addAddress("1.2.3.4").addRange("10.0.0.1", "10.0.0.10").addSubnet("172.16.0.0", 12);
        assertTrue(v4.check("::ffff:1.2.3.4", "ipv6"));
        assertTrue(v4.check("::ffff:10.0.0.5"));
        assertTrue(v4.check("::ffff:ac1f:ffff"), "172.31.255.255 written in hex groups");
        assertFalse(v4.check("::ffff:10.0.0.11"));
        assertFalse(v4.check("::1.2.3.4"), "IPv4-compatible is not IPv4-mapped");

        BlockList v6 = new BlockList().addAddress("::ffff:1.2.3.4", "ipv6").addSubnet("::ffff:10.0.0.0", 104);
        assertTrue(v6.check("1.2.3.4"));
        assertTrue(v6.check("10.0.0.200"));
        assertTrue(v6.check("10.255.0.1"));
        assertFalse(v6.check("11.1.0.7"), "::ffff:10.0.0.0/104 is 10.0.0.0/8, as Node answers");
    }

    @Test
    void anIpv6RangeOverMappedAddressesCoversTheirIpv4PeersUnlikeNode20() {
        // Node 20: d.addRange('::1','::ffff:1.2.3.4','ipv6'); d.check('1.2.3.3') is false but
        // d.check('::ffff:1.2.3.3','ipv6') is true: the same peer, two answers. Here both are true.
        BlockList d = new BlockList().addRange("::1", "::ffff:1.2.3.4", "ipv6");
        assertTrue(d.check("::ffff:1.2.3.3"));
        assertTrue(d.check("1.2.3.3"));
        assertFalse(d.check("1.2.3.5"));
    }

    @Test
    void checkIsFalseForAnythingThatIsNotAnIpLiteralOrOfTheWrongFamily() {
        BlockList b = new BlockList().addSubnet("0.0.0.0", 0);
        assertFalse(b.check("localhost"));
        assertFalse(b.check("1.2.3"));
        assertFalse(b.check(""));
        assertFalse(b.check((String) null));
        assertFalse(b.check("1.2.3.4", "ipv6"), "Node: false, not an error");
        assertTrue(b.check("1.2.3.4", "ipv4"));
    }

    @Test
    void checksSocketAndInetAddresses() throws Exception {
        BlockList b = new BlockList().addAddress("127.0.0.1");
        assertTrue(b.check(SocketAddress.parse("127.0.0.1:80")));
        assertTrue(b.check(java.net.InetAddress.getByName("127.0.0.1")));
        assertTrue(b.check(java.net.InetAddress.getByName("::ffff:127.0.0.1")), "the JDK's own mapped-to-IPv4 form");
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        BlockList b = new BlockList();
        assertRefused(() -> b.addAddress("foo"), "'foo'");
        assertRefused(() -> b.addAddress("01.2.3.4"), "'01.2.3.4'");
        assertRefused(() -> b.addAddress("1.2.3.4", "ipv6"), "'1.2.3.4'");
        assertRefused(() -> b.addAddress("1.2.3.4", "ipv7"), "'ipv7'");
        assertRefused(() -> b.addRange("10.0.0.10", "10.0.0.1"), "10.0.0.10");
        assertRefused(() -> b.addRange("10.0.0.1", "::1"), "'::1'");
        assertRefused(() -> b.addSubnet("1.2.3.4", 33), "Received 33");
        assertRefused(() -> b.addSubnet("::", 129), "Received 129");
        assertRefused(() -> b.addSubnet("1.2.3.4", -1), "Received -1");
        assertEquals(List.of(), b.rules(), "a refused rule is not added");
    }

    @Test
    void theSameAddressTwiceIsTwoRulesAsInNode() {
        assertEquals(2, new BlockList().addAddress("1.2.3.4").addAddress("1.2.3.4").rules().size());
    }

    private static void assertRefused(Runnable call, String named) {
        NetException e = assertThrows(NetException.class, call::run);
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }
}
