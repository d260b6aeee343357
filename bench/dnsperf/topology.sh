#!/usr/bin/env bash
# dnsperf: a topology pool against a weighted pool, both queried with ECS so both take the same
# (general) query path, over a mix of client subnets: networks-file hits (nested), database
# countries and continents, IPv6, and no match. Server pinned to CPU 1, dnsperf to CPU 0; prints
# queries per server CPU-second for each pool and the ratio (target: topology >= 80% of weighted).
# Usage: bench/dnsperf/topology.sh path/to/dnslb.jar [seconds per subnet]   (from the repo root)
set -euo pipefail
jar=$1
secs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/zones"
cp "$here/bench.test.zone" "$work/zones/"
cp "$root/src/test/resources/maxmind/GeoIP2-Country-Test.mmdb" "$work/zones/"
cat >"$work/zones/nets.conf" <<'NETS'
10.0.0.0/8      office
10.1.0.0/16     eu
10.1.2.0/24     office
2001:db8::/32   us
NETS
cat >"$work/zones/bench.test.pools.conf" <<'POOLS'
pools {
  eu-site { members = [{ address = "198.51.100.20" }] }
  us-site { members = [{ address = "198.51.100.21" }] }
  weighted {
    names = ["weighted.bench.test."]
    policy = weighted
    members = [{ address = "198.51.100.10", weight = 3 }, { address = "198.51.100.11", weight = 1 }]
  }
  geo {
    names = ["geo.bench.test."]
    policy = topology
    topology {
      networks = "nets.conf"
      geoip = "GeoIP2-Country-Test.mmdb"
      regions {
        eu      { match = ["continent:EU"], pools = [eu-site, us-site] }
        gb      { match = ["country:GB"], pools = [eu-site, us-site] }
        us      { match = ["continent:NA"], pools = [us-site, eu-site] }
        office  { pools = [eu-site, us-site] }
        default { pools = [us-site, eu-site] }
      }
    }
    members = [{ pool = "eu-site" }, { pool = "us-site" }]
  }
}
POOLS
echo "weighted.bench.test A" >"$work/weighted.txt"
echo "geo.bench.test A" >"$work/geo.txt"
taskset -c 1 java -Xmx256m -jar "$jar" serve --zones "$work/zones" \
  --dns 127.0.0.1:$port --http off >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 60); do   # until it answers (a busy machine starts slowly)
  dig @127.0.0.1 -p $port geo.bench.test A +short +time=1 +tries=1 >/dev/null 2>&1 && break
  sleep 1
done
# Warm both pools' paths up (JIT) before measuring anything.
for pool in weighted geo; do
  taskset -c 0 dnsperf -s 127.0.0.1 -p $port -d "$work/$pool.txt" -l 5 -q 200 \
    -E "8:000118000a0102" >/dev/null 2>&1
done
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
hz=$(getconf CLK_TCK)
# ECS option 8: family, source prefix, scope 0, address bytes (RFC 7871).
subnets=(   # subnet|ECS option value in hex
  "10.1.2.0/24|000118000a0102"      # networks file, nested /24 in a /16 in a /8
  "10.1.77.0/24|000118000a014d"     # networks file, the /16 around a nested /24
  "81.2.69.0/24|00011800510245"     # database: GB
  "89.160.20.0/24|0001180059a014"   # database: SE (continent EU)
  "2001:db8:1::/48|0002300020010db80001"  # networks file, IPv6
  "198.51.100.0/24|00011800c63364"  # no match: default
)
declare -A total_q total_cpu
total_q=([weighted]=0 [geo]=0)
total_cpu=([weighted]=0 [geo]=0)
# Interleaved per subnet, so drift on a shared machine hits both pools alike.
for s in "${subnets[@]}"; do
  hex=${s#*|}
  for pool in weighted geo; do
    before=$(ticks)
    qps=$(taskset -c 0 dnsperf -s 127.0.0.1 -p $port -d "$work/$pool.txt" -l "$secs" -q 200 \
      -E "8:$hex" 2>&1 | awk '/Queries per second/ {print $4}')
    cpu=$(echo "($(ticks) - $before) / $hz" | bc -l)
    total_q[$pool]=$(echo "${total_q[$pool]} + $qps * $secs" | bc -l)
    total_cpu[$pool]=$(echo "${total_cpu[$pool]} + $cpu" | bc -l)
    printf '%-9s %-18s %9.0f q/s  %8.0f q per CPU s\n' "$pool" "${s%%|*}" "$qps" \
      "$(echo "$qps * $secs / $cpu" | bc -l)"
  done
done
w=$(echo "${total_q[weighted]} / ${total_cpu[weighted]}" | bc -l)
g=$(echo "${total_q[geo]} / ${total_cpu[geo]}" | bc -l)
printf 'weighted %.0f, topology %.0f queries per CPU-second: topology/weighted = %.2f\n' \
  "$w" "$g" "$(echo "$g / $w" | bc -l)"
