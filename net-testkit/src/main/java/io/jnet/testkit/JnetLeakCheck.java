package io.jnet.testkit;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * After a test class, jnet must have left nothing behind: no socket, pipe or epoll descriptor that was
 * not open before the class, no jnet event loop, DNS or keep-alive thread, and no more direct memory
 * than before. Waits up to 15 s for that (an idle loop ends after its quiet period,
 * {@code jnet.loop.quietMillis}, 1 s by default; direct buffers are freed after a GC), then fails the
 * class with what is left: each descriptor with its connection ({@code tcp 127.0.0.1:41234 -> 127.0.0.1:39781
 * CLOSE_WAIT}), each thread, the direct bytes.
 *
 * <pre>{@code
 * @ExtendWith(JnetLeakCheck.class)
 * class MyServerTest { ... }
 * }</pre>
 * or for every class of a test suite, a file
 * {@code src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension} containing
 * {@code io.jnet.testkit.JnetLeakCheck}, and {@code junit.jupiter.extensions.autodetection.enabled=true}
 * in {@code src/test/resources/junit-platform.properties}.
 *
 * <p>Descriptors are read from {@code /proc/self/fd}, so that part checks on Linux only (elsewhere it
 * sees none); threads and direct memory are checked everywhere. Direct memory is exact when the JDK keeps
 * no per-thread cache of temporary direct buffers: run the tests with
 * {@code -Djdk.nio.maxCachedBufferSize=0} (16 KiB are then tolerated, for junixsocket's own small
 * buffers); without it, 4 MiB are tolerated for the cache of the test's own thread. With
 * {@code -Djnet.leakCheck.perTest=true} the check also runs after every test method, to find which one
 * leaks. Assumes the test classes of one JVM run one after another.
 */
public final class JnetLeakCheck implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final boolean PER_TEST = Boolean.getBoolean("jnet.leakCheck.perTest");
    private static final Pattern JNET_THREAD = Pattern.compile("jnet-(tcp|ipc)-\\d+|jnet-dns|jnet-keepalive");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The JVM's attach listener socket, {@code /tmp/.java_pid<pid>} (bound as {@code .java_pid<pid>.tmp}). */
    private static final String ATTACH_LISTENER = "/.java_pid" + ProcessHandle.current().pid();
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(JnetLeakCheck.class);

    /** What was open before; compared with what is open after. */
    record Baseline(Map<Integer, String> fds, Set<Thread> threads, long directBytes) {
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

    /** For JUnit ({@code @ExtendWith} or autodetection). */
    public JnetLeakCheck() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(context.getRequiredTestClass(), baseline());
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
        String what = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
        String leaks = leaksSince(before, WAIT);
        if (leaks != null) {
            throw new AssertionError(what + " left resources behind " + WAIT.toSeconds() + " s after its last test:" + leaks);
        }
    }

    static Baseline baseline() {
        return new Baseline(networkFds(), jnetThreads(), directMemoryUsed());
    }

    /** Null once nothing is left beyond {@code before}; after {@code wait} without that, what is left. */
    static String leaksSince(Baseline before, Duration wait) {
        // junixsocket keeps a few small direct buffers of its own for socket addresses and ancillary data
        // (8.6 KiB seen); a leaked loop read buffer alone is 64 KiB, so 16 KiB still catches any real leak.
        long tolerance = "0".equals(System.getProperty("jdk.nio.maxCachedBufferSize")) ? 16 << 10 : 4L << 20;
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (leakedFds(before).isEmpty() && leakedThreads(before).isEmpty()) {
                System.gc(); // direct buffers are freed by their cleaners, after a collection
                if (directMemoryUsed() <= before.directBytes() + tolerance) {
                    return null;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            // Polling: a descriptor's close or a thread's end has no event to wait for.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return "\n  descriptors opened and not closed: " + leakedFds(before)
                + "\n  jnet threads still running: " + leakedThreads(before).stream().map(Thread::getName).toList()
                + "\n  direct memory: " + directMemoryUsed() + " bytes, was " + before.directBytes()
                + " (+" + tolerance + " tolerated)";
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
                    continue; // the JVM's own, opened when an agent attaches itself
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
