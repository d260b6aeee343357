#!/usr/bin/env python3
"""Condenses bench/core-trace.bt's output (stdin) into one table and the two wake-up histograms.

held: the task that was on the server's core while a woken DNS thread waited >= 64 us, with how
often, the total wait, and how often the wait was >= 500 us; sorted by the total wait.
"""
import re
import sys
from collections import defaultdict

maps = defaultdict(dict)
hists = defaultdict(list)
current = None
for line in sys.stdin:
    line = line.rstrip("\n")
    m = re.match(r"@(\w+)\[(.*)\]: (\d+)$", line)
    if m:
        maps[m.group(1)][m.group(2)] = int(m.group(3))
        current = None
        continue
    m = re.match(r"@(\w+): $", line)
    if m:
        current = m.group(1)
        continue
    if current and line.startswith("["):
        hists[current].append(line)

held = maps["held_64us_plus_total_us"]
rows = sorted(held, key=held.get, reverse=True)
total = sum(held.values())
print(f"  {'held the core (>= 64 us)':28}{'times':>8}{'total ms':>10}{'share':>7}{'>= 500 us':>11}")
for k in rows[:12]:
    print(f"  {k:28}{maps['held_64us_plus_count'].get(k, 0):>8}{held[k] / 1000:>10.1f}"
          f"{100 * held[k] / total if total else 0:>6.0f}%{maps['held_500us_plus_count'].get(k, 0):>11}")
if len(rows) > 12:
    rest = rows[12:]
    print(f"  {'(' + str(len(rest)) + ' others)':28}{sum(maps['held_64us_plus_count'].get(k, 0) for k in rest):>8}"
          f"{sum(held[k] for k in rest) / 1000:>10.1f}")
rx = maps["net_rx_softirq_us"]
if rx:
    print("  loopback packet work (NET_RX softirq) ms, by CPU and the task it ran inside: "
          + ", ".join(f"{k.replace(', ', ':')} {v / 1000:.0f}" for k, v in sorted(rx.items(), key=lambda kv: -kv[1])[:6]))
for name, label in (("server_wake_delay_us", "DNS thread: wake-up -> running, us"),
                    ("client_wake_delay_us", "dnsperf: wake-up -> running, us")):
    if hists[name]:
        print(f"  {label}:")
        for h in hists[name]:
            print("    " + h)
