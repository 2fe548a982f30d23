package io.jnet.bench.load;

/**
 * A fixed-size latency histogram: 100 ns buckets up to 50 ms, one overflow bucket. Allocation-free
 * once built, so recording does not disturb what it measures. Single thread.
 */
final class Latency {
    private static final int BUCKET_NANOS = 100;
    private static final int BUCKETS = 500_000;
    private final int[] counts = new int[BUCKETS + 1];
    private long total;

    void record(long nanos) {
        long b = nanos / BUCKET_NANOS;
        counts[b >= BUCKETS ? BUCKETS : (int) Math.max(0, b)]++;
        total++;
    }

    long count() {
        return total;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    /** The {@code q} quantile (0..1) in microseconds, at the bucket's midpoint. */
    double quantileMicros(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (i * BUCKET_NANOS + BUCKET_NANOS / 2.0) / 1000.0;
            }
        }
        return BUCKETS * BUCKET_NANOS / 1000.0;
    }
}
