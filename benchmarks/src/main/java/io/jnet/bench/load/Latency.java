package io.jnet.bench.load;

import java.util.Arrays;

/**
 * A fixed-size latency histogram: 100 ns buckets up to 50 ms, 100 µs buckets from there to 10 s, one
 * overflow bucket. Allocation-free once built, so recording does not disturb what it measures.
 * Single thread.
 */
final class Latency {
    private static final long FINE_NANOS = 100;
    private static final int FINE_BUCKETS = 500_000;               // up to 50 ms
    private static final long COARSE_NANOS = 100_000;
    private static final int COARSE_BUCKETS = 99_500;              // 50 ms .. 10 s
    private static final long FINE_LIMIT = FINE_NANOS * FINE_BUCKETS;
    private static final int OVERFLOW = FINE_BUCKETS + COARSE_BUCKETS;

    private final int[] counts = new int[OVERFLOW + 1];
    private long total;

    void record(long nanos) {
        int b;
        if (nanos < FINE_LIMIT) {
            b = (int) Math.max(0, nanos / FINE_NANOS);
        } else {
            long c = (nanos - FINE_LIMIT) / COARSE_NANOS;
            b = c >= COARSE_BUCKETS ? OVERFLOW : FINE_BUCKETS + (int) c;
        }
        counts[b]++;
        total++;
    }

    long count() {
        return total;
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    /** The {@code q} quantile (0..1) in microseconds, at the bucket's midpoint (10 s if beyond). */
    double quantileMicros(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i <= OVERFLOW; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return midpointNanos(i) / 1000.0;
            }
        }
        return midpointNanos(OVERFLOW) / 1000.0;
    }

    private static double midpointNanos(int bucket) {
        if (bucket < FINE_BUCKETS) {
            return bucket * FINE_NANOS + FINE_NANOS / 2.0;
        }
        if (bucket < OVERFLOW) {
            return FINE_LIMIT + (bucket - FINE_BUCKETS) * COARSE_NANOS + COARSE_NANOS / 2.0;
        }
        return FINE_LIMIT + (double) COARSE_BUCKETS * COARSE_NANOS;
    }
}
