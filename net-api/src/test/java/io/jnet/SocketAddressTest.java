package io.jnet;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketAddressTest {

    @Test
    void parsesIpv4AndBracketedIpv6WithOrWithoutAPort() {
        assertEquals(new SocketAddress("1.2.3.4", 80, "ipv4", 0), SocketAddress.parse("1.2.3.4:80"));
        assertEquals(new SocketAddress("::1", 80, "ipv6", 0), SocketAddress.parse("[::1]:80"));
        assertEquals(new SocketAddress("1.2.3.4", 0, "ipv4", 0), SocketAddress.parse("1.2.3.4"));
        assertEquals(new SocketAddress("::ffff:1.2.3.4", 0, "ipv6", 0), SocketAddress.parse("[::ffff:1.2.3.4]"));
    }

    @Test
    void printsWhatParseReadsBack() {
        for (String text : new String[] {"1.2.3.4:80", "[::1]:65535", "[2001:db8::1]:0"}) {
            assertEquals(text, SocketAddress.parse(text).toString());
        }
    }

    @Test
    void familyIsNodesLowerCaseAndTakenFromTheLiteral() {
        assertEquals("ipv6", SocketAddress.of("fe80::1", 1).family());
        assertEquals("ipv4", new SocketAddress("10.0.0.1", 1, "IPv4", 0).family());
        assertEquals("::1", new SocketAddress("0:0:0:0:0:0:0:1", 1, "ipv6", 0).address(), "as Node prints it");
        assertEquals("::ffff:1.2.3.4", SocketAddress.of("::FFFF:1.2.3.4", 1).address());
    }

    @Test
    void refusesWhatIsNotASocketAddressNamingIt() {
        for (String text : new String[] {"localhost:80", "::1:80", "[::1", "[1.2.3.4]:80", "1.2.3.4:", "1.2.3.4:99999x",
                "1.2.3.4:65536", "[::1]x80", ""}) {
            NetException e = assertThrows(NetException.class, () -> SocketAddress.parse(text), text);
            assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
            assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        }
        assertRefused(() -> new SocketAddress("1.2.3.4", 1, "ipv6", 0), "1.2.3.4");
        assertRefused(() -> new SocketAddress("1.2.3.4", 1, "inet", 0), "inet");
        assertRefused(() -> new SocketAddress("::1", 1, "ipv6", 0x100000), "1048576");
        assertRefused(() -> new SocketAddress("1.2.3.4", 1, "ipv4", 5), "5");
        assertRefused(() -> SocketAddress.of("1.2.3.4", -1), "-1");
    }

    @Test
    void convertsToAndFromInetSocketAddressWithoutLookups() throws Exception {
        SocketAddress a = SocketAddress.parse("[::1]:8080");
        InetSocketAddress inet = a.toInetSocketAddress();
        assertEquals(InetAddress.getByName("::1"), inet.getAddress());
        assertEquals(8080, inet.getPort());
        assertEquals(a, SocketAddress.of(inet));
        assertRefused(() -> SocketAddress.of(InetSocketAddress.createUnresolved("example.com", 1)), "example.com");
    }

    private static void assertRefused(Runnable call, String named) {
        NetException e = assertThrows(NetException.class, call::run);
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }
}
