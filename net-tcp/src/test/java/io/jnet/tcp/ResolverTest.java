package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.NetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Resolver} parses on the spot (on the loop) and what it hands to the lookup threads: only
 * Node's {@code net.isIP} literals are parsed; everything else, numeric-looking or not, is looked up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResolverTest {

    /** Records lookups instead of running them, so a test sees what would have gone to getaddrinfo. */
    private final List<Runnable> lookups = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "::ffff:127.0.0.1", "1:2:3:4:5:6:7:8"})
    void parsesNodeLiteralsOnTheSpot(String host) throws Exception {
        CompletableFuture<List<SocketAddress>> f = Resolver.resolve(Endpoint.tcp(host, 80), 0, lookups::add);
        assertTrue(f.isDone(), "a literal is parsed on the caller's thread");
        assertTrue(lookups.isEmpty(), "nothing looked up for " + host);
        InetSocketAddress a = (InetSocketAddress) f.get().get(0);
        assertEquals(InetAddress.getByName(host), a.getAddress());
        assertEquals(80, a.getPort());
    }

    /** Each of these used to be parsed or looked up on the loop thread: 1234 read as 0.0.4.210, 999.1.1.1 sent to DNS. */
    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "1234", "01.2.3.4", "1.2.3", "256.0.0.1", "localhost", "example.invalid"})
    void sendsEverythingElseToTheLookupThreads(String host) {
        CompletableFuture<List<SocketAddress>> f = Resolver.resolve(Endpoint.tcp(host, 80), 0, lookups::add);
        assertFalse(f.isDone(), host + " must wait for a lookup, not be answered on the spot");
        assertEquals(1, lookups.size(), "one lookup for " + host);
    }

    @Test
    void anOutOfRangeQuadIsNotFoundByTheLookup() throws Exception {
        CompletableFuture<List<SocketAddress>> f = Resolver.resolve(Endpoint.tcp("999.1.1.1", 80), 0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        NetException ne = assertInstanceOf(NetException.class, e.getCause());
        assertTrue(ne.getMessage().contains("ENOTFOUND") && ne.getMessage().contains("999.1.1.1"), ne.getMessage());
    }

    @Test
    void anUnknownZoneIsNotFoundWithoutALookup() {
        CompletableFuture<List<SocketAddress>> f = Resolver.resolve(Endpoint.tcp("fe80::1%nosuchif0", 80), 0, lookups::add);
        assertTrue(f.isCompletedExceptionally());
        assertTrue(lookups.isEmpty());
    }
}
