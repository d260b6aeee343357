#!/usr/bin/env bash
# shellcheck disable=SC2034  # REASON_*/PID_* are read indirectly by name
# What a query costs at a fixed, low rate: CPU per query and context switches (wake-ups) per
# query of each server, dnsperf -Q. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF2'
Usage: bench/lowrate.sh [-h]

Starts each server of SERVERS in turn pinned to SERVER_CPU (as bench/run.sh does, same zone and
pool), warms it up, then runs dnsperf -Q RATE for DURATION seconds on the pooled name and prints
per server: q/s, p99, CPU % of one core, CPU microseconds per query, and voluntary and
involuntary context switches per query summed over the server's threads (from
/proc/PID/task/*/status): a voluntary switch is a thread going to sleep, so at a low rate it
counts the wake-ups per datagram. Neither count depends much on other load on the machine,
unlike latency. THREADS=1 adds, per round, each thread that ran: its CPU milliseconds (from
/proc/PID/task/TID/schedstat, nanosecond resolution) and its wake-ups, so the cost beside the
UDP loop (JIT compilers, GC, the refresher and probe loops, the common pool) shows by name.

Environment (defaults in brackets):
  SERVERS ["dnslb-netty dnslb-native knot gdnsd"]  (as bench/run.sh: dnslb, dnslb-netty, dnslb-native, knot, gdnsd)
  RATE [20000]  DURATION [10]  ROUNDS [2]  WARMUP [5]  MIX [pool] (bench/queries/MIX.txt)  THREADS [0]
  DNSLB_JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java if present, else java]  DNSLB_NETTY_JAVA
  DNSLB_LOOPS [1]  SERVER_CPU [1] CLIENT_CPU [0]  SKIP_BUILD [0]  NO_INSTALL [0]  KEEP_WORK [0]
Time: about SERVERS x ROUNDS x (DURATION + 1 s) plus start-up, ~2 min by default.
EOF2
}
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SERVERS=${SERVERS:-dnslb-netty dnslb-native knot gdnsd}
RATE=${RATE:-20000}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
if [[ -z "${DNSLB_JAVA:-}" ]]; then
  DNSLB_JAVA=java
  [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && DNSLB_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
fi
DNSLB_LOOPS_TEXT="${DNSLB_LOOPS:-1} event loop(s)"
declare -A PORT=([dnslb]=15353 [knot]=15354 [gdnsd]=15355 [dnslb-netty]=15356 [dnslb-native]=15357)

bench_init
need dnsperf:dnsperf dig:bind9-dnsutils taskset:util-linux python3:python3 gcc:gcc
for s in $SERVERS; do [[ -n "${PORT[$s]:-}" ]] || die "unknown server '$s'"; done
if [[ " $SERVERS " == *" dnslb"* ]]; then build_dnslb || log "dnslb: $DNSLB_REASON"; fi
start_backends

switches() {  # pid: "voluntary involuntary", all threads
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '
    /^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 }
    END { print v + 0, n + 0 }'
}

# Per thread: "tid name cpu_ns voluntary involuntary" (name with spaces as _).
threads() {
  local t ns rest
  for t in /proc/"$1"/task/*; do
    read -r ns rest <"$t/schedstat" 2>/dev/null || continue
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm")" "$ns" \
      "$(awk '/^voluntary_ctxt/ { v = $2 } /^nonvoluntary_ctxt/ { n = $2 } END { print v + 0, n + 0 }' "$t/status")"
  done | sort
}
# Threads that ran between two threads() snapshots, busiest first.
thread_delta() {  # before after queries
  join "$1" "$2" | awk -v q="$3" '{ ms = ($7 - $3) / 1e6; v = $8 - $4; n = $9 - $5
      if (ms > 0 || v > 0) printf "    %-22s %9.1f ms %8d wake-ups (%.4f/q) %6d preempted\n", $2, ms, v, v / (q > 0 ? q : 1), n }' \
    | sort -k2,2 -rn
}

MIX=${MIX:-pool}
printf '%-13s %5s %8s %7s %6s %9s %9s %9s  %s\n' server round q/s p99_us cpu% cpu_us/q vol/q invol/q transport
for s in $SERVERS; do
  var=${s//-/_}
  printf -v "REASON_$var" '%s' ""
  if ! "start_$var" "${PORT[$s]}"; then
    v="REASON_$var"; log "$s not started: ${!v:-}"; continue
  fi
  v="PID_$var"; pid=${!v}
  sleep "${SETTLE:-8}"   # health checks bring the pool up
  run_dnsperf "${PORT[$s]}" "$BENCH_DIR/queries/$MIX.txt" "${WARMUP:-5}" >/dev/null || true
  for ((r = 1; r <= ROUNDS; r++)); do
    [[ "${THREADS:-0}" == 1 ]] && threads "$pid" >"$WORK/threads.0"
    t0=$(cpu_ticks "$pid"); read -r v0 n0 < <(switches "$pid"); w0=$(date +%s.%N)
    # shellcheck disable=SC2046
    set -- $(run_dnsperf "${PORT[$s]}" "$BENCH_DIR/queries/$MIX.txt" "$DURATION" -Q "$RATE")
    t1=$(cpu_ticks "$pid"); read -r v1 n1 < <(switches "$pid"); w1=$(date +%s.%N)
    [[ "${THREADS:-0}" == 1 ]] && threads "$pid" >"$WORK/threads.1"
    awk -v s="$s" -v r="$r" -v done="$2" -v qps="$4" -v p99="$6" -v dt="$((t1 - t0))" -v tk="$CLK_TCK" \
        -v w0="$w0" -v w1="$w1" -v dv="$((v1 - v0))" -v dn="$((n1 - n0))" \
        -v tr="$(cat "$WORK/$s.transport" 2>/dev/null || echo -)" 'BEGIN {
      cpu = dt / tk; q = done > 0 ? done : 1
      printf "%-13s %5s %8.0f %7s %6.1f %9.1f %9.2f %9.2f  %s\n", s, r, qps, p99, 100 * cpu / (w1 - w0),
        1e6 * cpu / q, dv / q, dn / q, tr }'
    [[ "${THREADS:-0}" == 1 ]] && thread_delta "$WORK/threads.0" "$WORK/threads.1" "$2"
  done
  stop_pid "$pid"
done
