package io.jnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the results TSV ({@code impl side transport workload metric value pinning}) as one table per
 * pinning, side and transport: a row per workload and metric, a column per implementation, then
 * jnet's ratio to each peer (HTTP client workloads, {@code seq1_hello} etc., in tables of their own;
 * a value of {@code -} is a peer that cannot run the workload). A ratio above 1 always means jnet did better (for latencies it is
 * peer / jnet, for rates jnet / peer; for bytes per idle connection, peer / jnet).
 */
public final class Report {
    private Report() {
    }

    /** {@code Report results.tsv} */
    public static void main(String[] args) throws IOException {
        Map<String, Map<String, Map<String, Double>>> tables = new LinkedHashMap<>();
        List<String> impls = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank() || line.startsWith("impl\t")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 7) {
                continue;
            }
            if (f[5].equals("-")) {
                continue; // a peer that cannot run this workload (the JDK HttpClient over a Unix socket)
            }
            // HTTP client rows (seq1_hello, conc64_64k, uds_...) get tables of their own, apart from the
            // socket client's: their peers are different programs.
            boolean http = f[3].endsWith("_hello") || f[3].endsWith("_64k");
            boolean rpc = f[3].startsWith("rpc_"); // request/response (run.sh rpc): its own peer
            String table = f[6] + " / " + f[1] + " / " + f[2] + (http ? " / http" : rpc ? " / rpc" : "");
            String row = f[3] + " " + f[4];
            if (!impls.contains(f[0])) {
                impls.add(f[0]);
            }
            tables.computeIfAbsent(table, k -> new LinkedHashMap<>())
                    .computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .put(f[0], Double.parseDouble(f[5]));
        }
        tables.forEach((name, rows) -> print(name, rows, impls));
    }

    private static int col(String impl) {
        return Math.max(13, impl.length() + 2);
    }

    private static int width(String peer) {
        return Math.max(10, peer.length() + 7);
    }

    private static void print(String name, Map<String, Map<String, Double>> rows, List<String> allImpls) {
        List<String> impls = new ArrayList<>();
        for (String i : allImpls) {
            if (rows.values().stream().anyMatch(r -> r.containsKey(i))) {
                impls.add(i);
            }
        }
        List<String> peers = impls.stream().filter(i -> !i.equals("jnet")).toList();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-30s", "[" + name + "]"));
        for (String i : impls) {
            head.append(String.format(Locale.ROOT, "%" + col(i) + "s", i));
        }
        for (String p : peers) {
            head.append(String.format(Locale.ROOT, "%" + width(p) + "s", "jnet/" + p));
        }
        System.out.println();
        System.out.println(head);
        rows.forEach((row, values) -> {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-30s", row));
            for (String i : impls) {
                Double v = values.get(i);
                sb.append(v == null ? String.format(Locale.ROOT, "%" + col(i) + "s", "-")
                        : String.format(Locale.ROOT, "%" + col(i) + ".1f", v));
            }
            Double j = values.get("jnet");
            boolean lowerIsBetter = row.endsWith("_us") || row.endsWith("bytes_per_conn");
            for (String p : peers) {
                Double v = values.get(p);
                if (j == null || v == null || j == 0 || v == 0) {
                    sb.append(String.format(Locale.ROOT, "%" + width(p) + "s", "-"));
                } else {
                    double ratio = lowerIsBetter ? v / j : j / v;
                    sb.append(String.format(Locale.ROOT, "%" + (width(p) - 1) + ".2fx", ratio));
                }
            }
            System.out.println(sb);
        });
    }
}
