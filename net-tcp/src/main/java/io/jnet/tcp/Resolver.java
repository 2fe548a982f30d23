package io.jnet.tcp;

import io.jnet.Endpoint;
import io.jnet.ErrorCode;
import io.jnet.Lookup;
import io.jnet.Net;
import io.jnet.NetException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Host names to addresses. Literals ({@link Net#isIP}) are parsed on the spot; names are looked up on a small pool of
 * daemon threads, never on a loop thread, because {@code getaddrinfo} blocks for as long as DNS takes.
 */
final class Resolver {
    /** Lookup threads: enough for a burst of distinct names; idle ones leave after the loops' quiet period. */
    private static final ExecutorService LOOKUPS;

    static {
        // Lookup threads end after the quiet time jnet's loops use (jnet.loop.quietMillis), for the same reason.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, Long.getLong("jnet.loop.quietMillis", 1000), TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jnet-dns");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        LOOKUPS = pool;
    }

    private Resolver() {
    }

    static CompletableFuture<List<SocketAddress>> resolve(Endpoint.Tcp endpoint, int family) {
        return resolve(endpoint, family, LOOKUPS);
    }

    /**
     * {@link #resolve(Endpoint.Tcp, int)} with the caller's {@link Lookup} for names (null: the JDK's),
     * called on a lookup thread, since a lookup may block.
     */
    static CompletableFuture<List<SocketAddress>> resolve(Endpoint.Tcp endpoint, int family, int hints, Lookup lookup) {
        if (lookup == null) {
            return resolve(endpoint, family, LOOKUPS);
        }
        String host = endpoint.host() == null ? "localhost" : endpoint.host();
        if (endpoint.port() == 0 || Net.isIP(host) != 0) {
            return resolve(endpoint, family, LOOKUPS); // a literal is never looked up, as in Node
        }
        int port = endpoint.port();
        return CompletableFuture.supplyAsync(() -> lookup.lookup(host, family, hints), LOOKUPS)
                .thenCompose(stage -> stage == null
                        ? CompletableFuture.failedFuture(new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", host,
                                "the lookup returned no answer", null))
                        : stage)
                .thenApply(found -> {
                    List<SocketAddress> out = new ArrayList<>(found == null ? 0 : found.size());
                    if (found != null) {
                        for (InetAddress a : found) {
                            out.add(new InetSocketAddress(a, port));
                        }
                    }
                    if (out.isEmpty()) {
                        throw new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", host, null, null);
                    }
                    return out;
                });
    }

    /** {@link #resolve(Endpoint.Tcp, int)} with name lookups run on {@code lookups}: tests see what is looked up. */
    static CompletableFuture<List<SocketAddress>> resolve(Endpoint.Tcp endpoint, int family, Executor lookups) {
        String host = endpoint.host() == null ? "localhost" : endpoint.host();
        if (endpoint.port() == 0) {
            return CompletableFuture.failedFuture(new NetException(ErrorCode.ERR_INVALID_ARG_VALUE, "connect", endpoint.toString(),
                    "cannot connect to port 0", null));
        }
        // Only what Node's net.isIP accepts is parsed here, on the loop; anything else (999.1.1.1, 1234)
        // goes to getaddrinfo off the loop, since the JDK would look up a name that merely looks numeric.
        if (Net.isIP(host) != 0) {
            try {
                return CompletableFuture.completedFuture(List.of(new InetSocketAddress(InetAddress.getByName(host), endpoint.port())));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(notFound(host, e));
            }
        }
        return CompletableFuture.supplyAsync(() -> lookup(host, endpoint.port(), family), lookups);
    }

    private static List<SocketAddress> lookup(String host, int port, int family) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw notFound(host, e);
        }
        List<SocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            if (family == 0 || (family == 4 && a instanceof Inet4Address) || (family == 6 && a instanceof Inet6Address)) {
                out.add(new InetSocketAddress(a, port));
            }
        }
        if (out.isEmpty()) {
            throw new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", host, "no IPv" + family + " address", null);
        }
        return out;
    }

    /** The address to bind for {@code listen}: a literal or a name resolved on the caller's thread. */
    static InetSocketAddress forListen(Endpoint.Tcp endpoint) {
        if (endpoint.host() == null) {
            return new InetSocketAddress(endpoint.port());
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port());
        } catch (UnknownHostException e) {
            throw notFound(endpoint.host(), e);
        }
    }

    /** The address as Node prints it: {@code 127.0.0.1}, {@code ::1} (no scope, no brackets). */
    static String literal(InetAddress address) {
        String s = address.getHostAddress();
        int scope = s.indexOf('%');
        if (scope >= 0) {
            s = s.substring(0, scope);
        }
        if (address instanceof Inet6Address) {
            s = compress(s);
        }
        return s;
    }

    /** {@code 0:0:0:0:0:0:0:1} → {@code ::1}: the JDK prints IPv6 in full, Node (and people) do not. */
    private static String compress(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }

    private static NetException notFound(String host, UnknownHostException e) {
        return new NetException(ErrorCode.ENOTFOUND, "getaddrinfo", host, null, e);
    }
}
