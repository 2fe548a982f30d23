package io.jnet.bench.load;

import io.jnet.bench.Addr;

/**
 * The one load generator (plain JDK, blocking channels and one selector, no jnet) that drives every
 * echo server under test. Prints {@code workload<TAB>metric<TAB>value} rows on stdout.
 *
 * <pre>
 * java io.jnet.bench.load.LoadGen tcp:127.0.0.1:PORT pingpong,stream,fanin100,churn
 * </pre>
 *
 * Sizes come from system properties: {@code pp.warmup} (20000), {@code pp.count} (100000),
 * {@code stream.bytes} (1 GiB), {@code seconds} (time limit per workload, 5), {@code churn.max} (50000),
 * {@code idle.hold} (seconds an {@code idleN} workload holds its N connections, 60).
 */
public final class LoadGen {
    private LoadGen() {
    }

    /** Runs the named workloads against the server at {@code args[0]}, in order. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LoadGen tcp:HOST:PORT|unix:PATH pingpong,stream,fanin100,fanin1000,fanin5000,churn");
            System.exit(2);
        }
        Addr target = Addr.parse(args[0]);
        double seconds = Double.parseDouble(System.getProperty("seconds", "5"));
        for (String w : args[1].split(",")) {
            try {
                if (w.equals("pingpong")) {
                    PingPong.run(target, Integer.getInteger("pp.warmup", 20_000), Integer.getInteger("pp.count", 100_000), seconds);
                } else if (w.equals("stream")) {
                    Stream.run(target, Long.getLong("stream.bytes", 1L << 30), seconds);
                } else if (w.startsWith("fanin")) {
                    FanIn.run(target, Integer.parseInt(w.substring(5)), seconds);
                } else if (w.startsWith("idle")) {
                    Idle.run(target, Integer.parseInt(w.substring(4)), Double.parseDouble(System.getProperty("idle.hold", "60")));
                } else if (w.equals("churn")) {
                    Churn.run(target, Integer.getInteger("churn.max", 50_000), seconds);
                } else {
                    throw new IllegalArgumentException("unknown workload " + w);
                }
            } catch (Exception e) {
                // One failed workload must not cost the others their figures.
                System.err.println(w + " failed: " + e);
            }
        }
    }
}
