#!/usr/bin/env python3
"""Summarise bench/run.sh raw results: medians over rounds, ratios dnslb/peer.

Usage: report.py HEADER.txt RESULTS.tsv [BIG.tsv]
Every number printed comes from the TSV files; nothing is hard-coded.
"""
import csv
import os
import statistics
import sys
from collections import defaultdict


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(rows, key):
    vals = [num(r.get(key)) for r in rows if num(r.get(key)) is not None]
    return statistics.median(vals) if vals else None


def span(rows, key):
    """(min, max) of a column over rounds, or None."""
    vals = [num(r.get(key)) for r in rows if num(r.get(key)) is not None]
    return (min(vals), max(vals)) if vals else None


def pauses(rows):
    """Safepoints (GC pauses included) that fell into the runs: "count/longest ms", or "-"."""
    vals = [(num(r.get("safepoints")), num(r.get("pause_max_ms"))) for r in rows]
    vals = [(n, m) for n, m in vals if n is not None and m is not None]
    if not vals:
        return "-"
    return f"{sum(n for n, _ in vals):.0f}/{max(m for _, m in vals):.1f}"


def episodes_per_10s(rows):
    """Median over rounds of the stall episodes per 10 s of run (run time = completed / q/s)."""
    vals = []
    for r in rows:
        n, done, qps = num(r.get("episodes")), num(r.get("completed")), num(r.get("qps"))
        if n is not None and done and qps:
            vals.append(10 * n / (done / qps))
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
        p99 = span(g, "p99_us")
        eps = episodes_per_10s(g)
        out.append([k[0], k[1], k[2], len(g), fmt(med(g, "qps")), fmt(med(g, "avg_us")),
                    fmt(med(g, "p50_us")), fmt(med(g, "p90_us")), fmt(med(g, "p99_us")),
                    f"{fmt(p99[0])}-{fmt(p99[1])}" if p99 else "n/a", fmt(med(g, "p999_us")),
                    "-" if eps is None else fmt(eps), "-" if med(g, "episode_pct") is None else fmt(med(g, "episode_pct"), 2),
                    f"{lost}/{sent}", fmt(med(g, "cpu_pct"), 1), fmt(med(g, "q_per_cpu_s")),
                    fmt(max(num(r["noise_pct"]) or 0 for r in g), 1),
                    pauses(g), ";".join(c.split(":")[0] for c in rcodes[0].split(",")) if rcodes else "-"])
    print(table(["phase", "mix", "server", "runs", "q/s", "avg us", "p50 us", "p90 us", "p99 us", "p99 range",
                 "p99.9 us", "ep/10s", "in ep %", "lost/sent",
                 "srv CPU %", "q/CPU-s", "max noise %", "pauses n/ms", "rcodes"], out))
    print("p99 range: lowest-highest round. pauses: dnslb's safepoints (GC included) inside the runs,"
          " count/longest.")
    ep_us, ep_min = os.environ.get("EPISODE_US", "100"), os.environ.get("EPISODE_MIN", "10")
    print(f"ep = stall episodes (fixed rates): runs of >= {ep_min} consecutive replies slower than {ep_us} us in completion"
          " order (the server or the machine under it stood still while queries queued), per 10 s, and the %"
          " of replies inside them.")
    print("At 20k q/s about 1% of replies sit in episodes on the 2-core VM, so p99 lands on their edge and"
          " swings with their count: read episodes, p50 and p90 beside a p99 ratio.")

    servers = sorted({k[2] for k in order})
    # "dnslb" and its transport variants ("dnslb-netty", "dnslb-native" in SERVERS) each
    # get ratios against the peers that are not dnslb.
    ours = [s for s in servers if s == "dnslb" or s.startswith("dnslb-")]
    if ours:
        peers = [s for s in servers if s not in ours]
        print("\nRatios dnslb/peer of the medians (>1: dnslb higher). For fixed-rate rows, CPU ratio <1 is better.")
        print("p99 ranges: 'overlap' when the two servers' per-round p99 ranges overlap (the medians' order"
              " is within the round-to-round noise), else 'apart'.")
        rr = []
        for (phase, mix) in dict.fromkeys((k[0], k[1]) for k in order):
            for o in ours:
                d = groups.get((phase, mix, o))
                if not d:
                    continue
                for p in peers:
                    g = groups.get((phase, mix, p))
                    if not g:
                        continue

                    def ratio(key):
                        a, b = med(d, key), med(g, key)
                        return f"{a / b:.2f}" if a is not None and b else "n/a"
                    a, b = span(d, "p99_us"), span(g, "p99_us")
                    apart = "n/a" if not a or not b else (
                        "apart" if a[1] < b[0] or b[1] < a[0] else "overlap")
                    rr.append([phase, mix, o, p, ratio("qps"), ratio("q_per_cpu_s"), ratio("cpu_pct"),
                               ratio("p50_us"), ratio("p90_us"), ratio("p99_us"), apart])
        print(table(["phase", "mix", "dnslb", "vs peer", "q/s", "q/CPU-s", "srv CPU", "p50", "p90", "p99",
                     "p99 ranges"], rr)
              if rr else "(no dnslb rows)")
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
