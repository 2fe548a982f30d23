package io.jnet.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * After a test class, jnet must have left nothing behind: no socket, pipe or epoll descriptor that was
 * not open before the class, no event loop, DNS or keep-alive thread, and no more direct memory than
 * before. Asserted, with a bounded wait (loops end after their quiet period, {@code jnet.loop.quietMillis};
 * direct buffers are freed after a GC).
 *
 * <p>Registered for a whole module by JUnit's extension autodetection (a
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} file naming this class, and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}), or per class with
 * {@code @ExtendWith(LeakCheck.class)}.
 *
 * <p>Only descriptors a network leak looks like are compared (sockets, pipes, anonymous inodes such as
 * epoll and eventfd): jar files the class loader opens along the way are not jnet's. Direct memory is
 * exact when the JDK does not cache temporary direct buffers per thread, so the test JVMs run with
 * {@code -Djdk.nio.maxCachedBufferSize=0}, and 16 KiB are tolerated for junixsocket's own small
 * buffers; without that property, 4 MiB are tolerated for the cache of the test's own thread.
 *
 * <p>To find which test of a class leaks, run with {@code -Djnet.leakCheck.perTest=true}: the same
 * check then runs after every test method as well.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final boolean PER_TEST = Boolean.getBoolean("jnet.leakCheck.perTest");
    private static final Pattern JNET_THREAD = Pattern.compile("jnet-(tcp|ipc)-\\d+|jnet-dns|jnet-keepalive");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The JVM's attach listener socket, {@code /tmp/.java_pid<pid>} (bound as {@code .java_pid<pid>.tmp}). */
    private static final String ATTACH_LISTENER = "/.java_pid" + ProcessHandle.current().pid();
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    private record Baseline(Map<Integer, String> fds, Set<Thread> threads, long directBytes) {
    }

    static {
        // The JDK's first channel opens a socket pair for closing descriptors safely ("pre-close") and
        // keeps one end for the life of the JVM: open it now, before any baseline is taken.
        try {
            java.nio.channels.SocketChannel.open().close();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(context.getRequiredTestClass(), new Baseline(networkFds(), jnetThreads(), directMemoryUsed()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (PER_TEST) {
            beforeAll(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (PER_TEST) {
            afterAll(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Baseline before = context.getStore(NS).get(context.getRequiredTestClass(), Baseline.class);
        if (before == null) {
            return;
        }
        // junixsocket keeps a few small direct buffers of its own for socket addresses and ancillary data
        // (8.6 KiB seen); a leaked loop read buffer alone is 64 KiB, so 16 KiB still catches any real leak.
        long tolerance = "0".equals(System.getProperty("jdk.nio.maxCachedBufferSize")) ? 16 << 10 : 4L << 20;
        String what = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!leakedFds(before).isEmpty() || !leakedThreads(before).isEmpty()) {
                    return false;
                }
                System.gc(); // direct buffers are freed by their cleaners, after a collection
                return directMemoryUsed() <= before.directBytes() + tolerance;
            });
        } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
            throw new AssertionError(what + " left resources behind " + WAIT.toSeconds() + " s after its last test:"
                    + "\n  descriptors opened and not closed: " + leakedFds(before)
                    + "\n  jnet threads still running: " + leakedThreads(before).stream().map(Thread::getName).toList()
                    + "\n  direct memory: " + directMemoryUsed() + " bytes, was " + before.directBytes()
                    + (tolerance > 0 ? " (+" + tolerance + " tolerated)" : ""));
        }
    }

    private static List<String> leakedFds(Baseline before) {
        List<String> leaked = new ArrayList<>();
        Map<String, String> sockets = null;
        for (Map.Entry<Integer, String> e : networkFds().entrySet()) {
            String target = e.getValue();
            if (!target.equals(before.fds().get(e.getKey()))) {
                if (sockets == null) {
                    sockets = SocketTable.read();
                }
                String inode = target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : "";
                String socket = sockets.getOrDefault(inode, "");
                if (socket.contains(ATTACH_LISTENER)) {
                    continue; // the JVM's own, opened when an agent (Jazzer's, in a fuzz test) attaches itself
                }
                leaked.add(e.getKey() + " -> " + target + socket);
            }
        }
        return leaked;
    }

    private static List<Thread> leakedThreads(Baseline before) {
        return jnetThreads().stream().filter(t -> !before.threads().contains(t)).toList();
    }

    /** fd number to readlink target, for sockets, pipes and anonymous inodes only (Linux). */
    static Map<Integer, String> networkFds() {
        Map<Integer, String> fds = new TreeMap<>();
        Path dir = Path.of("/proc/self/fd");
        if (!Files.isDirectory(dir)) {
            return fds;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                        fds.put(Integer.parseInt(p.getFileName().toString()), target);
                    }
                } catch (IOException | NumberFormatException closedMeanwhile) {
                    // the listing's own descriptor, or one closed while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return fds;
    }

    static Set<Thread> jnetThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && JNET_THREAD.matcher(t.getName()).matches()).toList());
    }

    static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
