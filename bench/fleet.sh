#!/usr/bin/env bash
# Fleet costs: (1) DNS answers per second of one dnslb with clustering off and on (the DNS path
# never touches etcd, so they should be equal); (2) etcd writes per health change and per second
# for MEMBERS members probed by 3 dnslb servers. Loopback only; kills what it starts.
#
#   bench/fleet.sh                     # ~3 min: 2 rounds x 10 s per mode, 10,000 members x 3 servers
#   ROUNDS=1 DURATION=5 MEMBERS=1000 bench/fleet.sh    # a quick look
#   PARTS=writes bench/fleet.sh        # only part 2 (PARTS="qps writes" by default)
#
# Needs etcd (Debian etcd-server), dnsperf, dig, python3, curl. One etcd member is enough to count
# writes (every write is one revision, whatever the cluster size).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,10p' "$0"; exit 0
fi
PARTS=${PARTS:-qps writes}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10}
MEMBERS=${MEMBERS:-10000}
STEADY=${STEADY:-30}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
ETCD_PORT=${ETCD_PORT:-23791}
ETCD="http://127.0.0.1:$ETCD_PORT"

bench_init
need etcd:etcd-server
need dnsperf:dnsperf
need dig:bind9-dnsutils
need curl:curl
build_dnslb || die "$DNSLB_REASON"
start_backends

bg "$WORK/etcd.log" etcd --name b0 --data-dir "$WORK/etcd" \
  --listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "b0=http://127.0.0.1:$((ETCD_PORT + 1))"
for _ in $(seq 1 100); do curl -sf "$ETCD/health" | grep -q true && break; sleep 0.2; done

revision() {
  curl -s "$ETCD/v3/kv/range" -d '{"key":"AA==","count_only":true}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])'
}
keys_under() {  # prefix
  local k e
  k=$(printf '%s' "$1" | base64 -w0)
  e=$(python3 -c 'import base64,sys; b=bytearray(sys.argv[1].encode()); b[-1]+=1; print(base64.b64encode(bytes(b)).decode())' "$1")
  curl -s "$ETCD/v3/kv/range" -d "{\"key\":\"$k\",\"range_end\":\"$e\",\"count_only\":true}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count","0"))'
}

# dnslb server N: zones in $WORK/sN, config with or without the cluster, extra pool file optional.
start_server() {  # name dnsport httpport cluster(0|1) members
  local name=$1 port=$2 http=$3 cluster=$4 members=$5 d="$WORK/$1"
  mkdir -p "$d/zones"
  cp "$BENCH_DIR/zones/bench.test.zone" "$d/zones/"
  write_dnslb_pools "$d/zones/bench.pools.conf"
  if [[ "$members" -gt 0 ]]; then
    python3 - "$members" "$CHECK_PORT" >"$d/zones/big.pools.conf" <<'PY'
import sys
n, port = int(sys.argv[1]), sys.argv[2]
print('pools { big {\n names = ["big.bench.test."]\n check { type = tcp, port = %s, interval = 2s, timeout = 500ms, rise = 2, fall = 3 }\n members = [' % port)
for i in range(n):
    print(' { address = "127.1.%d.%d" }' % (i // 250, i % 250 + 1))
print(' ] } }')
PY
  fi
  {
    echo "dnslb.state-file = \"$d/state.json\""
    if [[ "$cluster" == 1 ]]; then
      echo "dnslb.cluster { etcd = [\"$ETCD\"], prefix = \"/bench\", name = \"$name\" }"
    fi
  } >"$d/dnslb.conf"
  bg "$d/log" taskset -c "$SERVER_CPU" java -Xms256m -Xmx1g -XX:+UseParallelGC \
    -Ddnslb.dns.event-loops=1 -Ddnslb.reload.watch=false -jar "$JAR" serve \
    --config "$d/dnslb.conf" --zones "$d/zones" --dns "127.0.0.1:$port" --http "127.0.0.1:$http"
  LAST_SERVER=$LAST_PID
  wait_dns "$port" static.bench.test "$LAST_SERVER" 120 || die "$name did not answer: $(tail -n 5 "$d/log")"
}

# ---- (1) answers per second, clustering off vs on --------------------------------------------
if [[ " $PARTS " == *" qps "* ]]; then
log "part 1: pooled answers per second, clustering off vs on (${ROUNDS} x ${DURATION} s each)"
declare -A QPS
for mode in off on; do QPS[$mode]=""; done
for r in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    start_server "q$mode" 15400 15401 "$([[ $mode == on ]] && echo 1 || echo 0)" 0
    pid=$LAST_SERVER
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
log "part 2: etcd writes, $MEMBERS members probed by 3 servers"
r0=$(revision)
for i in 1 2 3; do
  start_server "ns$i" $((15410 + 2 * i)) $((15411 + 2 * i)) 1 "$MEMBERS" &
done
wait
# the servers were started in subshells: find their PIDs for cleanup
for i in 1 2 3; do
  pid=$(pgrep -f -- "--zones $WORK/ns$i/zones" | head -1 || true)
  [[ -n "$pid" ]] && BG_PIDS+=("$pid")
done
sleep 12   # first verdicts of every member (down: nothing listens on 127.1.x.y), published
r1=$(revision)
keys=$(keys_under /bench/health/)
echo "RESULT start: $keys verdict keys, $((r1 - r0)) etcd revisions (transactions) for 3 servers joining"
sleep "$STEADY"
r2=$(revision)
echo "RESULT steady: $((r2 - r1)) revisions in $STEADY s ($(awk -v a=$((r2 - r1)) -v s="$STEADY" 'BEGIN{printf "%.2f", a/s}') writes/s; lease keep-alives are not writes)"
# one health change: the 4 bench backends stop; every server sees 4 members go down
stop_pid "$PID_backends"
sleep 10
r3=$(revision)
echo "RESULT change: 4 members down on 3 servers -> $((r3 - r2)) revisions ($(awk -v a=$((r3 - r2)) 'BEGIN{printf "%.2f", a/12}') per member-server verdict change)"
