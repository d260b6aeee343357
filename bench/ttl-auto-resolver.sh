#!/usr/bin/env bash
# ttl = auto through a caching resolver: Unbound (Debian package) in front of dnslb, both on
# loopback. Each trial stops one of two TCP-checked backends at a random moment and measures how
# long the resolver keeps answering with it. With ttl = auto every cached answer expires by the
# time its members could change state, so the dead member must be gone within the detection
# bound (interval + 10% jitter + 200 ms, fast-fail) + 1 s; with a fixed TTL it stays up to the TTL.
#
#   bench/ttl-auto-resolver.sh                  # 50 trials, ttl = auto (ttl-max 30s)
#   MODE=fixed TRIALS=5 bench/ttl-auto-resolver.sh   # the same with ttl = 30s, for comparison
#   INTERVAL_MS=3000 TRIALS=20 bench/ttl-auto-resolver.sh  # longer interval: TTLs of 1-2 s get cached
#
# The detection instant is when dnslb's own answers first lack the member; bench/ttl_watch.py
# polls dnslb and Unbound every 20 ms from one process, so both instants are exact to ~20 ms.
# Prints one line per trial and a summary; SKIP_BUILD=1 uses target/dnslb.jar as it is.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
bench_init

TRIALS=${TRIALS:-50}
MODE=${MODE:-auto}
INTERVAL_MS=${INTERVAL_MS:-1000}
DNS_PORT=${DNS_PORT:-15391}
HTTP_PORT=${HTTP_PORT:-18391}
UNBOUND_PORT=${UNBOUND_PORT:-15392}
TTL_CHECK_PORT=${TTL_CHECK_PORT:-18392}
LIVE=127.0.0.81
DEAD=127.0.0.82
BOUND_MS=$((INTERVAL_MS + INTERVAL_MS / 10 + 200 + 1000))

need unbound:unbound dig:bind9-dnsutils java:openjdk-17-jre-headless python3:python3
build_dnslb || die "$DNSLB_REASON"

mkdir -p "$WORK/zones"
cat >"$WORK/zones/lb.test.zone" <<EOF
\$ORIGIN lb.test.
@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 60
@ 3600 IN NS ns1
ns1 3600 IN A 127.0.0.1
EOF
if [[ $MODE == auto ]]; then TTL_LINES='ttl = auto
    ttl-max = 30s'; else TTL_LINES='ttl = 30s'; fi
cat >"$WORK/zones/lb.test.pools.conf" <<EOF
pools {
  web {
    names = ["www.lb.test."]
    policy = round-robin
    $TTL_LINES
    check { type = tcp, port = $TTL_CHECK_PORT, interval = ${INTERVAL_MS}ms, timeout = 500ms, rise = 2, fall = 3 }
    members = [{ address = "$LIVE" }, { address = "$DEAD" }]
  }
}
EOF
cat >"$WORK/unbound.conf" <<EOF
server:
  interface: 127.0.0.1@$UNBOUND_PORT
  port: $UNBOUND_PORT
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 0
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  qname-minimisation: no
  prefetch: no
  serve-expired: no
  cache-min-ttl: 0
  harden-referral-path: no
  local-zone: "test." nodefault
remote-control:
  control-enable: no
stub-zone:
  name: "lb.test"
  stub-addr: 127.0.0.1@$DNS_PORT
EOF

python3 "$BENCH_DIR/backends.py" --port "$TTL_CHECK_PORT" "$LIVE" >"$WORK/live.log" 2>&1 &
BG_PIDS+=("$!")
start_dead() {
  python3 "$BENCH_DIR/backends.py" --port "$TTL_CHECK_PORT" "$DEAD" >>"$WORK/dead.log" 2>&1 &
  DEAD_PID=$!
  echo "$DEAD_PID" >>"$WORK/extra.pids"
}
start_dead
bg "$WORK/dnslb.log" java -jar "$JAR" serve --zones "$WORK/zones" --dns "127.0.0.1:$DNS_PORT" \
  --http "127.0.0.1:$HTTP_PORT"
bg "$WORK/unbound.log" unbound -d -c "$WORK/unbound.conf"

# The resolver's current answer (or dnslb's, with DIRECT=1): the addresses, space-separated, sorted.
answer() {
  local port=$UNBOUND_PORT
  [[ ${DIRECT:-0} == 1 ]] && port=$DNS_PORT
  dig @127.0.0.1 -p "$port" www.lb.test A +short +tries=1 +time=1 2>/dev/null | sort | tr '\n' ' '
}
now_ms() { date +%s%3N; }
wait_for() { # wait_for PATTERN-PRESENT(1)/ABSENT(0) max_ms
  local want=$1 max=$2 t0 a
  t0=$(now_ms)
  while (($(now_ms) - t0 < max)); do
    a=$(answer)
    if [[ $want == 1 && $a == *"$DEAD"* ]] || [[ $want == 0 && -n $a && $a != *"$DEAD"* ]]; then
      echo $(($(now_ms) - t0)); return 0
    fi
    sleep 0.05
  done
  echo -1
}

log "waiting for dnslb and unbound"
[[ $(wait_for 1 90000) -ge 0 ]] || die "the resolver never answered with both members (see $WORK)"

within=0; within_detection=0; worst=0; results=(); lates=()
for trial in $(seq 1 "$TRIALS"); do
  # A client keeps the resolver's cache warm, as real traffic would; stop at a random moment.
  end=$(($(now_ms) + 500 + RANDOM % 2000))
  while (($(now_ms) < end)); do answer >/dev/null; sleep 0.1; done
  # One watcher polls dnslb (the detection) and the resolver every 20 ms from before the stop.
  rm -f "$WORK/watch.ready"
  python3 "$BENCH_DIR/ttl_watch.py" www.lb.test. "$DEAD" "$DNS_PORT" "$UNBOUND_PORT" 60000 \
    "$WORK/watch.ready" >"$WORK/watch.out" &
  WATCH_PID=$!
  ready_by=$(($(now_ms) + 30000))
  until [[ -e $WORK/watch.ready ]]; do
    (($(now_ms) < ready_by)) || die "the watcher never saw the member in both answers (trial $trial)"
    sleep 0.02
  done
  t_kill=$(now_ms)
  kill -TERM "$DEAD_PID"; wait "$DEAD_PID" 2>/dev/null || true
  wait "$WATCH_PID" || true
  read -r detected_at gone_at resolver_ttl <"$WORK/watch.out"
  ((detected_at >= 0)) || die "dnslb never dropped the member in trial $trial"
  ((gone_at >= 0)) || die "the resolver never dropped the member in trial $trial"
  detected_total=$((detected_at - t_kill))
  gone_total=$((gone_at - t_kill))
  results+=("$gone_total")
  late=$((gone_total - detected_total))
  lates+=("$late")
  ((gone_total >= 0 && gone_total <= BOUND_MS)) && within=$((within + 1))
  ((late <= 1000)) && within_detection=$((within_detection + 1))
  ((gone_total > worst)) && worst=$gone_total
  printf 'trial %2d: dnslb dropped it after %5d ms, the resolver after %5d ms (+%d ms; bound %d ms; resolver TTL before: %s s)\n' \
    "$trial" "$detected_total" "$gone_total" "$late" "$BOUND_MS" "$resolver_ttl"
  start_dead
  if [[ $(wait_for 1 60000) -lt 0 ]]; then # on a loaded machine: restart it once more
    log "trial $trial: the member did not come back within 60 s; restarting its backend"
    kill -TERM "$DEAD_PID" 2>/dev/null || true; wait "$DEAD_PID" 2>/dev/null || true
    start_dead
    [[ $(wait_for 1 60000) -ge 0 ]] || die "the member never came back in trial $trial"
  fi
done
sorted=$(printf '%s\n' "${results[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
p90=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int(NR*0.9)]}')
late_sorted=$(printf '%s\n' "${lates[@]}" | sort -n)
late_median=$(echo "$late_sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
late_worst=$(echo "$late_sorted" | tail -n 1)
echo "mode=$MODE trials=$TRIALS resolver after dnslb: median +${late_median} ms, worst +${late_worst} ms"
echo "mode=$MODE trials=$TRIALS within $BOUND_MS ms of the stop: $within/$TRIALS; within dnslb's detection + 1 s: $within_detection/$TRIALS; median ${median} ms; p90 ${p90} ms; worst ${worst} ms"
