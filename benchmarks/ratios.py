#!/usr/bin/env python3
"""Ratios between impls across several run.sh TSVs (before/after in the same runs): per transport and
workload, the median ratio over the runs, its range, and in how many runs it was below 1. Above 1
always means the first impl did better (rates: a / b; latencies: b / a).

    python3 benchmarks/ratios.py benchmarks/target/results/2026*.tsv
"""
import statistics
import sys

# Pass the TSVs of one pinning (split or same); impls missing from a run are skipped for that run.
pairs=[("jnet","jnet-old"),("jnet","bare-nio"),("jnet-old","bare-nio"),("jnet-borrowed","jnet-old-borrowed"),("jnet-borrowed","bare-nio")]
metrics=[("pingpong","median_us",False),("pingpong","rt_per_s",True),("stream","MB_per_s",True)]
runs=[]
for f in sys.argv[1:]:
    d={}
    for line in open(f):
        p=line.rstrip("\n").split("\t")
        if p[0]=="impl" or len(p)<7: continue
        d[(p[0],p[2],p[3],p[4])]=float(p[5])
    runs.append(d)
print("| transport, workload | " + " | ".join(f"{a} / {b}" for a,b in pairs)+" |")
print("|---"*(len(pairs)+1)+"|")
for t in ("tcp","ipc"):
    for w,m,higher in metrics:
        cells=[]
        for a,b in pairs:
            xs=[]
            for d in runs:
                va,vb=d.get((a,t,w,m)),d.get((b,t,w,m))
                if va and vb: xs.append(va/vb if higher else vb/va)
            if not xs:
                cells.append("-")
                continue
            below=sum(1 for x in xs if x<1)
            cells.append(f"**{statistics.median(xs):.2f}** ({min(xs):.2f}–{max(xs):.2f}; <1 in {below}/{len(xs)})")
        print(f"| {t.upper()} `{w}` {m} | " + " | ".join(cells)+" |")
