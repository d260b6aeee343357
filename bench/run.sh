#!/usr/bin/env bash
# shellcheck disable=SC2034  # REASON_* are read indirectly by name
# dnslb vs Knot vs gdnsd on loopback, interleaved rounds, one table. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run.sh [-h]

Benchmarks dnslb against Knot DNS and gdnsd on loopback (never port 53). Installs dnsperf,
knot, gdnsd, gcc, python3 from Debian if missing (root), builds dnslb with Maven, starts the
three servers pinned to SERVER_CPU with the same zone (bench/zones/bench.test.zone) and, for
gdnsd and dnslb, the same weighted pool of 4 TCP-checked loopback backends (127.0.0.21-24).
dnsperf runs pinned to CLIENT_CPU, servers interleaved (A B C A B C ...), for three query mixes
(bench/queries/{static,nxdomain,pool}.txt), then at fixed rates; then the big-zone load test.

Environment (defaults in brackets):
  ROUNDS [3]            interleaved rounds per mix
  DURATION [10]         seconds per dnsperf run
  SERVERS ["dnslb knot gdnsd"]  MIXES ["static nxdomain pool"]: unthrottled runs; "" to skip them
                        dnslb-netty and dnslb-native are dnslb with its UDP transport forced,
                        as rows of their own: SERVERS="dnslb-netty dnslb-native knot gdnsd"
  DNSLB_JAVA [java]     the JVM for dnslb, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
                        (the native UDP transport needs JDK 22+; the jar must be built with one present)
  DNSLB_UDP [auto]      dnslb.dns.udp-transport of the plain "dnslb" row: auto, netty or native
  DNSLB_LOOPS [1]       dnslb.dns.event-loops: UDP sockets/loops (SO_REUSEPORT), all on SERVER_CPU
  RATES ["20000 50000"] fixed-rate runs (-Q); "" to skip.   FIXED_MIXES ["pool"]
  FIXED_ROUNDS [5]      interleaved rounds per fixed rate: a p99 moves more from round to round
                        than a rate or a CPU share, so it gets more rounds and its range is reported
  BIGZONE [1]           1: also time loading a BIGZONE_RECORDS [1000000]-record zone; 0: skip
  BIGZONE_ONLY [0]      1: only the big-zone load (no pool, no dnsperf runs; ~1-2 min)
  SERVER_CPU [1] CLIENT_CPU [0]   taskset CPU lists (e.g. SERVER_CPU=1-3 for DNSLB_LOOPS=3)
  CLIENTS [4] OUTSTANDING [200] (dnsperf -c / -q; each client socket lands on one loop)
  WARMUP [5]            seconds of unrecorded queries per server before measuring
  NOISE_MAX [10]        % of SERVER_CPU used by others during a run before it is repeated (once)
  PORT_DNSLB [15353] PORT_KNOT [15354] PORT_GDNSD [15355]  CHECK_PORT [18080]
  PORT_DNSLB_NETTY [15356] PORT_DNSLB_NATIVE [15357]
  SKIP_BUILD [0]        1: use the existing target/dnslb.jar      NO_INSTALL [0]: never apt-get
  DNSLB_JAVA_OPTS       JVM flags for dnslb [-Xms256m -Xmx512m -XX:+UseParallelGC -XX:MetaspaceSize=64m]
                        (MetaspaceSize: see "JVM flags" in bench/README.md; every safepoint is logged
                        and those inside a run are counted: the "pauses" column)
  KEEP_WORK [0]         1: keep the temp dir with logs and raw results
  DNSLB_BIG_JAVA_OPTS   JVM flags for the big-zone load [-Xmx1g -Xmn64m] (dnslb's peak RSS follows
                        the young generation more than the data: see bench/README.md)
  EPISODE_US [100] EPISODE_MIN [10]   a stall episode: >= EPISODE_MIN consecutive replies (in
                        completion order) slower than EPISODE_US; counted at the fixed rates
  STALLPROBE [1]        0: skip the machine-stall probe (bench/stallprobe.c: a busy loop on
                        SERVER_CPU, then on CLIENT_CPU, STALLPROBE_SECS [10] each, before the
                        servers start; gaps it sees are time the guest did not run)
Time: about (3 mixes x servers x ROUNDS + rates x servers x FIXED_ROUNDS) x (DURATION + 1 s), ~11 min
by default on a quiet machine (~17 min with SERVERS="dnslb-netty dnslb-native knot gdnsd"), up to twice
that when busy runs are repeated; plus ~1 min for the big zone and 2 x STALLPROBE_SECS for the probe.
Per run: q/s, avg, p50/p90/p99/p99.9 latency, CPU, q/CPU-s, and at the fixed rates the stall
episodes (their number and the share of replies inside them): where a p99 difference comes from.
EOF
}
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
SERVERS=${SERVERS:-dnslb knot gdnsd}
MIXES=${MIXES-static nxdomain pool}
RATES=${RATES-20000 50000}
FIXED_ROUNDS=${FIXED_ROUNDS:-5}
FIXED_MIXES=${FIXED_MIXES:-pool}
BIGZONE=${BIGZONE:-1}
BIGZONE_ONLY=${BIGZONE_ONLY:-0}
[[ "$BIGZONE_ONLY" == 1 ]] && BIGZONE=1
BIGZONE_RECORDS=${BIGZONE_RECORDS:-1000000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
NOISE_MAX=${NOISE_MAX:-10}
declare -A PORT=([dnslb]=${PORT_DNSLB:-15353} [knot]=${PORT_KNOT:-15354} [gdnsd]=${PORT_GDNSD:-15355}
  [dnslb-netty]=${PORT_DNSLB_NETTY:-15356} [dnslb-native]=${PORT_DNSLB_NATIVE:-15357})
DNSLB_JAVA=${DNSLB_JAVA:-java}
DNSLB_LOOPS_TEXT="${DNSLB_LOOPS:-1} event loop(s)"
declare -A PID=() REASON=()

bench_init
need dnsperf:dnsperf dig:bind9-dnsutils taskset:util-linux python3:python3 gcc:gcc \
  /usr/bin/time:time java:openjdk-17-jdk-headless
[[ "$DNSLB_JAVA" == java ]] || [[ -x "$DNSLB_JAVA" ]] || die "DNSLB_JAVA=$DNSLB_JAVA is not an executable"
(( $(nproc) >= 2 )) || log "warning: fewer than 2 CPUs; server and client will share a core"

for s in $SERVERS; do
  [[ -n "${PORT[$s]:-}" ]] || die "unknown server '$s' (dnslb, dnslb-netty, dnslb-native, knot, gdnsd)"
done
if [[ " $SERVERS " == *" dnslb"* ]]; then build_dnslb || log "dnslb: $DNSLB_REASON"; fi

RESULTS="$WORK/results.tsv"
printf 'phase\tmix\tserver\tround\tsent\tcompleted\tlost\tqps\tavg_us\tp99_us\trcodes\tcpu_s\tcpu_pct\tq_per_cpu_s\tnoise_pct\tsafepoints\tpause_max_ms\tp50_us\tp90_us\tp999_us\tepisodes\tepisode_pct\n' >"$RESULTS"

# The query runs; BIGZONE_ONLY=1 skips them (the block is not indented to keep the diff small).
if [[ "$BIGZONE_ONLY" != 1 ]]; then
# Machine stalls first, with nothing of ours running: a busy loop on each CPU counts the gaps in
# its own run (bench/stallprobe.c). They hold a server's queries the same way, so they set a floor
# under every server's tail on this machine.
: >"$WORK/stallprobe.txt"
if [[ "${STALLPROBE:-1}" != 0 ]]; then
  if gcc -O2 -o "$WORK/stallprobe" "$BENCH_DIR/stallprobe.c" 2>"$WORK/stallprobe.gcc"; then
    for c in "$SERVER_CPU" "$CLIENT_CPU"; do
      c=${c%%[,-]*}   # the first CPU of a list
      log "stall probe: busy loop on CPU $c for ${STALLPROBE_SECS:-10} s"
      "$WORK/stallprobe" "${STALLPROBE_SECS:-10}" "$c" >>"$WORK/stallprobe.txt" || echo "CPU$c: probe failed" >>"$WORK/stallprobe.txt"
      log "  $(tail -n 1 "$WORK/stallprobe.txt")"
    done
  else
    log "stall probe not built: $(head -n 1 "$WORK/stallprobe.gcc")"
  fi
fi
start_backends
for s in $SERVERS; do
  log "starting $s on 127.0.0.1:${PORT[$s]} (CPU $SERVER_CPU)"
  REASON_dnslb="" REASON_dnslb_netty="" REASON_dnslb_native="" REASON_knot="" REASON_gdnsd=""
  if "start_${s//-/_}" "${PORT[$s]}"; then
    v="PID_${s//-/_}"; PID[$s]=${!v}
  else
    v="REASON_${s//-/_}"; REASON[$s]=${!v:-failed to start}
    log "$s not started: ${REASON[$s]}"
  fi
done
RUNNING=()
for s in $SERVERS; do [[ -n "${PID[$s]:-}" ]] && RUNNING+=("$s"); done
((${#RUNNING[@]} > 0)) || die "no server started"

# Let the health checks bring the pool up (rise=2 at a 2 s interval; gdnsd starts members DOWN).
log "waiting for health checks to settle"
sleep "${SETTLE:-8}"
for s in "${RUNNING[@]}"; do
  ans=$(dig +short +time=1 +tries=2 -p "${PORT[$s]}" @127.0.0.1 www.bench.test A | tr '\n' ' ')
  log "$s: www.bench.test -> ${ans:-<no answer>}"
done

# Warm-up (not recorded): lets the JVM compile the hot path and every server fill its caches.
if (( ${WARMUP:-5} > 0 )); then
  cat "$BENCH_DIR"/queries/*.txt >"$WORK/warmup.txt"
  for s in "${RUNNING[@]}"; do
    log "warm-up: $s ${WARMUP:-5}s"
    run_dnsperf "${PORT[$s]}" "$WORK/warmup.txt" "${WARMUP:-5}" >/dev/null || true
  done
fi


one_run() {  # phase mix server round [dnsperf args...]
  local phase=$1 mix=$2 s=$3 r=$4; shift 4
  local pid=${PID[$s]} try out t0 t1 b0 b1 a0 a1 n0 n1 w0 w1 sp0 sp=(- -)
  for try in 1 2; do
    kill -0 "$pid" 2>/dev/null || { log "$s died"; REASON[$s]="died during the run (see log)"; return 1; }
    [[ $s == dnslb* ]] && sp0=$(safepoint_lines "$s")
    t0=$(cpu_ticks "$pid"); b0=$(cpu_busy "$SERVER_CPU"); a0=$(cpu_total "$SERVER_CPU"); w0=$(date +%s.%N)
    out=$(run_dnsperf_tail "${PORT[$s]}" "$BENCH_DIR/queries/$mix.txt" "$DURATION" "$@")
    t1=$(cpu_ticks "$pid"); b1=$(cpu_busy "$SERVER_CPU"); a1=$(cpu_total "$SERVER_CPU"); w1=$(date +%s.%N)
    if ! kill -0 "$pid" 2>/dev/null; then
      REASON[$s]="died during a $phase $mix run: $(tail -n 2 "$WORK/$s/log" 2>/dev/null | tr '\n' ' ' | cut -c1-160)"
      log "$s: ${REASON[$s]}"; return 1
    fi
    # shellcheck disable=SC2207
    [[ $s == dnslb* ]] && sp=($(safepoints_since "$s" "$sp0"))
    n0=$(( (b1 - b0) - (t1 - t0) )); n1=$(( a1 - a0 ))
    local noise
    noise=$(awk -v n="$n0" -v t="$n1" 'BEGIN { v = t > 0 ? 100 * n / t : 0; if (v < 0) v = 0; printf "%.1f", v }')
    if [[ $try == 1 ]] && awk -v v="$noise" -v m="$NOISE_MAX" 'BEGIN { exit !(v > m) }'; then
      log "  $s $mix: ${noise}% of CPU $SERVER_CPU used by others; repeating once"
      continue
    fi
    break
  done
  # shellcheck disable=SC2086
  set -- $out   # sent completed lost qps avg_us p99_us rcodes p50_us p90_us p999_us episodes in_episodes
  # Episodes only at the fixed rates: unthrottled, dnsperf keeps OUTSTANDING queries queued, so
  # every reply waits behind others and "slow" says nothing about a stall.
  awk -v OFS='\t' -v ph="$phase" -v mix="$mix" -v s="$s" -v r="$r" -v tk="$CLK_TCK" \
      -v p50="$8" -v p90="$9" -v p999="${10}" -v eps="${11}" -v ineps="${12}" \
      -v dt="$((t1 - t0))" -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN{print b-a}')" -v noise="$noise" \
      -v sent="$1" -v done="$2" -v lost="$3" -v qps="$4" -v avg="$5" -v p99="$6" -v rc="$7" \
      -v spn="${sp[0]}" -v spmax="${sp[1]}" 'BEGIN {
        cpu = dt / tk; pct = w > 0 ? 100 * cpu / w : 0
        qpc = cpu > 0 ? done / cpu : 0
        epct = "-"
        if (ph == "max") eps = "-"; else if (done + lost > 0) epct = sprintf("%.2f", 100 * ineps / (done + lost))
        print ph, mix, s, r, sent, done, lost, sprintf("%.0f", qps), avg, p99, rc, sprintf("%.2f", cpu), sprintf("%.1f", pct), sprintf("%.0f", qpc), noise, spn, spmax, p50, p90, p999, eps, epct
      }' >>"$RESULTS"
  tail -n 1 "$RESULTS" | awk -F'\t' '{ printf "  %-6s %-9s %-6s r%s  %8s q/s  avg %4s us  p50/90/99/99.9 %s/%s/%s/%s us  lost %s  cpu %5s%%  %s q/cpu-s  noise %s%%%s%s\n", $1, $2, $3, $4, $8, $9, $18, $19, $10, $20, $7, $13, $14, $15, ($16 == "-" ? "" : "  safepoints " $16 " (longest " $17 " ms)"), ($21 == "-" ? "" : "  episodes " $21 " (" $22 "% of replies)") }' >&2
}

for mix in $MIXES; do
  for ((r = 1; r <= ROUNDS; r++)); do
    for s in "${RUNNING[@]}"; do
      [[ -n "${REASON[$s]:-}" ]] && continue
      one_run max "$mix" "$s" "$r" || true
    done
  done
done
for rate in $RATES; do
  for mix in $FIXED_MIXES; do
    for ((r = 1; r <= FIXED_ROUNDS; r++)); do
      for s in "${RUNNING[@]}"; do
        [[ -n "${REASON[$s]:-}" ]] && continue
        one_run "Q$rate" "$mix" "$s" "$r" -Q "$rate" || true
      done
    done
  done
done

for s in "${RUNNING[@]}"; do stop_pid "${PID[$s]}"; done
fi  # BIGZONE_ONLY

# ---------------------------------------------------------------------------------------------
# Big zone: time and peak RSS to load BIGZONE_RECORDS A records.
# ---------------------------------------------------------------------------------------------
BIG="$WORK/big.tsv"
printf 'server\thow\tseconds\tcpu_s\tpeak_rss_mb\tlive_mb\tstatus\n' >"$BIG"
big_row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BIG"; }  # server how s cpu rss live status
cpu_of() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
cpu_s_of_pid() { awk -v t="$(cpu_ticks "$1")" -v k="$CLK_TCK" 'BEGIN { printf "%.2f", t / k }'; }
# Live heap after a full GC (the class histogram forces one), in MiB.
live_mb_of() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ { printf "%.0f", $3 / 1048576 }'; }
elapsed_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"; }
maxrss_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

wait_log() {  # file regex pid seconds
  local i
  for ((i = 0; i < $4 * 10; i++)); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

if [[ "$BIGZONE" == 1 ]]; then
  log "big zone: generating $BIGZONE_RECORDS A records"
  bz="$WORK/big"; mkdir -p "$bz/zones"
  "$BENCH_DIR/gen-bigzone.sh" "$BIGZONE_RECORDS" big.test. >"$bz/zones/big.test.zone"
  last="h$((BIGZONE_RECORDS - 1)).big.test"

  if [[ " $SERVERS " == *" dnslb"* ]]; then
    if [[ -n "${DNSLB_REASON:-}" ]]; then
      big_row dnslb check - - - - "not run: $DNSLB_REASON"
    else
      log "big zone: dnslb check"
      # shellcheck disable=SC2086
      if /usr/bin/time -v -o "$bz/dnslb-check.time" "$DNSLB_JAVA" ${DNSLB_BIG_JAVA_OPTS:--Xmx1g -Xmn64m} -jar "$JAR" check \
          --zones "$bz/zones" >"$bz/dnslb-check.log" 2>&1; then
        big_row dnslb "check" "$(elapsed_of "$bz/dnslb-check.time")" "$(cpu_of "$bz/dnslb-check.time")" \
          "$(maxrss_of "$bz/dnslb-check.time")" - ok
      else
        big_row dnslb "check" "$(elapsed_of "$bz/dnslb-check.time")" "$(cpu_of "$bz/dnslb-check.time")" \
          "$(maxrss_of "$bz/dnslb-check.time")" - \
          "failed: $(tail -n 2 "$bz/dnslb-check.log" | tr '\n' ' ' | cut -c1-120)"
      fi
      log "big zone: dnslb serve until $last answers"
      t0=$(date +%s.%N)
      # shellcheck disable=SC2086
      bg "$bz/dnslb-serve.log" taskset -c "$SERVER_CPU" "$DNSLB_JAVA" ${DNSLB_BIG_JAVA_OPTS:--Xmx1g -Xmn64m} -jar "$JAR" serve \
        --zones "$bz/zones" --dns "127.0.0.1:${PORT[dnslb]}" --http off
      p=$LAST_PID
      if wait_dns "${PORT[dnslb]}" "$last" "$p" 300; then
        t1=$(date +%s.%N); c1=$(cpu_s_of_pid "$p"); h1=$(( $(hwm_kb "$p") / 1024 ))
        big_row dnslb "serve->answer" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" \
          "$c1" "$h1" "$(live_mb_of "$p")" ok
      else
        big_row dnslb "serve->answer" - - - - "no answer within 300 s"
      fi
      stop_pid "$p"
    fi
  fi

  if [[ " $SERVERS " == *" knot "* ]] && command -v knotd >/dev/null; then
    log "big zone: knotd load"
    kd="$bz/knot"; mkdir -p "$kd/db"
    cat >"$kd/knot.conf" <<EOF
server:
  rundir: $kd
  listen: 127.0.0.1@${PORT[knot]}
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
database:
  storage: $kd/db
log:
  - target: stdout
    any: info
template:
  - id: default
    storage: $bz/zones
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off
zone:
  - domain: big.test.
EOF
    [[ -f "$WORK/noaffinity.so" ]] || gcc -shared -fPIC -O2 -o "$WORK/noaffinity.so" "$BENCH_DIR/noaffinity.c"
    t0=$(date +%s.%N)
    bg "$kd/log" env LD_PRELOAD="$WORK/noaffinity.so" taskset -c "$SERVER_CPU" knotd -c "$kd/knot.conf"
    p=$LAST_PID
    if wait_log "$kd/log" 'big\.test\.\] loaded' "$p" 300; then
      t1=$(date +%s.%N)
      big_row knot "start->zone loaded" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" \
        "$(cpu_s_of_pid "$p")" "$(( $(hwm_kb "$p") / 1024 ))" - ok
    else
      big_row knot "start->zone loaded" - - - - "not loaded: $(tail -n 1 "$kd/log" | cut -c1-120)"
    fi
    stop_pid "$p"
  fi

  if [[ " $SERVERS " == *" gdnsd "* ]] && command -v gdnsd >/dev/null; then
    log "big zone: gdnsd checkconf"
    gd="$bz/gdnsd"; mkdir -p "$gd/zones" "$gd/run" "$gd/state"
    ln -s "$bz/zones/big.test.zone" "$gd/zones/big.test"
    printf 'options => { listen => [ 127.0.0.1:%s ], run_dir => %s/run, state_dir => %s/state }\n' \
      "${PORT[gdnsd]}" "$gd" "$gd" >"$gd/config"
    if /usr/bin/time -v -o "$gd/time" gdnsd -c "$gd" checkconf >"$gd/log" 2>&1; then
      big_row gdnsd checkconf "$(elapsed_of "$gd/time")" "$(cpu_of "$gd/time")" "$(maxrss_of "$gd/time")" - ok
    else
      big_row gdnsd checkconf "$(elapsed_of "$gd/time")" "$(cpu_of "$gd/time")" "$(maxrss_of "$gd/time")" - \
        "failed: $(tail -n 1 "$gd/log" | cut -c1-120)"
    fi
  fi
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
{
  echo "machine: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "versions: $(dnsperf -h 2>&1 | awk '/^Version/ {print "dnsperf " $2}'), $(knotd -V 2>/dev/null | head -n1 || echo 'knotd ?'), $(gdnsd -h 2>&1 | awk '/^gdnsd version/ {print "gdnsd " $3}'), $("$DNSLB_JAVA" -version 2>&1 | head -n1), dnslb $(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo '?')"
  # One line per CPU: "machine stalls: CPU1: 10 s, gaps ..." (bench/stallprobe.c, before the servers started).
  [[ -s "$WORK/stallprobe.txt" ]] && sed 's/^/machine stalls: /' "$WORK/stallprobe.txt"
  echo "setup: servers on CPU $SERVER_CPU, dnsperf on CPU $CLIENT_CPU, $ROUNDS rounds (fixed rates: $FIXED_ROUNDS) x ${DURATION}s interleaved, dnsperf -c ${CLIENTS:-4} -q ${OUTSTANDING:-200}"
  for s in $SERVERS; do
    [[ -f "$WORK/$s.transport" ]] && echo "$s: $(cat "$WORK/$s.transport"), $DNSLB_LOOPS_TEXT"
    [[ -n "${REASON[$s]:-}" ]] && echo "NOT MEASURED: $s: ${REASON[$s]}"
  done
  true
} >"$WORK/header.txt"

python3 "$BENCH_DIR/report.py" "$WORK/header.txt" "$RESULTS" "$BIG"
if [[ -n "${RESULTS_OUT:-}" ]]; then
  mkdir -p "$RESULTS_OUT"; cp "$RESULTS" "$BIG" "$WORK/header.txt" "$RESULTS_OUT/"
  [[ -s "$WORK/stallprobe.txt" ]] && cp "$WORK/stallprobe.txt" "$RESULTS_OUT/"
  log "raw results copied to $RESULTS_OUT"
fi
