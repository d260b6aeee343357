# shellcheck shell=bash
# shellcheck disable=SC2034,SC2016  # REASON_*/PID_* are read indirectly; awk programs are single-quoted
# Shared helpers for bench/run.sh, bench/prober-scale.sh and bench/soak.sh.
# Sourced, not run. Everything binds loopback only; nothing touches port 53.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-$REPO_DIR/target/dnslb.jar}
CLK_TCK=$(getconf CLK_TCK)

# PIDs of everything we start; killed by cleanup (installed as an EXIT trap by each script).
BG_PIDS=()
WORK=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

bench_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dnslb-bench.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

cleanup() {
  local rc=$? pid
  for pid in "${BG_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BG_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Processes started by helper loops (after those loops are gone, so none is started late).
  if [[ -n "$WORK" && -f "$WORK/extra.pids" ]]; then
    while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$WORK/extra.pids"
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${KEEP_WORK:-0}" == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}

# Start a command in the background, remember its PID. Usage: bg LOGFILE cmd...
bg() {
  local logf=$1; shift
  "$@" >"$logf" 2>&1 &
  BG_PIDS+=("$!")
  LAST_PID=$!
}

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Install Debian packages that are missing (by command name -> package name).
need() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ "${NO_INSTALL:-0}" == 1 ]]; then die "missing: ${missing[*]} (NO_INSTALL=1)"; fi
  [[ $(id -u) == 0 ]] || die "missing packages ${missing[*]}: run as root or install them"
  log "installing: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>"$WORK/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1 \
      || die "apt-get install failed, see $WORK/apt.log"
  fi
}

# Build dnslb unless SKIP_BUILD=1 or the jar is newer than the sources. Sets DNSLB_REASON on failure.
build_dnslb() {
  DNSLB_REASON=""
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    if ! command -v mvn >/dev/null 2>&1; then
      need mvn:maven
    fi
    log "building dnslb (mvn -B -q -DskipTests package)"
    if ! (cd "$REPO_DIR" && mvn -B -q -DskipTests package) >"$WORK/mvn.log" 2>&1; then
      DNSLB_REASON="build failed: $(tail -n 3 "$WORK/mvn.log" | tr '\n' ' ' | cut -c1-200)"
      return 1
    fi
  fi
  [[ -f "$JAR" ]] || { DNSLB_REASON="no $JAR"; return 1; }
}

# utime+stime (in ticks) of a process, all threads included (the tgid's stat sums its threads).
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }          # drop "pid (comm) " (comm may contain spaces)
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))  # fields 14,15 of the full line
}

# Busy ticks of the CPUs of a taskset list ("1", "1,2", "1-3") from /proc/stat
# (user+nice+system+irq+softirq+steal), summed; cpu_total: all ticks.
cpu_busy() {
  awk -v l="$1" 'BEGIN { cpus(l) } $1 in want { t += $2+$3+$4+$7+$8+$9 } END { print t + 0 }
    function cpus(l, p, n, i, a, j) { n = split(l, p, ","); for (i = 1; i <= n; i++) {
      if (split(p[i], a, "-") == 2) { for (j = a[1]; j <= a[2]; j++) want["cpu" j] } else want["cpu" p[i]] } }' /proc/stat
}
cpu_total() {
  awk -v l="$1" 'BEGIN { cpus(l) } $1 in want { for (i = 2; i <= NF; i++) t += $i } END { print t + 0 }
    function cpus(l, p, n, i, a, j) { n = split(l, p, ","); for (i = 1; i <= n; i++) {
      if (split(p[i], a, "-") == 2) { for (j = a[1]; j <= a[2]; j++) want["cpu" j] } else want["cpu" p[i]] } }' /proc/stat
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Wait until NAME resolves (any rcode but a timeout) on 127.0.0.1:PORT, or PID dies, or T seconds.
wait_dns() {
  local port=$1 name=$2 pid=$3 t=${4:-60} i
  for ((i = 0; i < t * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if dig +time=1 +tries=1 +short -p "$port" @127.0.0.1 "$name" A 2>/dev/null | grep -q '^[0-9]'; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Server configs. Each writes into $WORK/<name>/ and sets PID_<name>, or REASON_<name>.
# ---------------------------------------------------------------------------------------------

POOL_ADDRS=(127.0.0.21 127.0.0.22 127.0.0.23 127.0.0.24)
POOL_WEIGHTS=(4 2 1 1)
CHECK_PORT=${CHECK_PORT:-18080}

start_backends() {
  need python3:python3
  bg "$WORK/backends.log" python3 "$BENCH_DIR/backends.py" --port "$CHECK_PORT" "${POOL_ADDRS[@]}"
  PID_backends=$LAST_PID
  sleep 0.5
  kill -0 "$PID_backends" 2>/dev/null || die "backends failed: $(cat "$WORK/backends.log")"
}

# dnslb pools file for the bench pool (weighted 4/2/1/1, one answer, TCP checks).
write_dnslb_pools() {
  local out=$1 i
  {
    echo "pools {"
    echo "  web {"
    echo "    names   = [\"www.bench.test.\"]"
    echo "    policy  = weighted"
    echo "    answers = 1"
    echo "    ttl     = 20s"
    echo "    check { type = tcp, port = $CHECK_PORT, interval = ${CHECK_INTERVAL:-2s}, timeout = 500ms, rise = 2, fall = 3 }"
    echo "    members = ["
    for i in "${!POOL_ADDRS[@]}"; do
      echo "      { address = \"${POOL_ADDRS[$i]}\", weight = ${POOL_WEIGHTS[$i]} }"
    done
    echo "    ]"
    echo "  }"
    echo "}"
  } >"$out"
}

# dnslb on the port. DNSLB_JAVA picks the JVM (DNSLB_NETTY_JAVA for dnslb-netty), DNSLB_UDP the UDP transport (auto, netty,
# native), DNSLB_LOOPS the number of event loops (UDP sockets); a variant name (dnslb-netty,
# dnslb-native) forces its transport and gets a directory and HTTP port of its own.
start_dnslb() {  # port [zones_dir] [transport] [name]
  local port=$1 zones=${2:-} transport=${3:-${DNSLB_UDP:-auto}} name=${4:-dnslb}
  local var=${name//-/_} httpport=${DNSLB_HTTP_PORT:-18053} pid
  case $name in dnslb-netty) httpport=$((httpport + 3)) ;; dnslb-native) httpport=$((httpport + 4)) ;; esac
  local d="$WORK/$name"
  mkdir -p "$d"
  if [[ -z "$zones" ]]; then
    zones="$d/zones"; mkdir -p "$zones"
    cp "$BENCH_DIR/zones/bench.test.zone" "$zones/"
    write_dnslb_pools "$zones/bench.pools.conf"
  fi
  if [[ -n "${DNSLB_REASON:-}" ]]; then printf -v "REASON_$var" '%s' "$DNSLB_REASON"; return 1; fi
  # shellcheck disable=SC2086
  local java=${DNSLB_JAVA:-java}
  [[ $name == dnslb-netty ]] && java=${DNSLB_NETTY_JAVA:-$java}
  # Every safepoint (GC pauses included) into safepoint.log, one line each: bench/run.sh counts
  # those that fall into a measured run (a pause holds every query that arrives meanwhile).
  bg "$d/log" taskset -c "$SERVER_CPU" "$java" ${DNSLB_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -XX:MetaspaceSize=64m} \
    "-Xlog:safepoint=info:file=$d/safepoint.log:uptime" -Ddnslb.dns.event-loops="${DNSLB_LOOPS:-1}" -Ddnslb.dns.udp-transport="$transport" -jar "$JAR" serve \
    --zones "$zones" --dns "127.0.0.1:$port" --http "127.0.0.1:$httpport"
  pid=$LAST_PID
  printf -v "PID_$var" '%s' "$pid"
  if ! wait_dns "$port" static.bench.test "$pid" 90; then
    printf -v "REASON_$var" '%s' "did not answer on 127.0.0.1:$port: $(tail -n 3 "$d/log" | tr '\n' ' ' | cut -c1-200)"
    stop_pid "$pid"; printf -v "PID_$var" '%s' ""
    return 1
  fi
  # Which transport answered, from dnslb's start line ("udp transport native" or "epoll"), which
  # comes just after the sockets answer.
  local i
  for ((i = 0; i < 100; i++)); do grep -q 'udp transport' "$d/log" && break; sleep 0.1; done
  grep -o 'Java [^)]*) serving\|udp transport [a-z]*' "$d/log" | sed 's/) serving//' | paste -sd' ' \
    >"$WORK/$name.transport" || true
  log "$name: $(cat "$WORK/$name.transport"), ${DNSLB_LOOPS_TEXT:-${DNSLB_LOOPS:-1} event loop(s)}"
}
start_dnslb_netty() { start_dnslb "$1" "" netty dnslb-netty; }
start_dnslb_native() { start_dnslb "$1" "" native dnslb-native; }

start_knot() {  # port
  local port=$1 d="$WORK/knot"
  mkdir -p "$d/zones" "$d/db"
  need knotd:knot knotc:knot gcc:gcc
  if [[ ! -f "$WORK/noaffinity.so" ]]; then
    gcc -shared -fPIC -O2 -o "$WORK/noaffinity.so" "$BENCH_DIR/noaffinity.c" \
      || { REASON_knot="cannot build noaffinity.so"; return 1; }
  fi
  cp "$BENCH_DIR/zones/bench.test.zone" "$d/zones/bench.test.zone"
  # Knot has no health-checked pools: the pooled name is four static A records (it returns all 4).
  for a in "${POOL_ADDRS[@]}"; do echo "www 20 IN A $a"; done >>"$d/zones/bench.test.zone"
  cat >"$d/knot.conf" <<EOF
server:
  rundir: $d
  listen: 127.0.0.1@$port
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
database:
  storage: $d/db
log:
  - target: stdout
    any: info
template:
  - id: default
    storage: $d/zones
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test.
EOF
  bg "$d/log" env LD_PRELOAD="$WORK/noaffinity.so" taskset -c "$SERVER_CPU" knotd -c "$d/knot.conf"
  PID_knot=$LAST_PID
  if ! wait_dns "$port" static.bench.test "$PID_knot" 30; then
    REASON_knot="did not answer: $(tail -n 3 "$d/log" | tr '\n' ' ' | cut -c1-200)"
    stop_pid "$PID_knot"; PID_knot=""
    return 1
  fi
}

write_gdnsd_config() {  # dir port
  local d=$1 port=$2 i
  mkdir -p "$d/zones" "$d/run" "$d/state"
  cp "$BENCH_DIR/zones/bench.test.zone" "$d/zones/bench.test"
  echo 'www 20 DYNA weighted!web' >>"$d/zones/bench.test"
  {
    cat <<EOF
options => {
  listen => [ 127.0.0.1:$port ]
  udp_threads => 1
  tcp_threads => 1
  run_dir => $d/run
  state_dir => $d/state
}
service_types => {
  # gdnsd refuses interval < 2s; thresholds match dnslb's rise=2 fall=3.
  tcpcheck => { plugin => tcp_connect, port => $CHECK_PORT, interval => 2, timeout => 1, up_thresh => 2, down_thresh => 3, ok_thresh => 2 }
}
plugins => {
  weighted => {
    service_types => tcpcheck
    web => {
EOF
    for i in "${!POOL_ADDRS[@]}"; do
      echo "      m$i => [ ${POOL_ADDRS[$i]}, ${POOL_WEIGHTS[$i]} ]"
    done
    echo "    }"
    echo "  }"
    echo "}"
  } >"$d/config"
}

start_gdnsd() {  # port
  local port=$1 d="$WORK/gdnsd"
  need gdnsd:gdnsd
  write_gdnsd_config "$d" "$port"
  bg "$d/log" taskset -c "$SERVER_CPU" gdnsd -c "$d" start
  PID_gdnsd=$LAST_PID
  if ! wait_dns "$port" static.bench.test "$PID_gdnsd" 30; then
    REASON_gdnsd="did not answer: $(tail -n 3 "$d/log" | tr '\n' ' ' | cut -c1-200)"
    stop_pid "$PID_gdnsd"; PID_gdnsd=""
    return 1
  fi
}

# Safepoints logged by a dnslb started by start_dnslb (NAME) after line FROM of its log:
# "count longest_ms" (pauses of 0 ms: "0 0"). safepoint_lines NAME: the log's current length.
safepoint_lines() { wc -l <"$WORK/$1/safepoint.log" 2>/dev/null || echo 0; }
safepoints_since() {  # name from
  awk -v from="$2" 'NR > from && /Safepoint "/ {
      n++; if (match($0, /Total: [0-9]+ ns/)) { t = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; if (t > mx) mx = t } }
    END { printf "%d %.1f\n", n, mx }' "$WORK/$1/safepoint.log" 2>/dev/null || echo "- -"
}

# Run dnsperf pinned to CLIENT_CPU; prints "sent completed lost qps avg_us p99_us rcodes".
# p99 comes from dnsperf -v per-query latencies (dnsperf 2.10 has no latency histogram option),
# summarised on the fly by awk pinned to the client CPU. run_dnsperf_tail prints five more fields
# after those: "p50_us p90_us p999_us episodes in_episodes" (see stall episodes below).
run_dnsperf() { dnsperf_summary 0 "$@"; }
run_dnsperf_tail() { dnsperf_summary 1 "$@"; }

# Stall episodes: in completion order (the order of dnsperf's "> " lines), a run of at least
# EPISODE_MIN consecutive replies slower than EPISODE_US (a timed-out query counts as slow) is one
# episode: the server (or the machine under it) stood still while queries queued, and every reply
# queued behind the stall is slow. "episodes" is their number, "in_episodes" the replies in them.
# Percentiles are over the completed replies (timed-out queries are dnsperf's "lost").
dnsperf_summary() {  # tail port queryfile seconds [extra dnsperf args...]
  local tail=$1 port=$2 qf=$3 secs=$4; shift 4
  taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$qf" -l "$secs" -c "${CLIENTS:-4}" \
      -q "${OUTSTANDING:-200}" -t "${TIMEOUT:-2}" -v "$@" 2>&1 \
    | taskset -c "$CLIENT_CPU" awk -v tail="$tail" -v emin="${EPISODE_MIN:-10}" -v eus="${EPISODE_US:-100}" '
      function slow(is) { if (is) { run++; return } if (run >= emin) { eps++; ineps += run } run = 0 }
      $1 == ">" {
        if ($2 == "T") { slow(1); next }
        n++; us = int($5 * 1e6 + 0.5); h[us]++; if (us > mx) mx = us; slow(us > eus); next }
      /Queries sent:/ { sent = $3 }
      /Queries completed:/ { done = $3 }
      /Queries lost:/ { lost = $3 }
      /Queries per second:/ { qps = $4 }
      /Average Latency/ { avg = $4 * 1e6 }
      /Response codes:/ { sub(/.*Response codes: */, ""); gsub(/ \([^)]*\)/, ""); gsub(/, /, ","); gsub(/ /, ":"); rc = $0 }
      END {
        slow(0)
        split("0.5 0.9 0.99 0.999", q, " "); for (k = 1; k <= 4; k++) p[k] = "n/a"
        if (n > 0) {
          k = 1; c = 0
          for (i = 0; i <= mx && k <= 4; i++) { c += h[i]; while (k <= 4 && c >= n * q[k]) p[k++] = i }
        }
        if (rc == "") rc = "-"
        printf "%s %s %s %s %.0f %s %s", sent + 0, done + 0, lost + 0, qps + 0, avg, p[3], rc
        if (tail) printf " %s %s %s %d %d", p[1], p[2], p[4], eps, ineps
        printf "\n"
      }'
}
