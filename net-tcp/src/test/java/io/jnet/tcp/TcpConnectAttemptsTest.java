package io.jnet.tcp;

import io.jnet.AbortController;
import io.jnet.AbortSignal;
import io.jnet.AggregateNetException;
import io.jnet.ConnectOptions;
import io.jnet.ConnectionAttempt;
import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Lookup;
import io.jnet.LookupEvent;
import io.jnet.Net;
import io.jnet.NetException;
import io.jnet.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection attempts over real TCP on loopback: Happy Eyeballs (Node's {@code autoSelectFamily}), the
 * {@code lookup}/{@code family}/{@code hints} options and the LOOKUP event, local bind errors, and
 * cancellation with an {@link AbortSignal} or by cancelling {@link Net#connectAsync}'s future.
 *
 * <p>The "black hole" is a listener on 127.0.0.2 whose accept queue is full: Linux drops the SYNs sent
 * to it, so a connect there hangs for the kernel's SYN retries (minutes), deterministically.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpConnectAttemptsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void warmUp() throws Exception {
        // The loops' selectors open descriptors on first use; count descriptors only after that.
        ServerSocket s = listener("127.0.0.1", 0, 50);
        Socket warm = Net.createConnection(Endpoint.tcp("127.0.0.1", s.getLocalPort()), null);
        awaitClosedAfter(warm, warm::destroy);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- Happy Eyeballs --------------------------------------------------------------------------

    @Test
    void aNameWhoseFirstAddressNeverAnswersConnectsToTheNextAfterTheAttemptTimeout() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        int port = live.getLocalPort();
        blackHole("127.0.0.2", port);
        ConnectOptions options = ConnectOptions.builder()
                .lookup(fixed("127.0.0.2", "127.0.0.1"))
                .autoSelectFamilyAttemptTimeout(Duration.ofMillis(100))
                .build();
        long start = System.nanoTime();
        Socket socket = record(Net.socket(Endpoint.tcp("twohomed.test", port), options));
        socket.connect();

        await().atMost(WAIT).until(() -> events.contains("connect"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 100 && tookMs < 5_000, "connected after " + tookMs + " ms");
        assertEquals(List.of("lookup 127.0.0.2/4 twohomed.test", "lookup 127.0.0.1/4 twohomed.test",
                "attempt 127.0.0.2:" + port, "attemptTimeout 127.0.0.2:" + port, "attempt 127.0.0.1:" + port,
                "connect"), events);
        assertEquals("127.0.0.1:" + port, socket.remoteAddress().toString());
        assertEquals(List.of("127.0.0.2:" + port, "127.0.0.1:" + port), socket.autoSelectFamilyAttemptedAddresses());
        // The losing attempt was closed when the winner connected (the JDK frees its descriptor at the
        // selector's next select): no connect to the black hole is left in the kernel.
        await().atMost(WAIT).until(() -> connectsInFlightTo("127.0.0.2", port) == 0);
    }

    @Test
    void attemptsInterleaveTheFamiliesStartingWithTheFirstAddresssAndAllFailingNamesEachAddress() throws Exception {
        int port = closedPort();
        ConnectOptions options = ConnectOptions.builder()
                .lookup(fixed("127.0.0.1", "127.0.0.2", "127.0.0.1", "::1")) // the duplicate is tried once
                .build();
        Socket socket = record(Net.socket(Endpoint.tcp("mixed.test", port), options));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        socket.on(Socket.ERROR, errors::add);
        socket.connect();

        await().atMost(WAIT).until(() -> events.contains("close:true"));
        List<String> order = List.of("127.0.0.1:" + port, "::1:" + port, "127.0.0.2:" + port);
        assertEquals(order, socket.autoSelectFamilyAttemptedAddresses());
        assertEquals(order.stream().map(a -> "attemptFailed " + a + " ECONNREFUSED").toList(),
                events.stream().filter(e -> e.startsWith("attemptFailed")).toList());
        AggregateNetException all = assertInstanceOf(AggregateNetException.class, errors.get(0));
        assertEquals(ErrorCode.ECONNREFUSED, all.code());
        assertEquals(order.stream().map(a -> "connect ECONNREFUSED " + a).toList(),
                all.errors().stream().map(Throwable::getMessage).toList());
        for (String a : order) {
            assertTrue(all.getMessage().contains("connect ECONNREFUSED " + a), all.getMessage());
        }
    }

    @Test
    void anAttemptPastItsHeadStartKeepsRunningAndWinsWhenTheNextFails() throws Exception {
        int port = closedPort(); // nothing on 127.0.0.1:port: the second attempt is refused at once
        ServerSocket hole = blackHole("127.0.0.2", port);
        ConnectOptions options = ConnectOptions.builder()
                .lookup(fixed("127.0.0.2", "127.0.0.1"))
                .autoSelectFamilyAttemptTimeout(Duration.ofMillis(50))
                .build();
        Socket socket = record(Net.socket(Endpoint.tcp("slowfirst.test", port), options));
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("attemptFailed 127.0.0.1:" + port + " ECONNREFUSED"));

        // Node would have closed the first attempt at its head start and failed by now; RFC 8305 lets it
        // run. Make room in the accept queue: the client's next SYN (retransmitted after 1 s) is answered.
        hole.accept().close();
        hole.accept().close();
        await().atMost(WAIT).until(() -> events.contains("connect") || events.contains("close:true"));
        assertEquals(List.of("attempt 127.0.0.2:" + port, "attemptTimeout 127.0.0.2:" + port,
                "attempt 127.0.0.1:" + port, "attemptFailed 127.0.0.1:" + port + " ECONNREFUSED", "connect"),
                events.stream().filter(e -> !e.startsWith("lookup")).toList());
        assertEquals("127.0.0.2:" + port, socket.remoteAddress().toString());
    }

    @Test
    void withoutAutoSelectFamilyTheNextAddressWaitsForTheFirstToFail() throws Exception {
        oneAfterAnother(ConnectOptions.builder().autoSelectFamily(false));
    }

    @Test
    void turningTheProcessWideDefaultOffMakesLaterConnectsTryOneAddressAfterAnother() throws Exception {
        Net.setDefaultAutoSelectFamily(false);
        try {
            oneAfterAnother(ConnectOptions.builder());
        } finally {
            Net.setDefaultAutoSelectFamily(true);
        }
    }

    private void oneAfterAnother(ConnectOptions.Builder builder) throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        int port = live.getLocalPort();
        blackHole("127.0.0.2", port);
        ConnectOptions options = builder
                .lookup(fixed("127.0.0.2", "127.0.0.1"))
                .autoSelectFamilyAttemptTimeout(Duration.ofMillis(10))
                .connectTimeout(Duration.ofMillis(700))
                .build();
        Socket socket = record(Net.socket(Endpoint.tcp("twohomed.test", port), options));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        socket.on(Socket.ERROR, errors::add);
        socket.connect();

        await().atMost(WAIT).until(() -> events.contains("close:true"));
        assertEquals(List.of("127.0.0.2:" + port), socket.autoSelectFamilyAttemptedAddresses());
        NetException e = assertInstanceOf(NetException.class, errors.get(0));
        assertEquals("connect ETIMEDOUT 127.0.0.2:" + port, e.getMessage());
    }

    @Test
    void theProcessWideDefaultsAreNodesAndTheAttemptTimeoutIsAtLeastTenMilliseconds() {
        assertTrue(Net.getDefaultAutoSelectFamily());
        assertEquals(Duration.ofMillis(250), Net.getDefaultAutoSelectFamilyAttemptTimeout());
        try {
            Net.setDefaultAutoSelectFamilyAttemptTimeout(Duration.ofMillis(5));
            assertEquals(Duration.ofMillis(10), Net.getDefaultAutoSelectFamilyAttemptTimeout());
            Net.setDefaultAutoSelectFamily(false);
            assertEquals(false, Net.getDefaultAutoSelectFamily());
        } finally {
            Net.setDefaultAutoSelectFamilyAttemptTimeout(Duration.ofMillis(250));
            Net.setDefaultAutoSelectFamily(true);
        }
        assertEquals(Duration.ofMillis(10),
                ConnectOptions.builder().autoSelectFamilyAttemptTimeout(Duration.ofMillis(1)).build().autoSelectFamilyAttemptTimeout());
        NetException zero = assertThrows(NetException.class, () -> Net.setDefaultAutoSelectFamilyAttemptTimeout(Duration.ZERO));
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, zero.code());
    }

    // ---- lookup, family, hints ---------------------------------------------------------------------

    @Test
    void aCustomLookupGetsTheFamilyAndHintsAndIsNotAskedForAnIpLiteral() throws Exception {
        ServerSocket live = listener("::1", 0, 50);
        List<String> asked = new CopyOnWriteArrayList<>();
        Lookup lookup = (host, family, hints) -> {
            asked.add(host + " family " + family + " hints " + hints);
            return CompletableFuture.completedFuture(List.of(ip("::1")));
        };
        ConnectOptions options = ConnectOptions.builder().lookup(lookup).family(6).hints(Lookup.ADDRCONFIG).build();
        Socket named = record(Net.socket(Endpoint.tcp("named.test", live.getLocalPort()), options));
        named.connect();
        await().atMost(WAIT).until(() -> events.contains("connect"));
        assertEquals(List.of("named.test family 6 hints 32"), asked);
        assertEquals("lookup ::1/6 named.test", events.get(0));
        assertEquals("::1:" + live.getLocalPort(), named.remoteAddress().toString());
        awaitClosedAfter(named, named::destroy);

        events.clear();
        Socket literal = record(Net.socket(Endpoint.tcp("::1", live.getLocalPort()), options));
        literal.connect();
        await().atMost(WAIT).until(() -> events.contains("connect"));
        assertEquals(1, asked.size());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("lookup")), events.toString());
        awaitClosedAfter(literal, literal::destroy);
    }

    @Test
    void localhostIsLookedUpByTheJdkAndEachAddressFiresLookup() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        InetAddress[] expected = InetAddress.getAllByName("localhost");
        Socket socket = record(Net.socket(Endpoint.tcp("localhost", live.getLocalPort()), ConnectOptions.defaults()));
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("connect") || events.contains("close:true"));
        List<String> lookups = events.stream().filter(e -> e.startsWith("lookup")).toList();
        assertEquals(expected.length, lookups.size(), events.toString());
        assertTrue(lookups.contains("lookup 127.0.0.1/4 localhost"), lookups.toString());
    }

    @Test
    void aFailedLookupFiresLookupWithTheErrorThenError() {
        NetException notFound = new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", "nowhere.test", null, null);
        ConnectOptions options = ConnectOptions.builder()
                .lookup((host, family, hints) -> CompletableFuture.failedFuture(notFound)).build();
        Socket socket = record(Net.socket(Endpoint.tcp("nowhere.test", 80), options));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        socket.on(Socket.ERROR, errors::add);
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        assertEquals(List.of("lookup ENOTFOUND nowhere.test", "close:true"), events);
        assertEquals(List.of(notFound), errors);
        assertEquals("getaddrinfo ENOTFOUND nowhere.test", notFound.getMessage());
    }

    @Test
    void hintsOtherThanNodesFlagsAreRefusedInNodesWords() {
        NetException e = assertThrows(NetException.class, () -> ConnectOptions.builder().hints(7).build());
        assertEquals(ErrorCode.ERR_INVALID_ARG_VALUE, e.code());
        assertEquals("The argument 'hints' is invalid. Received 7", e.getMessage());
    }

    // ---- local bind ----------------------------------------------------------------------------------

    @Test
    void aLocalPortInUseFailsAsNodeSaysIt() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        int port = live.getLocalPort();
        ConnectOptions options = ConnectOptions.builder().localAddress("127.0.0.1").localPort(port).build();
        Socket socket = record(Net.socket(Endpoint.tcp("127.0.0.1", port), options));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        socket.on(Socket.ERROR, errors::add);
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        NetException e = assertInstanceOf(NetException.class, errors.get(0));
        assertEquals(ErrorCode.EADDRINUSE, e.code());
        assertEquals("bind EADDRINUSE 127.0.0.1:" + port, e.getMessage());
    }

    @Test
    void aLocalAddressThatIsNoIpIsRefusedInNodesWords() {
        NetException e = assertThrows(NetException.class, () -> ConnectOptions.builder().localAddress("foo").build());
        assertEquals(ErrorCode.ERR_INVALID_IP_ADDRESS, e.code());
        assertEquals("Invalid IP address: foo", e.getMessage());
    }

    // ---- cancellation ----------------------------------------------------------------------------------

    @Test
    void abortingTheSignalDestroysAPendingConnectWithAbortErrAndLeavesNoDescriptor() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        int port = live.getLocalPort();
        blackHole("127.0.0.2", port);
        AbortController controller = new AbortController();
        ConnectOptions options = ConnectOptions.builder().signal(controller.signal()).build();
        Socket socket = record(Net.socket(Endpoint.tcp("127.0.0.2", port), options));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        socket.on(Socket.ERROR, errors::add);
        socket.connect();
        await().atMost(WAIT).until(() -> events.contains("attempt 127.0.0.2:" + port));

        controller.abort();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        NetException e = assertInstanceOf(NetException.class, errors.get(0));
        assertEquals(ErrorCode.ABORT_ERR, e.code());
        assertEquals("The operation was aborted", e.getMessage());
        await().atMost(WAIT).until(() -> connectsInFlightTo("127.0.0.2", port) == 0);
    }

    @Test
    void anAlreadyAbortedSignalFailsTheConnectAndAnAbortAfterConnectingDestroysTheSocket() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        Endpoint endpoint = Endpoint.tcp("127.0.0.1", live.getLocalPort());
        Socket early = record(Net.socket(endpoint, ConnectOptions.builder().signal(AbortSignal.aborted()).build()));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        early.on(Socket.ERROR, errors::add);
        early.connect();
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        assertEquals(ErrorCode.ABORT_ERR, ((NetException) errors.get(0)).code());
        assertTrue(events.stream().noneMatch(e -> e.equals("connect")), events.toString());

        events.clear();
        errors.clear();
        AbortController controller = new AbortController();
        Socket late = record(Net.socket(endpoint, ConnectOptions.builder().signal(controller.signal()).build()));
        late.on(Socket.ERROR, errors::add);
        late.connect();
        await().atMost(WAIT).until(() -> events.contains("connect"));
        IllegalStateException why = new IllegalStateException("shutting down");
        controller.abort(why);
        await().atMost(WAIT).until(() -> events.contains("close:true"));
        assertEquals(ErrorCode.ABORT_ERR, ((NetException) errors.get(0)).code());
        assertEquals(why, errors.get(0).getCause());
    }

    @Test
    void cancellingConnectAsyncDestroysThePendingSocketAndLeavesNoDescriptor() throws Exception {
        ServerSocket live = listener("127.0.0.1", 0, 50);
        int port = live.getLocalPort();
        blackHole("127.0.0.2", port);
        CompletableFuture<Socket> pending = Net.connectAsync(Endpoint.tcp("127.0.0.2", port), ConnectOptions.defaults());
        await().atMost(WAIT).until(() -> connectsInFlightTo("127.0.0.2", port) == 1);
        pending.cancel(true);
        assertThrows(CancellationException.class, pending::join);
        await().atMost(WAIT).until(() -> connectsInFlightTo("127.0.0.2", port) == 0);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Socket record(Socket socket) {
        socket.on(Socket.LOOKUP, (LookupEvent l) -> events.add(l.error() != null
                ? "lookup " + ((NetException) l.error()).code() + " " + l.host()
                : "lookup " + l.address() + "/" + l.family() + " " + l.host()));
        socket.on(Socket.CONNECTION_ATTEMPT, (ConnectionAttempt a) -> events.add("attempt " + a.address() + ":" + a.port()));
        socket.on(Socket.CONNECTION_ATTEMPT_TIMEOUT, (ConnectionAttempt a) -> events.add("attemptTimeout " + a.address() + ":" + a.port()));
        socket.on(Socket.CONNECTION_ATTEMPT_FAILED, (ConnectionAttempt a) -> events.add("attemptFailed " + a.address() + ":"
                + a.port() + " " + ((NetException) a.error()).code()));
        socket.on(Socket.CONNECT, () -> events.add("connect"));
        socket.on(Socket.CLOSE, hadError -> events.add("close:" + hadError));
        toClose.add(socket::destroy);
        return socket;
    }

    private static Lookup fixed(String... addresses) {
        return (host, family, hints) -> {
            List<InetAddress> out = new ArrayList<>();
            for (String a : addresses) {
                out.add(ip(a));
            }
            return CompletableFuture.completedFuture(out);
        };
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: nothing is looked up
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private ServerSocket listener(String host, int port, int backlog) throws IOException {
        ServerSocket s = new ServerSocket(port, backlog, InetAddress.getByName(host));
        toClose.add(s);
        return s;
    }

    /** A port on 127.0.0.1 (and, as nothing listens there either, ::1) that refuses connections. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A listener at host:port whose accept queue is full, so further SYNs are dropped and connects hang. */
    private ServerSocket blackHole(String host, int port) throws IOException {
        ServerSocket hole = listener(host, port, 1);
        InetSocketAddress at = new InetSocketAddress(hole.getInetAddress(), port);
        for (int i = 0; i < 10; i++) {
            java.net.Socket filler = new java.net.Socket();
            try {
                filler.connect(at, 300);
                toClose.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return hole;
            }
        }
        throw new IllegalStateException("the accept queue of " + at + " never filled up in 10 connects");
    }

    /**
     * Sockets of this host in SYN_SENT towards an IPv4 {@code host:port}, from the kernel's own tables
     * (the JDK's dual-stack channels appear in tcp6 as {@code ::ffff:a.b.c.d}): a connect attempt still
     * open, whichever process or loop holds it.
     */
    private static long connectsInFlightTo(String host, int port) throws IOException {
        byte[] b = ip(host).getAddress();
        String remote = String.format("%02X%02X%02X%02X:%04X", b[3], b[2], b[1], b[0], port);
        long n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (Stream<String> lines = Files.lines(Path.of(table))) {
                n += lines.map(String::trim).map(l -> l.split("\\s+"))
                        .filter(f -> f.length > 3 && f[2].endsWith(remote) && f[3].equals("02"))
                        .count();
            }
        }
        return n;
    }

    private void awaitClosedAfter(Socket socket, Runnable action) {
        AtomicInteger closed = new AtomicInteger();
        socket.once(Socket.CLOSE, h -> closed.incrementAndGet());
        action.run();
        await().atMost(WAIT).until(() -> closed.get() == 1);
        events.clear();
    }
}
