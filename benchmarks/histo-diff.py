#!/usr/bin/env python3
"""What one more connection holds, by class: two `jcmd PID GC.class_histogram` outputs (run.sh idle
keeps them as target/results/<time>-logs/<impl>-<transport>-<connections>.histo) and the number of
connections between them.

    benchmarks/histo-diff.py jnet-tcp-5000.histo jnet-tcp-10000.histo 5000
"""
import re
import sys


def load(path):
    counts = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            counts[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return counts


def main():
    before, after, n = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3])
    rows = []
    for cls in set(before) | set(after):
        i0, b0 = before.get(cls, (0, 0))
        i1, b1 = after.get(cls, (0, 0))
        rows.append(((b1 - b0) / n, (i1 - i0) / n, cls))
    rows.sort(reverse=True)
    print("%.1f bytes per connection in all" % sum(r[0] for r in rows))
    for per_conn, instances, cls in rows:
        if abs(per_conn) >= 2:  # below that: shares of tables and arrays that grow in steps
            print("%8.1f B %6.2f instances  %s" % (per_conn, instances, cls))


if __name__ == "__main__":
    main()
