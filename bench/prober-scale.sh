#!/usr/bin/env bash
# shellcheck disable=SC2034  # REASON_*, LISTENER are read indirectly or kept for debugging
# Does probing 10,000 members every second hurt DNS? dnslb with vs without a big probed pool set.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/prober-scale.sh [-h]

Runs dnslb on loopback (never port 53) in two configurations, alternated over ROUNDS:
  without: bench/zones/bench.test.zone + the 4-member bench pool (www.bench.test);
  with:    the same, plus POOLS pools x (MEMBERS/POOLS) members = MEMBERS members (default
           100 x 100 = 10,000) on 127.1.0.1 upwards, TCP-checked every INTERVAL (1s).
One python3 epoll process listens on PROBE_PORT on every member address (LISTEN_PCT % of them;
the rest refuse, so those checks fail fast). BACKENDS=defer (the default) sets TCP_DEFER_ACCEPT
on its sockets: the kernel answers each probe's SYN and drops the half-open connection at the
probe's reset, so no backend process wakes, and dnsperf's core stays dnsperf's (real backends
are other machines); the probe rate is then dnslb_checks_total's. BACKENDS=accept accepts and
closes every connection in Python (about a quarter of a core at 10,000 a second, on
LISTENER_CPU, which delays dnsperf there) and counts the accepts as the probe rate. Either way
the backend side's kernel work (SYN -> SYN-ACK, the reset) runs on the core that sends, the DNS
core, as it would not with remote backends. The listener runs on LISTENER_CPU (default
CLIENT_CPU), dnslb alone on SERVER_CPU.
For each configuration and round it measures:
  - idle: dnslb CPU over IDLE s with no DNS load (with - without = the prober's CPU);
  - probes/s seen by the listeners;
  - over the idle window, from `jcmd PID Thread.print -e`, per probe (dnslb_checks_total):
    CPU-seconds per 10,000 probes and bytes allocated per probe of the probe threads
    (dnslb-probe*, dnslb-exec-probe*) and, apart, of the auxiliary loop (dnslb-aux*: the health
    table's rebuilds, the 500 ms pool refresher, HTTP, and the probes themselves before they had
    a thread of their own; it also renders the two /metrics reads the script makes); bytes are
    exact and load-independent, CPU grows somewhat on a busy machine (cold caches); with each
    thread's scheduling policy/nice from /proc (policy 0 = normal, 5 = SCHED_IDLE);
  - dnsperf on the pooled name: unthrottled q/s, p99, and at -Q RATE: p99 and dnslb CPU.
Prints medians and the with/without ratios.
DNSPERF=0 skips the dnsperf parts (a quick look at the prober's cost); CONFIGS="with" skips
the run without the big pool set.
The probe threads' CPU is also split into user (Java, the JVM, Netty's JNI) and system time (the
system calls, and the loopback packets' softirq work the kernel runs on their return), from
/proc/PID/task/TID/stat.
PROFILE=1 (root, perf): over each idle window of "with", `perf record -a -g -e cpu-clock` and
bench/probe-kernel-split.py, which splits the samples on SERVER_CPU (and CLIENT_CPU) into the
prober's side (its Java, its system calls, the SYN-ACK it handles, its ACK and RST) and the
backend's side (listener lookup, SYN -> SYN-ACK, the ACK making the child socket, the accept
queue, the RST): on loopback both land on the core that sends, on a real network the backend's
side runs on the backends. Reports in the work dir (split-with-rN.txt), summary at the end.

TRACE=1 (root, bpftrace): during each fixed-rate run, bench/core-trace.bt records how long the DNS
thread waits between being woken and running, and which task held the core meanwhile (the probe
thread, dnslb-aux, ksoftirqd, kernel workers), the loopback packet work (NET_RX softirq) by CPU
and the task it ran inside, and dnsperf's own wake-up delays on the client core.

Environment: MEMBERS [10000] POOLS [100] INTERVAL [1s] LISTEN_PCT [100] ROUNDS [3]
  DURATION [10] IDLE [10] RATE [20000] PORT [15373] HTTP_PORT [18073] PROBE_PORT [18099]
  SERVER_CPU [1] CLIENT_CPU [0] LISTENER_CPU [CLIENT_CPU] BACKENDS [defer] (defer|accept) SKIP_BUILD [0] NO_INSTALL [0] KEEP_WORK [0]
  DNSPERF [1] CONFIGS ["without with"] PROBE_PRIORITY [the default: low] (idle|low|normal) PROFILE [0]
  TRACE [0]
  DNSLB_JAVA_OPTS [-Xms256m -Xmx1g -XX:+UseParallelGC]
Time: about ROUNDS x 2 x (IDLE + 2 x DURATION + 20) s: ~5 min by default.
EOF
}
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

CHECK_PORT=${CHECK_PORT:-18098}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

MEMBERS=${MEMBERS:-10000}
POOLS=${POOLS:-100}
INTERVAL=${INTERVAL:-1s}
LISTEN_PCT=${LISTEN_PCT:-100}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
IDLE=${IDLE:-10}
RATE=${RATE:-20000}
PORT=${PORT:-15373}
PROBE_PORT=${PROBE_PORT:-18099}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
LISTENER_CPU=${LISTENER_CPU:-$CLIENT_CPU}
BACKENDS=${BACKENDS:-defer}
[[ $BACKENDS == defer || $BACKENDS == accept ]] || die "BACKENDS must be defer or accept"
DNSPERF=${DNSPERF:-1}
CONFIGS=${CONFIGS:-without with}
PROFILE=${PROFILE:-0}
TRACE=${TRACE:-0}
export DNSLB_HTTP_PORT=${HTTP_PORT:-18073}
DNSLB_JAVA_OPTS=${DNSLB_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC}
[[ -n "${PROBE_PRIORITY:-}" ]] && DNSLB_JAVA_OPTS="$DNSLB_JAVA_OPTS -Ddnslb.health.probe-priority=$PROBE_PRIORITY"
((MEMBERS % POOLS == 0)) || die "MEMBERS must be a multiple of POOLS"
((MEMBERS <= 65000)) || die "MEMBERS must be <= 65000 (127.1.0.1 upwards, one listener each)"

bench_init
need jcmd:openjdk-17-jdk-headless dnsperf:dnsperf dig:bind9-dnsutils taskset:util-linux python3:python3 curl:curl java:openjdk-17-jdk-headless
build_dnslb || die "dnslb: $DNSLB_REASON"
[[ $PROFILE == 1 ]] && need perf:linux-perf
[[ $TRACE == 1 ]] && need bpftrace:bpftrace

# One listening socket per member address (+ dnslb's own sockets): raise the fd limit.
ulimit -n "$(( MEMBERS + 4096 > 65536 ? MEMBERS + 4096 : 65536 ))" 2>/dev/null \
  || ulimit -n "$(ulimit -Hn)" || true
(( $(ulimit -n) > MEMBERS + 100 )) || die "open-file limit $(ulimit -n) too low for $MEMBERS listeners"

start_backends   # the 4 bench pool members on 127.0.0.21-24
listen_n=$(( MEMBERS * LISTEN_PCT / 100 ))
defer_flag=(); [[ $BACKENDS == defer ]] && defer_flag=(--defer-accept)
if (( listen_n > 0 )); then
  bg "$WORK/listeners.log" taskset -c "$LISTENER_CPU" python3 "$BENCH_DIR/backends.py" --port "$PROBE_PORT" \
    --count-file "$WORK/accepts" "${defer_flag[@]}" --range 127.1.0.1 "$listen_n"
  LISTENER=$LAST_PID
  for _ in $(seq 1 100); do [[ -f "$WORK/accepts" ]] && break; sleep 0.2; done
  [[ -f "$WORK/accepts" ]] || die "listeners did not start: $(cat "$WORK/listeners.log")"
fi
# Probes so far: the listener's accepts, or (defer: nothing reaches it) dnslb's own count.
accepts() {
  if [[ $BACKENDS == defer ]]; then checks_total; else cat "$WORK/accepts" 2>/dev/null || echo 0; fi
}

# Two zone directories: without and with the big pool set.
mkdir -p "$WORK/without" "$WORK/with"
for d in without with; do
  cp "$BENCH_DIR/zones/bench.test.zone" "$WORK/$d/"
  write_dnslb_pools "$WORK/$d/bench.pools.conf"
done
python3 - "$MEMBERS" "$POOLS" "$PROBE_PORT" "$INTERVAL" >"$WORK/with/scale.pools.conf" <<'EOF'
import ipaddress, sys
members, pools, port, interval = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
per = members // pools
base = ipaddress.IPv4Address("127.1.0.1")
print("pools {")
for p in range(pools):
    print(f"  scale{p} {{")
    print(f"    names = [\"s{p}.bench.test.\"]")
    print("    policy = round-robin")
    print("    answers = 1")
    print("    ttl = 20s")
    print(f"    check {{ type = tcp, port = {port}, interval = {interval}, timeout = 500ms, rise = 2, fall = 3 }}")
    print("    members = [")
    for m in range(per):
        print(f"      {{ address = \"{base + p * per + m}\" }}")
    print("    ]")
    print("  }")
print("}")
EOF
java -jar "$JAR" check --zones "$WORK/with" >"$WORK/check.log" 2>&1 \
  || die "dnslb check rejects the generated pools: $(tail -n 3 "$WORK/check.log")"

RES="$WORK/results.tsv"
printf 'config\tround\tidle_cpu_pct\tprobes_per_s\tprober_cpu_s_per_10k\tprober_bytes_per_probe\taux_cpu_s_per_10k\taux_bytes_per_probe\tqps\tp99_us\tlost\tQ_p99_us\tQ_cpu_pct\tprober_user_s_per_10k\tprober_sys_s_per_10k\n' >"$RES"

# utime and stime ticks of the probe threads (dnslb-probe*, dnslb-exec-probe*), summed
probe_ticks() {  # pid -> "utime stime"
  local t u=0 s=0 f
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in dnslb-probe*|dnslb-exec-prob*) ;; *) continue ;; esac
    f=$(sed 's/.*) //' "$t/stat" 2>/dev/null) || continue
    # shellcheck disable=SC2086
    set -- $f
    u=$((u + ${12})); s=$((s + ${13}))
  done
  echo "$u $s"
}

# CPU milliseconds and bytes allocated so far by the prober's threads, summed, and how the kernel
# schedules each (name:policy/nice from /proc, policy 0 = normal, 5 = SCHED_IDLE; jcmd's os_prio
# is not the kernel's view).
threads() {  # pid name-regex -> "cpu_ms bytes name:policy/nice,..."
  local out tids sched="" t name f
  out=$(jcmd "$1" Thread.print -e 2>/dev/null | awk -v re="^\"($2)" '
    $0 ~ re {
      cpu = 0; b = 0; nice = "?"
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^cpu=/) { v = substr($i, 5); sub(/ms$/, "", v); cpu = v + 0 }
        if ($i ~ /^allocated=/) {
          v = substr($i, 11); u = substr(v, length(v)); m = 1
          if (u == "K") m = 1024; else if (u == "M") m = 1048576; else if (u == "G") m = 1073741824
          if (u !~ /[0-9]/) v = substr(v, 1, length(v) - 1)
          b = v * m
        }
        if ($i ~ /^nid=/) nice = substr($i, 5)
      }
      c += cpu; a += b; n = n (n == "" ? "" : ",") nice
    }
    END { printf "%.0f %.0f %s\n", c, a, (n == "" ? "-" : n) }')
  tids=${out##* }
  for t in ${tids//,/ }; do
    [[ $t == 0x* ]] || continue
    t=$((t))
    name=$(cat "/proc/$1/task/$t/comm" 2>/dev/null) || continue
    f=$(sed 's/.*) //' "/proc/$1/task/$t/stat" 2>/dev/null | awk '{print $39 "/" $17}')
    sched="$sched${sched:+,}$name:$f"
  done
  echo "${out% *} ${sched:--}"
}
checks_total() {  # dnslb_checks_total summed over every label, from /metrics
  curl -fsS "http://127.0.0.1:$DNSLB_HTTP_PORT/metrics" 2>/dev/null \
    | awk '/^dnslb_checks_total/ { s += $NF } END { printf "%.0f\n", s }'
}

measure() {  # config round
  local cfg=$1 r=$2 t0 t1 w0 w1 a0 a1 idle probes max fixed q0 q1
  start_dnslb "$PORT" "$WORK/$cfg" || die "dnslb ($cfg) did not start: $REASON_dnslb"
  # Warm up the JVM and let the prober reach steady state (rise=2 intervals at least).
  run_dnsperf "$PORT" "$BENCH_DIR/queries/pool.txt" 5 >/dev/null || true
  sleep 3
  local p0 p1 x0 x1 k0 k1 pcpu pbytes xcpu xbytes nice
  # Snapshots in mirror order around the window (a jcmd takes seconds on a busy machine): aux,
  # probe threads, probe count, /proc ticks | window | ticks, count, probe threads, aux.
  read -r -a x0 <<<"$(threads "$PID_dnslb" 'dnslb-aux')"
  read -r -a p0 <<<"$(threads "$PID_dnslb" 'dnslb-probe|dnslb-exec-probe')"; k0=$(checks_total)
  local u0 u1 perfpid=""
  read -r -a u0 <<<"$(probe_ticks "$PID_dnslb")"
  if [[ $PROFILE == 1 && $cfg == with ]]; then
    perf record -a -g -e cpu-clock -F 999 -o "$WORK/perf-$cfg-r$r.data" -- sleep "$IDLE" >/dev/null 2>&1 &
    perfpid=$!
  fi
  t0=$(cpu_ticks "$PID_dnslb"); a0=$(accepts); w0=$(date +%s.%N)
  sleep "$IDLE"
  t1=$(cpu_ticks "$PID_dnslb"); a1=$(accepts); w1=$(date +%s.%N)
  read -r -a u1 <<<"$(probe_ticks "$PID_dnslb")"; k1=$(checks_total)
  read -r -a p1 <<<"$(threads "$PID_dnslb" 'dnslb-probe|dnslb-exec-probe')"
  read -r -a x1 <<<"$(threads "$PID_dnslb" 'dnslb-aux')"
  nice="${p1[2]:-?} ${x1[2]:-?}"
  pcpu=n/a; pbytes=n/a; xcpu=n/a; xbytes=n/a; local pusr=n/a psys=n/a
  if [[ -n $perfpid ]]; then
    wait "$perfpid" || true
    perf script -F comm,pid,tid,cpu,ip,sym -i "$WORK/perf-$cfg-r$r.data" 2>/dev/null >"$WORK/perf-$cfg-r$r.txt" || true
    {
      echo "$cfg r$r (CPU $SERVER_CPU = dnslb and the prober, CPU $CLIENT_CPU = the listener):"
      for c in $SERVER_CPU $CLIENT_CPU; do
        python3 "$BENCH_DIR/probe-kernel-split.py" --pid "$PID_dnslb" --probes "$((k1 - k0))" --cpu "$c" \
          <"$WORK/perf-$cfg-r$r.txt"
      done
    } >"$WORK/split-$cfg-r$r.txt" 2>&1 || true
    rm -f "$WORK/perf-$cfg-r$r.data" "$WORK/perf-$cfg-r$r.txt"
  fi
  if [[ $cfg == with ]] && (( ${k1:-0} - ${k0:-0} > 0 )); then  # without: 4 probed members, noise
    pusr=$(awk -v d="$((u1[0] - u0[0]))" -v n="$((k1 - k0))" -v k="$CLK_TCK" 'BEGIN{printf "%.3f", d / k * 1e4 / n}')
    psys=$(awk -v d="$((u1[1] - u0[1]))" -v n="$((k1 - k0))" -v k="$CLK_TCK" 'BEGIN{printf "%.3f", d / k * 1e4 / n}')
    per() { awk -v d="$1" -v n="$((k1 - k0))" -v f="$2" 'BEGIN{printf f, d / n}'; }
    if (( p1[0] > 0 )); then
      pcpu=$(per "$((p1[0] - p0[0]))" "%.6f"); pcpu=$(awk -v v="$pcpu" 'BEGIN{printf "%.3f", v * 10}')
      pbytes=$(per "$((p1[1] - p0[1]))" "%.0f")
    fi
    xcpu=$(per "$((x1[0] - x0[0]))" "%.6f"); xcpu=$(awk -v v="$xcpu" 'BEGIN{printf "%.3f", v * 10}')
    xbytes=$(per "$((x1[1] - x0[1]))" "%.0f")
  fi
  idle=$(awk -v t="$((t1 - t0))" -v k="$CLK_TCK" -v a="$w0" -v b="$w1" 'BEGIN{printf "%.1f", 100 * t / k / (b - a)}')
  probes=$(awk -v n="$((a1 - a0))" -v a="$w0" -v b="$w1" 'BEGIN{printf "%.0f", n / (b - a)}')
  local qcpu=n/a
  max="- - n/a n/a - n/a"; fixed="- - - - - n/a"
  if [[ $DNSPERF == 1 ]]; then
    max=$(run_dnsperf "$PORT" "$BENCH_DIR/queries/pool.txt" "$DURATION")
    q0=$(cpu_ticks "$PID_dnslb"); w0=$(date +%s.%N)
    local tracepid=""
    if [[ $TRACE == 1 ]]; then  # inside the fixed-rate run: 1 s in, until 1 s before its end
      (sleep 1; exec bpftrace "$BENCH_DIR/core-trace.bt" "$((DURATION - 2))") >"$WORK/trace-$cfg-r$r.txt" 2>&1 &
      tracepid=$!
    fi
    fixed=$(run_dnsperf "$PORT" "$BENCH_DIR/queries/pool.txt" "$DURATION" -Q "$RATE")
    [[ -n $tracepid ]] && { wait "$tracepid" || true; }
    q1=$(cpu_ticks "$PID_dnslb"); w1=$(date +%s.%N)
    qcpu=$(awk -v t="$((q1 - q0))" -v k="$CLK_TCK" -v a="$w0" -v b="$w1" 'BEGIN{printf "%.1f", 100 * t / k / (b - a)}')
  fi
  # shellcheck disable=SC2086
  set -- $max
  local qps=$4 p99=$6 lost=$3
  # shellcheck disable=SC2086
  set -- $fixed
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cfg" "$r" "$idle" "$probes" "$pcpu" "$pbytes" "$xcpu" "$xbytes" "$qps" "$p99" "$lost" "$6" "$qcpu" "$pusr" "$psys" >>"$RES"
  log "  $cfg r$r: idle CPU ${idle}%, ${probes} probes/s, probe threads ${pcpu} CPU-s/10k probes (user $pusr, sys $psys) ${pbytes} B/probe, aux ${xcpu} CPU-s/10k ${xbytes} B/probe (policy/nice $nice), max ${qps} q/s p99 ${p99} us, at $RATE q/s p99 $6 us CPU ${qcpu}%"
  if [[ $cfg == with && $r == 1 ]]; then
    if curl -fsS "http://127.0.0.1:$DNSLB_HTTP_PORT/metrics" -o "$WORK/metrics.prom" 2>/dev/null; then
      {
        awk '/^dnslb_member_up/ { n[$2]++ } END { printf "dnslb_member_up: %d up, %d down\n", n["1"], n["0"] }' "$WORK/metrics.prom"
        grep -E '^dnslb_(checks_total|health_changes_total|jvm_threads|jvm_heap_bytes)' "$WORK/metrics.prom" \
          | awk '{ k = $1; sub(/\{.*/, "", k); s[k] += $2 } END { for (k in s) printf "%s (sum): %.0f\n", k, s[k] }' | sort
      } >"$WORK/metrics.txt"
    fi
  fi
  stop_pid "$PID_dnslb"
}

log "prober scale: $MEMBERS members in $POOLS pools, interval $INTERVAL, $listen_n listening"
for ((r = 1; r <= ROUNDS; r++)); do
  for cfg in $CONFIGS; do measure "$cfg" "$r"; done
done

echo
echo "prober-scale: dnslb $(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "  $MEMBERS members ($POOLS pools), TCP check every $INTERVAL, $listen_n of them listening; medians of $ROUNDS rounds"
python3 - "$RES" "$RATE" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rate = sys.argv[2]
def med(cfg, k):
    v = [float(r[k]) for r in rows if r["config"] == cfg and r[k] not in ("", "n/a", "-")]
    return statistics.median(v) if v else None
cols = [("idle_cpu_pct", "dnslb CPU % idle"), ("probes_per_s", "probes/s seen"),
        ("prober_cpu_s_per_10k", "probe thr CPU-s/10k probes"),
        ("prober_user_s_per_10k", "  of which user"), ("prober_sys_s_per_10k", "  of which system"),
        ("prober_bytes_per_probe", "probe thr B/probe"),
        ("aux_cpu_s_per_10k", "aux CPU-s/10k probes"), ("aux_bytes_per_probe", "aux B/probe"),
        ("qps", "max q/s"),
        ("p99_us", "p99 us at max"), ("lost", "lost at max"), ("Q_p99_us", f"p99 us at {rate} q/s"),
        ("Q_cpu_pct", f"dnslb CPU % at {rate} q/s")]
print(f"  {'':26}{'without':>12}{'with':>12}{'with/without':>14}")
for k, label in cols:
    a, b = med("without", k), med("with", k)
    ratio = f"{b / a:.2f}" if a and b is not None else "n/a"
    fmt = "{:,.3f}" if k.endswith("_s_per_10k") else "{:,.1f}"
    fa = "n/a" if a is None else fmt.format(a)
    fb = "n/a" if b is None else fmt.format(b)
    print(f"  {label:26}{fa:>12}{fb:>12}{ratio:>14}")
a, b = med("without", "idle_cpu_pct"), med("with", "idle_cpu_pct")
if a is not None and b is not None:
    print(f"  prober CPU (idle with - without): {b - a:.1f}% of one core")
EOF
if [[ -s "$WORK/metrics.txt" ]]; then echo "  /metrics (with, round 1):"; sed 's/^/    /' "$WORK/metrics.txt"; fi
for f in "$WORK"/split-*.txt; do [[ -s $f ]] && sed 's/^/  /' "$f"; done
for f in "$WORK"/trace-*.txt; do
  [[ -s $f ]] || continue
  echo "  core trace at $RATE q/s, $(basename "$f" .txt | sed 's/^trace-//') (bench/core-trace.bt; held = the task on the core while a woken DNS thread waited):"
  python3 "$BENCH_DIR/core-trace-summary.py" <"$f" | sed 's/^/  /'
done
[[ -n "${RESULTS_OUT:-}" ]] && { mkdir -p "$RESULTS_OUT"; cp "$RES" "$RESULTS_OUT/prober-scale.tsv"; }
true
