#!/usr/bin/env bash
# How long each wake-up of dnslb's auxiliary thread (dnslb-aux: the 500 ms pool refresher and
# override expiry) holds its core, with POOLS x 100 TCP-probed members, in a serving dnslb.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/aux-ticks.sh [-h]

Starts dnslb on loopback (port PORT, never 53) pinned to SERVER_CPU, with the bench zone plus
POOLS pools x 100 members on 127.1.0.1 upwards, each TCP-checked every second on PROBE_PORT,
where nothing listens: every probe is refused at once, so the prober's own cost stays small and
every member stays down (the pools fail open; the refresher's work per member is the same).
After WARM s (JIT, first probe round) it reads the aux thread's /proc/PID/task/TID/schedstat
every millisecond for WINDOW s from CLIENT_CPU and prints the CPU time of each burst of running
(one burst per wake-up: the 500 ms timer), as median, p90 and max, plus the thread's CPU per
second. CPU run time is what the busy machine distorts least (no wall time); cold caches on a
busy machine still inflate it. Two builds side by side: JAR=a.jar ... then JAR=b.jar ...

Environment: JAR [target/dnslb.jar] TTL [20s] (or auto) POOLS [100] WARM [20] WINDOW [30]
  PORT [15473] PROBE_PORT [18199] SERVER_CPU [1] CLIENT_CPU [0] SKIP_BUILD [0]
Time: about WARM + WINDOW + 5 s.
EOF
}
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
TTL=${TTL:-20s} POOLS=${POOLS:-100} WARM=${WARM:-20} WINDOW=${WINDOW:-30}
PORT=${PORT:-15473} PROBE_PORT=${PROBE_PORT:-18199} SERVER_CPU=${SERVER_CPU:-1} CLIENT_CPU=${CLIENT_CPU:-0}

bench_init
build_dnslb || die "$DNSLB_REASON"
mkdir -p "$WORK/zones"
cp "$BENCH_DIR/zones/bench.test.zone" "$WORK/zones/"
python3 - "$TTL" "$POOLS" "$PROBE_PORT" >"$WORK/zones/scale.pools.conf" <<'EOF'
import ipaddress, sys
ttl, pools, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = ipaddress.IPv4Address("127.1.0.1")
print("pools {")
for p in range(pools):
    print(f'  scale{p} {{\n    names = ["s{p}.bench.test."]\n    policy = round-robin')
    print(f"    answers = 1\n    ttl = {ttl}")
    print(f"    check {{ type = tcp, port = {port}, interval = 1s, timeout = 500ms, rise = 2, fall = 3 }}")
    print("    members = [")
    for m in range(100):
        print(f'      {{ address = "{base + p * 100 + m}" }}')
    print("    ]\n  }")
print("}")
EOF
bg "$WORK/dnslb.log" taskset -c "$SERVER_CPU" java -Xms256m -Xmx1g -XX:+UseParallelGC \
  -jar "$JAR" serve --zones "$WORK/zones" --dns "127.0.0.1:$PORT"
pid=$LAST_PID
wait_dns "$PORT" static.bench.test "$pid" 90 || die "dnslb did not answer: $(tail -n 3 "$WORK/dnslb.log")"
sleep "$WARM"
tid=""
for t in /proc/"$pid"/task/*; do
  [[ $(cat "$t/comm" 2>/dev/null) == dnslb-aux* ]] && { tid=${t##*/}; break; }
done
[[ -n $tid ]] || die "no dnslb-aux thread in $pid"
taskset -c "$CLIENT_CPU" python3 - "/proc/$pid/task/$tid/schedstat" "$WINDOW" <<'EOF'
import sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
def run_ns():
    with open(path) as f:
        return int(f.read().split()[0])
first = last = run_ns()
bursts, cur = [], 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    time.sleep(0.001)
    v = run_ns()
    if v != last:
        cur += v - last
    elif cur:
        bursts.append(cur // 1000)
        cur = 0
    last = v
bursts.sort()
n = len(bursts)
print(f"dnslb-aux over {seconds:.0f} s: {(last - first) / seconds / 1000:.0f} us CPU/s; "
      f"{n} wake-ups: median {bursts[n // 2]} us, p90 {bursts[int(n * 0.9)]} us, "
      f"max {bursts[-1]} us (largest five {bursts[-5:]})")
EOF
