#!/usr/bin/env python3
"""Summarise a JFR recording's samples: top frames and inclusive frames.

usage: jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample \
           --stack-depth 40 rec.jfr > rec.json
       jfr-top.py rec.json jdk.ExecutionSample|jdk.NativeMethodSample|jdk.ObjectAllocationSample [N]
Allocation samples are weighted by their 'weight' (bytes) and keyed by class and the top 3 frames.
"""
import collections
import json
import sys


def main():
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    kind = sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    top, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for e in events:
        if e["type"] != kind:
            continue
        v = e["values"]
        thread = (v.get("sampledThread") or v.get("eventThread") or {}).get("javaName", "?")
        threads[thread] += 1
        frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
        names = ["%s.%s:%s" % (f["method"]["type"]["name"], f["method"]["name"], f.get("lineNumber"))
                 for f in frames]
        w = v["weight"] if kind == "jdk.ObjectAllocationSample" else 1
        total += w
        if not names:
            continue
        if kind == "jdk.ObjectAllocationSample":
            top[v["objectClass"]["name"] + " @ " + " < ".join(names[:3])] += w
        else:
            top[names[0]] += w
        for n in set(names):
            incl[n] += w
    print("threads:", threads.most_common(5))
    print("total:", total)
    print("--- top frames")
    for k, c in top.most_common(limit):
        print("%5.1f%%  %s" % (100.0 * c / total, k))
    print("--- inclusive")
    for k, c in incl.most_common(limit * 2):
        print("%5.1f%%  %s" % (100.0 * c / total, k))


if __name__ == "__main__":
    main()
