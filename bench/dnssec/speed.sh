#!/usr/bin/env bash
# Signed vs unsigned pooled answers with dnsperf: the same bench zone and 8-member weighted pool
# (bench/dnsperf/), served once unsigned and once signed (ECDSA P-256 CSK from `dnslb keygen`),
# both queried with the DO bit (dnsperf -D). Server pinned to CPU 1, dnsperf to CPU 0.
# Per run: q/s and server queries per CPU-second at full load, then p99 at a fixed rate.
# The two servers are measured alternately, ROUNDS times (default 3), so that noise from other
# work on the machine hits both alike; compare the medians.
# Usage: bench/dnssec/speed.sh [seconds] [fixed-rate]   (from the repository root, jar built)
set -euo pipefail
secs=${1:-10}
rate=${2:-20000}
repo=$(cd "$(dirname "$0")/../.." && pwd)
jar=$repo/target/dnslb.jar
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
source "$repo/bench/lib.sh"
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
printf 'weighted.bench.test A\n' >"$work/pooled.txt"

measure() {  # label zonesdir
  local port=$((20000 + RANDOM % 10000))
  taskset -c "$SERVER_CPU" java -Xmx256m -jar "$jar" serve --zones "$2" \
    --dns 127.0.0.1:$port --http off >"$work/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do dig +short -p $port @127.0.0.1 weighted.bench.test >/dev/null 2>&1 && break; sleep 0.2; done
  run_dnsperf $port "$work/pooled.txt" 5 -D >/dev/null   # warm-up: JIT, signature cache
  local before; before=$(ticks)
  read -r sent done lost qps avg p99 rc < <(run_dnsperf $port "$work/pooled.txt" "$secs" -D)
  local cpu; cpu=$(echo "($(ticks) - $before) / $hz" | bc -l)
  read -r _ _ flost _ favg fp99 _ < <(run_dnsperf $port "$work/pooled.txt" "$secs" -D -Q "$rate")
  printf '%-9s %9.0f q/s  %8.0f q/CPU-s  lost %s | at %s q/s: avg %s us, p99 %s us, lost %s\n' \
    "$1" "$qps" "$(echo "$done / $cpu" | bc -l)" "$lost" "$rate" "$favg" "$fp99" "$flost"
  kill $pid; wait $pid 2>/dev/null || true; pid=
}

mkdir -p "$work/unsigned" "$work/signed"
cp "$repo/bench/dnsperf/bench.test.zone" "$repo/bench/dnsperf/bench.test.pools.conf" "$work/unsigned/"
cp "$repo/bench/dnsperf/bench.test.zone" "$repo/bench/dnsperf/bench.test.pools.conf" "$work/signed/"
java -jar "$jar" keygen bench.test --keys "$work/signed/keys" >/dev/null
printf 'dnssec { keys = "keys/" }\n' >"$work/signed/bench.test.dnssec.conf"
echo "pooled A with DO, $secs s per run; $(nproc) cores, $(java -version 2>&1 | head -n1)"
for _ in $(seq "${ROUNDS:-3}"); do
  measure unsigned "$work/unsigned"
  measure signed "$work/signed"
done
