package io.jnet.bench.http;

import io.jnet.bench.Addr;
import io.jnet.bench.Lifetime;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The driver shared by the Java HTTP clients under test ({@link JnetHttpLoad}, {@link JdkHttpLoad}), so
 * that they differ only in the client: C threads each send a GET, read the body to its end, check
 * its length and repeat; the requests completed during the measured window count.
 *
 * <p>Workloads are named {@code seq1_hello}, {@code conc64_64k}, ...: {@code seqN} or {@code concN}
 * is the number of requests in flight (one thread each; the client's pool may open as many
 * connections), {@code hello} a 13-byte and {@code 64k} a 65 536-byte body. Against a {@code unix:}
 * target every row is named {@code uds_<workload>}. Prints {@code workload<TAB>metric<TAB>value}
 * rows: {@code req_per_s}, plus {@code MB_per_s} of body for {@code 64k}.
 *
 * <p>Bounded: {@code -Dwarmup=SECONDS} (1) of warm-up, then {@code -Dseconds=SECONDS} (3) or
 * {@code -Dhttp.max=N} (1 000 000) requests, whichever comes first; the process exits by itself after
 * {@code -Dbench.maxSeconds} (120) whatever happens. On stderr: the rate of each warm-up second, and
 * the context switches, CPU time and heap allocation per measured request.
 */
final class HttpLoad {
    /** One client under test, built for one workload and closed after it. Thread-safe. */
    interface Client extends AutoCloseable {
        /** Sends GET {@code path}, reads the whole body and returns its length; throws on a status other than 200. */
        long get(String path) throws Exception;

        @Override
        void close();
    }

    /** Builds a client for {@code target} able to keep {@code concurrency} requests in flight. */
    interface Factory {
        Client open(Addr target, int concurrency) throws Exception;
    }

    /** A parsed workload name. */
    record Workload(String name, int concurrency, String path, long bodyBytes) {
        static Workload parse(String name) {
            String[] parts = name.split("_");
            if (parts.length != 2 || !parts[0].matches("(seq|conc)[0-9]+")) {
                throw new IllegalArgumentException("expected a workload like seq1_hello or conc64_64k but was \"" + name + "\"");
            }
            int c = Integer.parseInt(parts[0].replaceAll("[a-z]", ""));
            return switch (parts[1]) {
                case "hello" -> new Workload(name, c, "/hello", 13);
                case "64k" -> new Workload(name, c, "/64k", 65536);
                default -> throw new IllegalArgumentException("unknown body \"" + parts[1] + "\" in \"" + name + "\" (hello or 64k)");
            };
        }
    }

    private HttpLoad() {
    }

    /** {@code main(tcp:HOST:PORT|unix:PATH, seq1_hello,conc64_hello,...)} with the given client. */
    static void main(String[] args, Factory factory) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: tcp:HOST:PORT|unix:PATH seq1_hello,conc64_64k,...");
        }
        Lifetime.exitAfter(Long.getLong("bench.maxSeconds", 120));
        Addr target = Addr.parse(args[0]);
        double warmup = Double.parseDouble(System.getProperty("warmup", "1"));
        double seconds = Double.parseDouble(System.getProperty("seconds", "3"));
        long max = Long.getLong("http.max", 1_000_000);
        for (String name : args[1].split(",")) {
            Workload w = Workload.parse(name.trim());
            String row = (target.isUnix() ? "uds_" : "") + w.name();
            double rate = run(factory, target, w, warmup, seconds, max);
            System.out.printf(Locale.ROOT, "%s\treq_per_s\t%.1f%n", row, rate);
            if (w.bodyBytes() >= 65536) {
                System.out.printf(Locale.ROOT, "%s\tMB_per_s\t%.1f%n", row, rate * w.bodyBytes() / 1e6);
            }
            System.out.flush();
        }
    }

    private static double run(Factory factory, Addr target, Workload w, double warmup, double seconds, long max)
            throws Exception {
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long measured;
        long elapsed;
        try (Client client = factory.open(target, w.concurrency())) {
            for (int i = 0; i < w.concurrency(); i++) {
                Thread t = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted() && failure.get() == null) {
                            long n = client.get(w.path());
                            if (n != w.bodyBytes()) {
                                throw new IllegalStateException(w.path() + ": body of " + n + " bytes, expected " + w.bodyBytes());
                            }
                            done.increment();
                        }
                    } catch (InterruptedException e) {
                        // stopped
                    } catch (Throwable e) {
                        if (!Thread.currentThread().isInterrupted()) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }, "load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            sleepUnlessFailed(failure, (long) (warmup * 1e9), done, w.name());
            long[] cost0 = processCost();
            long n0 = done.sum();
            long t0 = System.nanoTime();
            long limit = (long) (seconds * 1e9);
            while (failure.get() == null && System.nanoTime() - t0 < limit && done.sum() - n0 < max) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            measured = done.sum() - n0;
            elapsed = System.nanoTime() - t0;
            long[] cost1 = processCost();
            if (measured > 0) {
                System.err.printf(Locale.ROOT, "%s measured: %d requests; per request %.2f voluntary + %.2f involuntary context switches, %.1f us CPU, %.0f B allocated%n",
                        w.name(), measured, (cost1[0] - cost0[0]) / (double) measured, (cost1[1] - cost0[1]) / (double) measured,
                        (cost1[2] - cost0[2]) / 1e3 / measured, (cost1[3] - cost0[3]) / (double) measured);
            }
            threads.forEach(Thread::interrupt);
        }
        for (Thread t : threads) {
            t.join(5000);
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException(w.name() + " failed after " + done.sum() + " requests", f);
        }
        return measured / (elapsed / 1e9);
    }

    /** Waits out the warm-up, logging the rate of each second to stderr (how long the JIT takes shows there). */
    private static void sleepUnlessFailed(AtomicReference<Throwable> failure, long nanos, LongAdder done, String name)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + nanos;
        long mark = start;
        long count = done.sum();
        while (failure.get() == null && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(20);
            long now = System.nanoTime();
            if (now - mark >= 1_000_000_000L) {
                long c = done.sum();
                System.err.printf(Locale.ROOT, "%s warm-up %.0f s: %.0f req/s%n", name, (now - start) / 1e9, (c - count) / ((now - mark) / 1e9));
                mark = now;
                count = c;
            }
        }
    }

    /**
     * The process's voluntary and involuntary context switches (summed over its live threads, from
     * {@code /proc/self/task}), CPU time in ns and heap bytes allocated by the live threads (unlike the
     * rates, the last does not depend on how loaded the machine is); zeros where unavailable. For the
     * stderr diagnostic.
     */
    static long[] processCost() {
        long vol = 0;
        long invol = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol += Long.parseLong(line.substring(24).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol += Long.parseLong(line.substring(27).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return new long[4];
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        long allocated = 0;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                allocated += Math.max(0, bytes); // -1: the thread ended meanwhile
            }
        }
        return new long[] {vol, invol, cpu, allocated};
    }
}
