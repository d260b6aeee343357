#!/usr/bin/env bash
# Soak test for dnslb (issue 7): steady load while zones/pools are rewritten and backends flap.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/soak.sh [-h]

Starts dnslb on loopback (never port 53) with bench/zones/bench.test.zone plus a 4-member pool
(www.bench.test, TCP checks every 1 s, rise 2, fall 3) whose backends are small listeners on
127.0.0.31-34, then for DURATION seconds:
  - dnsperf sends RATE queries/s (static, NXDOMAIN, pooled and TXT names mixed);
  - every REWRITE_EVERY s the zone (new serial, new TXT "gen" value) and the pool file (weights
    swapped) are rewritten atomically and dnslb gets SIGHUP; every BAD_EVERY-th rewrite is a
    broken zone file, which dnslb must reject while it keeps serving the old data;
  - every FLAP_EVERY s one backend is stopped or restarted (at least one stays up);
  - every CHECK_EVERY s dig checks that the pooled name answers only with members, and never with
    a member that has been down longer than GRACE s, and that static data is right;
  - every SAMPLE_EVERY s dnslb's RSS and thread count are read from /proc.
At the end it prints lost queries, SERVFAILs, unexpected answers, reload lag and RSS over time.

Environment: DURATION [600] RATE [5000] REWRITE_EVERY [5] BAD_EVERY [7] FLAP_EVERY [7]
  CHECK_EVERY [1] SAMPLE_EVERY [10] GRACE [8] PORT [15363] HTTP_PORT [18063] CHECK_PORT [18090]
  SKIP_BUILD [0] NO_INSTALL [0] KEEP_WORK [0] DNSLB_JAVA_OPTS [-Xms64m -Xmx256m]
  SERVER_CPU [1] CLIENT_CPU [0]
Exit status: 0 if no query was lost, no SERVFAIL and no unexpected answer was seen; 1 otherwise.
EOF
}
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

CHECK_PORT=${CHECK_PORT:-18090}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-600}
RATE=${RATE:-5000}
REWRITE_EVERY=${REWRITE_EVERY:-5}
BAD_EVERY=${BAD_EVERY:-7}
FLAP_EVERY=${FLAP_EVERY:-7}
CHECK_EVERY=${CHECK_EVERY:-1}
SAMPLE_EVERY=${SAMPLE_EVERY:-10}
GRACE=${GRACE:-8}
PORT=${PORT:-15363}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
export DNSLB_HTTP_PORT=${HTTP_PORT:-18063}
POOL_ADDRS=(127.0.0.31 127.0.0.32 127.0.0.33 127.0.0.34)
POOL_WEIGHTS=(4 2 1 1)
CHECK_INTERVAL=1s

bench_init
need dnsperf:dnsperf dig:bind9-dnsutils taskset:util-linux python3:python3 java:openjdk-17-jdk-headless
build_dnslb || die "dnslb: $DNSLB_REASON"

Z="$WORK/zones"; F="$WORK/flap"; mkdir -p "$Z" "$F"
EXTRA="$WORK/extra.pids"; : >"$EXTRA"
# Backends started inside the flapper loop are listed in $EXTRA; lib.sh's cleanup kills them.

write_zone() {  # generation [bad]
  local g=$1 tmp="$Z/.bench.test.zone.tmp"
  {
    sed "s/2026112501/$((2026112500 + g))/" "$BENCH_DIR/zones/bench.test.zone"
    echo "gen IN TXT \"$g\""
    [[ "${2:-}" == bad ]] && echo "broken IN A 999.1.2.3"
  } >"$tmp"
  mv -f "$tmp" "$Z/bench.test.zone"
}
write_pool() {  # generation
  if (( $1 % 2 )); then POOL_WEIGHTS=(1 1 2 4); else POOL_WEIGHTS=(4 2 1 1); fi
  write_dnslb_pools "$Z/.bench.pools.conf.tmp"
  mv -f "$Z/.bench.pools.conf.tmp" "$Z/bench.pools.conf"
}

start_member() {  # index
  python3 "$BENCH_DIR/backends.py" --port "$CHECK_PORT" "${POOL_ADDRS[$1]}" >>"$WORK/backends.log" 2>&1 &
  echo "$!" >"$F/pid.$1"; echo "$!" >>"$EXTRA"
  echo "up $(date +%s)" >"$F/state.$1"
}
stop_member() {
  stop_pid "$(cat "$F/pid.$1")"
  echo "down $(date +%s)" >"$F/state.$1"
}

for i in "${!POOL_ADDRS[@]}"; do start_member "$i"; done
write_zone 1
write_pool 1
echo 1 >"$WORK/generation"; echo "1 $(date +%s)" >>"$WORK/generations.log"
start_dnslb "$PORT" "$Z" || die "dnslb: $REASON_dnslb"
log "dnslb pid $PID_dnslb on 127.0.0.1:$PORT; settling"
sleep 4

# Query mix for dnsperf.
{
  echo "static.bench.test A"; echo "www.bench.test A"; echo "nx1.bench.test A"
  echo "gen.bench.test TXT"; echo "www.bench.test A"; echo "alias.bench.test A"
} >"$WORK/queries.txt"

START=$(date +%s)
END=$(( START + DURATION ))

# Rewriter: zone + pool, SIGHUP; every BAD_EVERY-th zone is broken (must be rejected).
(
  g=1
  while (( $(date +%s) < END )); do
    sleep "$REWRITE_EVERY"
    g=$((g + 1))
    if (( BAD_EVERY > 0 && g % BAD_EVERY == 0 )); then
      write_zone "$g" bad; echo "$g bad $(date +%s)" >>"$WORK/generations.log"
    else
      write_zone "$g"; write_pool "$g"; echo "$g $(date +%s)" >>"$WORK/generations.log"
      echo "$g" >"$WORK/generation"
    fi
    kill -HUP "$PID_dnslb" 2>/dev/null || true
  done
) &
BG_PIDS+=("$!")

# Flapper: stop or start a random member; keep at least one up.
(
  while (( $(date +%s) < END - GRACE )); do
    sleep "$FLAP_EVERY"
    i=$(( RANDOM % ${#POOL_ADDRS[@]} ))
    read -r st _ <"$F/state.$i"
    ups=$(grep -l '^up' "$F"/state.* | wc -l)
    if [[ $st == up && $ups -gt 1 ]]; then stop_member "$i"; echo "$(date +%s) down $i" >>"$WORK/flaps.log"
    elif [[ $st == down ]]; then start_member "$i"; echo "$(date +%s) up $i" >>"$WORK/flaps.log"; fi
  done
  # Bring everyone back for the end.
  for i in "${!POOL_ADDRS[@]}"; do
    read -r st _ <"$F/state.$i"; [[ $st == down ]] && start_member "$i"
  done
) &
BG_PIDS+=("$!")

# Checker: pooled answers only from members that are not long down; static data right; reload lag.
(
  while (( $(date +%s) < END )); do
    now=$(date +%s)
    out=$(dig +time=1 +tries=1 -p "$PORT" @127.0.0.1 www.bench.test A 2>&1) || true
    status=$(sed -n 's/.*status: \([A-Z]*\).*/\1/p' <<<"$out")
    if [[ "$status" != NOERROR ]]; then echo "$now www status=${status:-timeout}" >>"$WORK/unexpected.log"; fi
    while read -r a; do
      idx=-1
      for i in "${!POOL_ADDRS[@]}"; do [[ ${POOL_ADDRS[$i]} == "$a" ]] && idx=$i; done
      if (( idx < 0 )); then echo "$now www non-member $a" >>"$WORK/unexpected.log"; continue; fi
      read -r st since <"$F/state.$idx"
      if [[ $st == down ]] && (( now - since > GRACE )); then
        echo "$now www returned $a down for $((now - since))s" >>"$WORK/unexpected.log"
      fi
    done < <(awk '$4 == "A" {print $5}' <<<"$out")
    s=$(dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 static.bench.test A 2>&1 || true)
    [[ "$s" == 192.0.2.10 ]] || echo "$now static answered '${s//$'\n'/ }'" >>"$WORK/unexpected.log"
    served=$(dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 gen.bench.test TXT 2>/dev/null | tr -d '"' || true)
    echo "$now $(cat "$WORK/generation") ${served:-none}" >>"$WORK/gen-seen.log"
    sleep "$CHECK_EVERY"
  done
) &
BG_PIDS+=("$!")

# Sampler: RSS and threads.
(
  t0=$(date +%s)
  while (( $(date +%s) < END )); do
    echo "$(( $(date +%s) - t0 )) $(rss_kb "$PID_dnslb") $(awk '/^Threads:/ {print $2}' "/proc/$PID_dnslb/status" 2>/dev/null || echo 0)" >>"$WORK/rss.log"
    sleep "$SAMPLE_EVERY"
  done
) &
BG_PIDS+=("$!")

log "soak: ${DURATION}s at $RATE q/s; rewrite every ${REWRITE_EVERY}s, flap every ${FLAP_EVERY}s"
out=$(taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/queries.txt" -l "$DURATION" \
  -Q "$RATE" -c 4 -t 2 2>&1) || true
sleep 1
alive=yes; kill -0 "$PID_dnslb" 2>/dev/null || alive=no
final_rss=$(rss_kb "$PID_dnslb")

sent=$(awk '/Queries sent:/ {print $3}' <<<"$out")
lost=$(awk '/Queries lost:/ {print $3}' <<<"$out")
rcodes=$(sed -n 's/.*Response codes: *//p' <<<"$out")
servfail=$(grep -o 'SERVFAIL [0-9]*' <<<"$rcodes" | awk '{print $2}' || true)
unexpected=$(wc -l <"$WORK/unexpected.log" 2>/dev/null || echo 0)
flaps=$(wc -l <"$WORK/flaps.log" 2>/dev/null || echo 0)
rewrites=$(wc -l <"$WORK/generations.log")
bad=$(grep -c bad "$WORK/generations.log" || true)
# Reload lag: checks where the served generation is more than one behind the written one.
stale=$(awk '$3 == "none" || $2 - $3 > 1 {n++} END {print n + 0}' "$WORK/gen-seen.log" 2>/dev/null || echo 0)
checks=$(wc -l <"$WORK/gen-seen.log" 2>/dev/null || echo 0)

echo
echo "soak: dnslb $(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo '?'), ${DURATION}s at $RATE q/s, $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "  queries sent            ${sent:-?}"
echo "  queries lost            ${lost:-?}"
echo "  response codes          ${rcodes:-?}"
echo "  SERVFAIL                ${servfail:-0}"
echo "  unexpected dig answers  $unexpected (of $checks checks; see below)"
echo "  reload checks > 1 generation behind: $stale of $checks"
echo "  rewrites                $rewrites ($bad deliberately broken zone files)"
echo "  backend flaps           $flaps"
echo "  dnslb alive at end      $alive (RSS ${final_rss} kB)"
if [[ $alive == no ]]; then echo "  dnslb log, last lines:"; tail -n 8 "$WORK/dnslb/log" | sed 's/^/    /'; fi
echo "  RSS over time (s, RSS MiB, threads):"
awk '{ printf "    %6d  %8.1f  %4d\n", $1, $2 / 1024, $3 }' "$WORK/rss.log" | awk -v n="$(wc -l <"$WORK/rss.log")" \
  'n <= 30 || NR % int(n / 30 + 1) == 1 || NR == n'
if (( unexpected > 0 )); then echo "  first unexpected:"; head -n 10 "$WORK/unexpected.log" | awk -v t0="$START" '{ $1 = sprintf("+%ds", $1 - t0); print "    " $0 }'; fi
[[ -n "${RESULTS_OUT:-}" ]] && { mkdir -p "$RESULTS_OUT"; cp "$WORK"/*.log "$RESULTS_OUT/"; }

if [[ $alive == yes && "${lost:-1}" == 0 && "${servfail:-0}" == 0 && $unexpected == 0 ]]; then
  echo "PASS"; exit 0
fi
echo "FAIL"; exit 1
