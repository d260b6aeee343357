#!/usr/bin/env bash
# Fleet costs: (1) DNS answers per second of one dnslb with clustering off and on (the DNS path
# never touches etcd, so they should be equal); (2) etcd writes for MEMBERS members probed by 3
# dnslb servers: joining, at rest, per verdict change, and whether the three leases held.
# Loopback only; kills what it starts.
#
#   bench/fleet.sh                     # ~4 min: 2 rounds x 10 s per mode, 10,000 members x 3 servers
#   ROUNDS=1 DURATION=5 MEMBERS=1000 CHANGE=200 STEADY=10 bench/fleet.sh    # a ~2 min look
#   PARTS=writes bench/fleet.sh        # only part 2 (PARTS="qps writes" by default)
#
# Needs etcd (Debian etcd-server), dnsperf, dig, python3, curl. One etcd member is enough to count
# writes (every write is one revision, whatever the cluster size).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,13p' "$0"; exit 0
fi
PARTS=${PARTS:-qps writes}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10}
MEMBERS=${MEMBERS:-10000}
CHANGE=${CHANGE:-1000}        # members that come up (a listener starts on them) and go down again
STEADY=${STEADY:-30}
INTERVAL=${INTERVAL:-2s}      # probe interval of the big pool (lease TTL = 3 x interval, >= 3 s)
QUIET=${QUIET:-5}             # seconds without a new etcd revision that end a phase
PHASE_MAX=${PHASE_MAX:-90}    # ... or this many seconds
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
ETCD_PORT=${ETCD_PORT:-23791}
ETCD="http://127.0.0.1:$ETCD_PORT"
CHANGE_PORT=${CHANGE_PORT:-18081}

bench_init
need etcd:etcd-server
need dnsperf:dnsperf
need dig:bind9-dnsutils
need curl:curl
need python3:python3
build_dnslb || die "$DNSLB_REASON"
((CHANGE <= MEMBERS)) || die "CHANGE ($CHANGE) must be <= MEMBERS ($MEMBERS)"
# one listening socket per changed member: raise the fd limit if it is low
(( $(ulimit -n) > CHANGE + 1024 )) || ulimit -n "$((CHANGE + 4096))" 2>/dev/null \
  || ulimit -n "$(ulimit -Hn)" || true
(( $(ulimit -n) > CHANGE + 100 )) || die "open-file limit $(ulimit -n) too low for $CHANGE listeners"
start_backends

bg "$WORK/etcd.log" etcd --name b0 --data-dir "$WORK/etcd" \
  --listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "b0=http://127.0.0.1:$((ETCD_PORT + 1))"
PID_etcd=$LAST_PID
for _ in $(seq 1 100); do curl -sf "$ETCD/health" | grep -q true && break; sleep 0.2; done
curl -sf "$ETCD/health" | grep -q true || die "etcd did not start: $(tail -n 5 "$WORK/etcd.log")"

b64() { printf '%s' "$1" | base64 -w0; }
b64end() { python3 -c 'import base64,sys; b=bytearray(sys.argv[1].encode()); b[-1]+=1; print(base64.b64encode(bytes(b)).decode())' "$1"; }
revision() {
  curl -s -m 10 "$ETCD/v3/kv/range" -d '{"key":"AA==","count_only":true}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])'
}
keys_under() {  # prefix
  curl -s -m 10 "$ETCD/v3/kv/range" -d "{\"key\":\"$(b64 "$1")\",\"range_end\":\"$(b64end "$1")\",\"count_only\":true}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count","0"))'
}
# "UP DOWN" verdicts under a prefix (reads them all: once per phase, not in a loop)
verdicts_under() {  # prefix
  curl -s -m 60 "$ETCD/v3/kv/range" -d "{\"key\":\"$(b64 "$1")\",\"range_end\":\"$(b64end "$1")\"}" \
    | python3 -c '
import base64, json, sys
up = down = 0
for kv in json.load(sys.stdin).get("kvs", []):
    if json.loads(base64.b64decode(kv["value"]))["state"] == "up": up += 1
    else: down += 1
print(up, down)'
}
# etcd's own counters: raft proposals committed (each costs an fsync) and keys put
etcd_counter() {  # metric name
  curl -s -m 10 "$ETCD/metrics" | awk -v m="$1" '$1 == m {printf "%d\n", $2; f=1} END {if (!f) print 0}'
}

# dnslb server N: zones in $WORK/N, config with or without the cluster, the big pool optional.
launch_server() {  # name dnsport httpport cluster-prefix("" = none) members cpu("" = any)
  local name=$1 port=$2 http=$3 prefix=$4 members=$5 cpu=$6 d="$WORK/$1"
  mkdir -p "$d/zones"
  cp "$BENCH_DIR/zones/bench.test.zone" "$d/zones/"
  write_dnslb_pools "$d/zones/bench.pools.conf"
  if [[ "$members" -gt 0 ]]; then
    python3 - "$members" "$CHANGE_PORT" "$INTERVAL" >"$d/zones/big.pools.conf" <<'PY'
import ipaddress, sys
n, port, interval = int(sys.argv[1]), sys.argv[2], sys.argv[3]
first = ipaddress.IPv4Address("127.1.0.1")
print('pools { big {\n names = ["big.bench.test."]\n check { type = tcp, port = %s, interval = %s, timeout = 500ms, rise = 2, fall = 3 }\n members = [' % (port, interval))
for i in range(n):
    print(' { address = "%s" }' % (first + i))
print(' ] } }')
PY
  fi
  {
    echo "dnslb.state-file = \"$d/state.json\""
    if [[ -n "$prefix" ]]; then
      echo "dnslb.cluster { etcd = [\"$ETCD\"], prefix = \"$prefix\", name = \"$name\" }"
    fi
  } >"$d/dnslb.conf"
  local pin=()
  [[ -n "$cpu" ]] && pin=(taskset -c "$cpu")
  bg "$d/log" "${pin[@]}" java -Xms256m -Xmx1g -XX:+UseParallelGC \
    -Ddnslb.dns.event-loops=1 -Ddnslb.reload.watch=false -jar "$JAR" serve \
    --config "$d/dnslb.conf" --zones "$d/zones" --dns "127.0.0.1:$port" --http "127.0.0.1:$http"
  LAST_SERVER=$LAST_PID
}
await_server() {  # name dnsport pid
  wait_dns "$2" static.bench.test "$3" 120 || die "$1 did not answer: $(tail -n 5 "$WORK/$1/log")"
}

# ---- (1) answers per second, clustering off vs on --------------------------------------------
if [[ " $PARTS " == *" qps "* ]]; then
log "part 1: pooled answers per second, clustering off vs on (${ROUNDS} x ${DURATION} s each)"
declare -A QPS
for mode in off on; do QPS[$mode]=""; done
for r in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    launch_server "q$mode$r" 15400 15401 "$([[ $mode == on ]] && echo /bench-qps || true)" 0 "$SERVER_CPU"
    pid=$LAST_SERVER
    await_server "q$mode$r" 15400 "$pid"
    run_dnsperf 15400 "$BENCH_DIR/queries/pool.txt" 3 >/dev/null   # warm-up
    line=$(run_dnsperf 15400 "$BENCH_DIR/queries/pool.txt" "$DURATION")
    log "  round $r cluster $mode: sent done lost qps avg_us p99_us rcodes = $line"
    QPS[$mode]+="$(echo "$line" | awk '{print $4}') "
    stop_pid "$pid"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
off=$(echo "${QPS[off]}" | median); on=$(echo "${QPS[on]}" | median)
echo "RESULT pooled q/s median: cluster off $off, cluster on $on, ratio on/off $(awk -v a="$on" -v b="$off" 'BEGIN{printf "%.3f", a/b}')"
fi
[[ " $PARTS " == *" writes "* ]] || exit 0

# ---- (2) etcd writes for MEMBERS members x 3 servers -----------------------------------------
log "part 2: etcd writes, $MEMBERS members probed by 3 servers every $INTERVAL"
# Lease stability: every second, how many of the three are registered (their servers/ key lives
# under their lease); a lease lost or replaced shows as a dip here and a "lost etcd" log line.
( while kill -0 "$PID_etcd" 2>/dev/null; do
    printf '%s %s\n' "$(date +%s)" "$(keys_under /bench/servers/ 2>/dev/null || echo ?)"; sleep 1
  done ) >"$WORK/live.tsv" 2>/dev/null &
echo $! >>"$WORK/extra.pids"

# Waits until etcd's revision has not moved for QUIET s (or PHASE_MAX s); prints the revision.
await_quiet() {
  local last now still=0 t=0
  last=$(revision)
  while ((still < QUIET && t < PHASE_MAX)); do
    sleep 1; t=$((t + 1))
    now=$(revision)
    if [[ "$now" == "$last" ]]; then still=$((still + 1)); else still=0; last=$now; fi
  done
  ((t < PHASE_MAX)) || log "  (still writing after $PHASE_MAX s)"
  echo "$last"
}
phase() {  # label rev_before proposals_before puts_before changes(0 = none expected)
  local label=$1 r0=$2 p0=$3 u0=$4 changes=$5 r1 p1 u1
  r1=$(revision); p1=$(etcd_counter etcd_server_proposals_committed_total)
  u1=$(etcd_counter etcd_mvcc_put_total)
  local per=""
  ((changes > 0)) && per=$(awk -v r=$((r1 - r0)) -v u=$((u1 - u0)) -v c="$changes" \
    'BEGIN {printf ", per verdict change: %.3f revisions, %.3f keys put", r / c, u / c}')
  echo "RESULT $label: $((r1 - r0)) revisions (write transactions), $((u1 - u0)) keys put, $((p1 - p0)) raft proposals$per"
}

r0=$(revision); p0=$(etcd_counter etcd_server_proposals_committed_total); u0=$(etcd_counter etcd_mvcc_put_total)
t_join=$(date +%s)
pids=()
for i in 1 2 3; do
  launch_server "ns$i" $((15410 + 2 * i)) $((15411 + 2 * i)) /bench "$MEMBERS" ""
  pids+=("$LAST_SERVER")
done
for i in 1 2 3; do await_server "ns$i" $((15410 + 2 * i)) "${pids[$((i - 1))]}"; done
# every member's first verdict (down: nothing listens on CHANGE_PORT yet), published by all three
want=$((3 * (MEMBERS + 4)))
for _ in $(seq 1 "$PHASE_MAX"); do [[ $(keys_under /bench/health/) -ge $want ]] && break; sleep 1; done
await_quiet >/dev/null
echo "RESULT join: $(keys_under /bench/health/) of $want verdict keys after $(( $(date +%s) - t_join )) s"
phase "join (3 servers start, publish every verdict)" "$r0" "$p0" "$u0" "$want"

r1=$(revision); p1=$(etcd_counter etcd_server_proposals_committed_total); u1=$(etcd_counter etcd_mvcc_put_total)
sleep "$STEADY"
r2=$(revision)
phase "at rest for $STEADY s" "$r1" "$p1" "$u1" 0
echo "RESULT at rest: $(awk -v a=$((r2 - r1)) -v s="$STEADY" 'BEGIN{printf "%.2f", a/s}') writes/s (lease keep-alives are not writes)"

# a health change: CHANGE members start answering on CHANGE_PORT (3 x CHANGE verdicts go up), then stop
r2=$(revision); p2=$(etcd_counter etcd_server_proposals_committed_total); u2=$(etcd_counter etcd_mvcc_put_total)
t0=$(date +%s)
bg "$WORK/change.log" python3 "$BENCH_DIR/backends.py" --port "$CHANGE_PORT" --range 127.1.0.1 "$CHANGE"
PID_change=$LAST_PID
await_quiet >/dev/null
echo "RESULT up: $CHANGE members up on 3 servers in $(( $(date +%s) - t0 - QUIET )) s; verdicts up/down now: $(verdicts_under /bench/health/big/)"
phase "$CHANGE members up (x3 servers)" "$r2" "$p2" "$u2" $((3 * CHANGE))

r3=$(revision); p3=$(etcd_counter etcd_server_proposals_committed_total); u3=$(etcd_counter etcd_mvcc_put_total)
t0=$(date +%s)
stop_pid "$PID_change"
await_quiet >/dev/null
echo "RESULT down: $CHANGE members down again in $(( $(date +%s) - t0 - QUIET )) s; verdicts up/down now: $(verdicts_under /bench/health/big/)"
phase "$CHANGE members down (x3 servers)" "$r3" "$p3" "$u3" $((3 * CHANGE))

# lease stability over the whole part
lost=""
for i in 1 2 3; do lost+="ns$i $(grep -c 'cluster: lost etcd' "$WORK/ns$i/log" || true), "; done
dips=$(awk -v t="$t_join" '$1 > t + 5 && $2 != "?" && $2 < 3 {n++} END {print n + 0}' "$WORK/live.tsv")
samples=$(awk -v t="$t_join" '$1 > t + 5' "$WORK/live.tsv" | wc -l)
echo "RESULT leases: times an etcd connection was lost: ${lost%, }; seconds with fewer than 3 servers registered: $dips of $samples"
for i in 1 2 3; do
  echo "RESULT ns$i: $(curl -s -m 30 "http://127.0.0.1:$((15411 + 2 * i))/metrics" | grep -E '^dnslb_cluster_(connected|servers) ' | tr '\n' ' ')"
done
