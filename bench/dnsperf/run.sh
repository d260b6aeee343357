#!/usr/bin/env bash
# dnsperf against one dnslb jar: the server pinned to CPU 1, dnsperf to CPU 0, one CPU so one event loop.
# Prints q/s and the server's CPU seconds (utime+stime from /proc) per query mix, so runs on a
# shared, noisy machine can be compared as queries per CPU-second.
# Usage: bench/dnsperf/run.sh path/to/dnslb.jar [seconds]   (from the repository root)
set -euo pipefail
jar=$1
secs=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/zones"
cp "$here/bench.test.zone" "$here/bench.test.pools.conf" "$work/zones/"
taskset -c 1 java -Xmx256m -jar "$jar" serve --zones "$work/zones" \
  --dns 127.0.0.1:$port --http off >"$work/log" 2>&1 &
pid=$!
sleep 4
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
hz=$(getconf CLK_TCK)
for mix in static nxdomain pooled; do
  # Warm up (JIT, caches), then measure.
  taskset -c 0 dnsperf -s 127.0.0.1 -p $port -d "$here/$mix.txt" -l 3 -q 200 >/dev/null 2>&1
  before=$(ticks)
  qps=$(taskset -c 0 dnsperf -s 127.0.0.1 -p $port -d "$here/$mix.txt" -l "$secs" -q 200 2>&1 \
    | awk '/Queries per second/ {print $4}')
  cpu=$(echo "($(ticks) - $before) / $hz" | bc -l)
  printf '%-9s %10.0f q/s  %6.2f CPU s  %8.0f q per CPU s\n' "$mix" "$qps" "$cpu" \
    "$(echo "$qps * $secs / $cpu" | bc -l)"
done
