#!/usr/bin/env python3
"""Summarise bench/run.sh raw results: medians over rounds, ratios dnslb/peer.

Usage: report.py HEADER.txt RESULTS.tsv [BIG.tsv]
Every number printed comes from the TSV files; nothing is hard-coded.
"""
import csv
import statistics
import sys
from collections import defaultdict


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(rows, key):
    vals = [num(r[key]) for r in rows if num(r[key]) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]
    line = "  ".join(str(h).rjust(w) if i > 2 else str(h).ljust(w) for i, (h, w) in enumerate(zip(headers, widths)))
    out = [line, "-" * len(line)]
    for r in rows:
        out.append("  ".join(str(c).rjust(w) if i > 2 else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)


def main():
    header, results = sys.argv[1], sys.argv[2]
    big = sys.argv[3] if len(sys.argv) > 3 else None
    print()
    print(open(header).read().rstrip())
    with open(results) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    groups = defaultdict(list)
    order = []
    for r in rows:
        k = (r["phase"], r["mix"], r["server"])
        if k not in groups:
            order.append(k)
        groups[k].append(r)

    print("\nMedians over rounds (max = unthrottled; Qn = dnsperf -Q n). p99 from dnsperf -v per-query latencies.")
    out = []
    for k in order:
        g = groups[k]
        lost = sum(int(num(r["lost"]) or 0) for r in g)
        sent = sum(int(num(r["sent"]) or 0) for r in g)
        rcodes = sorted({r["rcodes"] for r in g})
        out.append([k[0], k[1], k[2], len(g), fmt(med(g, "qps")), fmt(med(g, "avg_us")), fmt(med(g, "p99_us")),
                    f"{lost}/{sent}", fmt(med(g, "cpu_pct"), 1), fmt(med(g, "q_per_cpu_s")),
                    fmt(max(num(r["noise_pct"]) or 0 for r in g), 1),
                    ";".join(c.split(":")[0] for c in rcodes[0].split(",")) if rcodes else "-"])
    print(table(["phase", "mix", "server", "runs", "q/s", "avg us", "p99 us", "lost/sent", "srv CPU %",
                 "q/CPU-s", "max noise %", "rcodes"], out))

    servers = sorted({k[2] for k in order})
    if "dnslb" in servers:
        peers = [s for s in servers if s != "dnslb"]
        print("\nRatios dnslb/peer of the medians (>1: dnslb higher). For fixed-rate rows, CPU ratio <1 is better.")
        rr = []
        for (phase, mix) in dict.fromkeys((k[0], k[1]) for k in order):
            d = groups.get((phase, mix, "dnslb"))
            if not d:
                continue
            for p in peers:
                g = groups.get((phase, mix, p))
                if not g:
                    continue

                def ratio(key):
                    a, b = med(d, key), med(g, key)
                    return f"{a / b:.2f}" if a is not None and b else "n/a"
                rr.append([phase, mix, p, ratio("qps"), ratio("q_per_cpu_s"), ratio("cpu_pct"), ratio("p99_us")])
        print(table(["phase", "mix", "vs peer", "q/s", "q/CPU-s", "srv CPU", "p99"], rr) if rr else "(no dnslb rows)")
    else:
        print("\n(no dnslb results: ratios dnslb/peer not computed)")

    if big:
        with open(big) as f:
            b = list(csv.DictReader(f, delimiter="\t"))
        if b:
            print("\nBig zone load")
            print(table(["server", "how", "seconds", "CPU s", "peak RSS MiB", "live MiB", "status"],
                        [[r["server"], r["how"], r["seconds"], r.get("cpu_s", "-"), r["peak_rss_mb"],
                          r.get("live_mb", "-"), r["status"]] for r in b]))
    print()


if __name__ == "__main__":
    main()
