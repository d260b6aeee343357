#!/usr/bin/env bash
# Signed vs unsigned pooled answers with dnsperf, measured so that the only difference is the zone:
# ONE server (one JVM, one JIT profile, one heap) serves two copies of the bench zone and its
# 8-member weighted pool (bench/dnsperf/): bench-u.test unsigned and bench-s.test signed (ECDSA
# P-256 CSK from `dnslb keygen`); the names have the same length, so questions and address records
# are byte for byte the same size. Both are queried with the DO bit (dnsperf -D). Server pinned to
# SERVER_CPU (1), dnsperf to CLIENT_CPU (0).
#
# The two zones are measured in many short runs, in pairs, in ABBA order (u s, s u, u s, ...), so
# that slow drift and bursts of other work on the machine fall on both alike; each pair gives one
# difference, and the report is the median and spread of those per-pair differences (a p99 at
# 20k q/s scatters between runs by more than the difference being measured, so medians of two
# separately measured servers are not a fair comparison).
#   1. throughput: CPU_PAIRS pairs (default 6) of CPU_SECS (5 s) at full load; per run the server's
#      queries per CPU-second (utime+stime of the JVM); per pair signed/unsigned.
#   2. tail: PAIRS pairs (default 20) of SECS (5 s) at a fixed RATE (20,000 q/s); per run the p99
#      from dnsperf -v; per pair signed - unsigned. Also per run the server threads' wake-ups
#      (voluntary context switches) per 1,000 queries.
# Ends with both and whether the issue's two targets are met: the median ratio >= 0.50, and the
# median p99 difference < 100 us.
# Usage: bench/dnssec/speed.sh                  (from the repository root, target/dnslb.jar built)
# About 6 minutes at the defaults (start and warm-up ~20 s, 12 x 5 s, 40 x 5 s, plus dnsperf starts).
# DNSLB_JAVA picks the JVM (a JDK 22+ runs the native UDP transport).
set -euo pipefail
RATE=${RATE:-20000}
SECS=${SECS:-5}
PAIRS=${PAIRS:-20}
CPU_SECS=${CPU_SECS:-5}
CPU_PAIRS=${CPU_PAIRS:-6}
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
DNSLB_JAVA=${DNSLB_JAVA:-java}
source "$(dirname "$0")/../lib.sh"
bench_init
need dnsperf:dnsperf dig:bind9-dnsutils
[[ -f "$JAR" ]] || die "no $JAR: mvn -B -q -DskipTests package"

zones=$WORK/zones
mkdir -p "$zones"
for z in bench-u.test bench-s.test; do
  sed "s/bench\.test/$z/g" "$BENCH_DIR/dnsperf/bench.test.zone" >"$zones/$z.zone"
  # pool ids are global: weighted-u, weighted-s
  sed -e "s/bench\.test/$z/g" -e "s/^  weighted {/  weighted-${z:6:1} {/" \
    "$BENCH_DIR/dnsperf/bench.test.pools.conf" >"$zones/$z.pools.conf"
  printf 'weighted.%s A\n' "$z" >"$WORK/${z:6:1}.txt"
done
java -jar "$JAR" keygen bench-s.test --keys "$zones/keys" >/dev/null
printf 'dnssec { keys = "keys/" }\n' >"$zones/bench-s.test.dnssec.conf"

port=$((20000 + RANDOM % 10000))
bg "$WORK/server.log" taskset -c "$SERVER_CPU" "$DNSLB_JAVA" -Xmx256m -jar "$JAR" serve \
  --zones "$zones" --dns "127.0.0.1:$port" --http off
pid=$LAST_PID
wait_dns "$port" weighted.bench-u.test "$pid" 90 || die "server: $(tail -n 3 "$WORK/server.log")"
dig +dnssec +short -p "$port" @127.0.0.1 weighted.bench-s.test A | grep -q '^A 13 ' \
  || die "bench-s.test answers without an RRSIG: $(tail -n 3 "$WORK/server.log")"
dig +dnssec +short -p "$port" @127.0.0.1 weighted.bench-u.test A | grep -q RRSIG \
  && die "bench-u.test answers with an RRSIG"
echo "pooled A with DO, one server, bench-u.test (unsigned) vs bench-s.test (signed)"
echo "$(nproc) cores, $("$DNSLB_JAVA" -version 2>&1 | head -n1), $(grep -o 'udp transport [a-z]*' "$WORK/server.log")"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for z in u s; do   # warm-up: JIT, the signature cache
  run_dnsperf "$port" "$WORK/$z.txt" 5 -D >/dev/null
done

# Voluntary context switches of all the server's threads: each is a thread going to sleep, to be
# woken again (a wake-up on the server's core); per query, signed and unsigned should match.
wakeups() { cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'; }
# ABBA: pair i runs u then s when i is odd, s then u when even.
order() { if (($1 % 2)); then echo u s; else echo s u; fi; }
label() { [[ $1 == u ]] && echo unsigned || echo signed; }

echo "-- full load, $CPU_PAIRS pairs of $CPU_SECS s: q/s, server queries per CPU-second"
for i in $(seq "$CPU_PAIRS"); do
  for z in $(order "$i"); do
    before=$(cpu_ticks "$pid")
    read -r _ done lost qps _ _ rc < <(run_dnsperf "$port" "$WORK/$z.txt" "$CPU_SECS" -D)
    ticks=$(($(cpu_ticks "$pid") - before))
    qcpu=$(echo "$done * $CLK_TCK / ($ticks + 0.0001)" | bc -l)
    printf 'pair %2d %-9s %9.0f q/s %9.0f q/CPU-s  lost %s  %s\n' "$i" "$(label "$z")" "$qps" "$qcpu" "$lost" "$rc"
    echo "cpu $i $z $qcpu" >>"$WORK/results"
  done
done

echo "-- at $RATE q/s, $PAIRS pairs of $SECS s: avg and p99 latency"
for i in $(seq "$PAIRS"); do
  for z in $(order "$i"); do
    w0=$(wakeups)
    read -r _ done lost _ avg p99 rc < <(run_dnsperf "$port" "$WORK/$z.txt" "$SECS" -D -Q "$RATE")
    wpk=$(((($(wakeups) - w0) * 1000) / (done + 1)))
    short=""   # dnsperf could not keep the rate (a busy client CPU): not a p99 at RATE
    if ((done * 100 < RATE * SECS * 95)); then short="  RATE NOT REACHED"; echo "short" >>"$WORK/results"; fi
    printf 'pair %2d %-9s avg %5s us  p99 %5s us  wake-ups %4s per 1k q  lost %s  %s%s\n' "$i" "$(label "$z")" "$avg" "$p99" "$wpk" "$lost" "$rc" "$short"
    echo "p99 $i $z $p99" >>"$WORK/results"
    echo "wake $i $z $wpk" >>"$WORK/results"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per pair: the ratio of q/CPU-s and the difference of p99s; median, quartiles and range of each,
# and how many pairs went which way (if signing cost nothing, about half would go each way).
awk -v rate="$RATE" '
  function sort(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  }
  function q(a, n, f,   x, i) { x = 1 + (n - 1) * f; i = int(x); return i >= n ? a[n] : a[i] + (x - i) * (a[i + 1] - a[i]) }
  $1 == "short" { short++; next }
  { v[$1, $2, $3] = $4; if ($2 > n[$1]) n[$1] = $2 }
  END {
    for (i = 1; i <= n["cpu"]; i++) { r[i] = v["cpu", i, "s"] / v["cpu", i, "u"]; cu[i] = v["cpu", i, "u"]; cs[i] = v["cpu", i, "s"] }
    m = n["cpu"]; sort(r, m); sort(cu, m); sort(cs, m)
    printf "q/CPU-s: unsigned median %.0f, signed median %.0f; per-pair ratio signed/unsigned median %.2f (quartiles %.2f-%.2f, range %.2f-%.2f) (target >= 0.50: %s)\n",
      q(cu, m, .5), q(cs, m, .5), q(r, m, .5), q(r, m, .25), q(r, m, .75), r[1], r[m], (q(r, m, .5) >= 0.5 ? "met" : "NOT met")
    worse = 0
    for (i = 1; i <= n["p99"]; i++) {
      d[i] = v["p99", i, "s"] - v["p99", i, "u"]; pu[i] = v["p99", i, "u"]; ps[i] = v["p99", i, "s"]
      if (d[i] > 0) worse++
    }
    m = n["p99"]; sort(d, m); sort(pu, m); sort(ps, m)
    printf "p99 at %d q/s: unsigned median %d us (range %d-%d), signed median %d us (range %d-%d)\n",
      rate, q(pu, m, .5), pu[1], pu[m], q(ps, m, .5), ps[1], ps[m]
    printf "p99 per-pair difference signed - unsigned: median %+d us (quartiles %+d to %+d, range %+d to %+d); signed higher in %d of %d pairs (target: median < 100 us: %s)\n",
      q(d, m, .5), q(d, m, .25), q(d, m, .75), d[1], d[m], worse, m, (short ? "not judged, see the warning" : q(d, m, .5) < 100 ? "met" : "NOT met")
    for (i = 1; i <= n["wake"]; i++) { wu[i] = v["wake", i, "u"]; ws[i] = v["wake", i, "s"] }
    m = n["wake"]; sort(wu, m); sort(ws, m)
    printf "server thread wake-ups per 1,000 queries at %d q/s: unsigned median %d, signed median %d\n", rate, q(wu, m, .5), q(ws, m, .5)
    if (short) printf "WARNING: %d of %d runs did not reach %d q/s (dnsperf short of CPU): the machine was not quiet enough, p99s are not comparable\n", short, 2 * m, rate
  }' "$WORK/results"
