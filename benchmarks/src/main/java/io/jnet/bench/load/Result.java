package io.jnet.bench.load;

import java.util.Locale;

/** Prints one measured figure as a TSV row fragment: {@code workload<TAB>metric<TAB>value}. */
final class Result {
    private Result() {
    }

    static void print(String workload, String metric, double value) {
        System.out.println(workload + "\t" + metric + "\t" + String.format(Locale.ROOT, "%.2f", value));
        System.out.flush();
    }
}
