#!/usr/bin/env bash
# Answers dnslb and Knot give for the same zone file, section by section (issue 2's "as correct as
# Knot" check). Loopback only; needs `knot` and `dnsutils` from Debian (installed if missing).
# Usage: bench/compare/compare-with-knot.sh   (from the repository root, after mvn package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v knotd >/dev/null || apt-get install -y -q knot >/dev/null
command -v dig >/dev/null || apt-get install -y -q dnsutils >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/zones" "$work/knot"
cp "$here/example.test.zone" "$work/zones/"
cat > "$work/knot/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@5391
database:
    storage: "$work/knot"
template:
  - id: default
    storage: "$work/zones"
    semantic-checks: off
zone:
  - domain: example.test
    file: example.test.zone
CONF
knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 &
java -jar "$root/target/dnslb.jar" serve --zones "$work/zones" --dns 127.0.0.1:5392 --http off \
  >"$work/dnslb.log" 2>&1 &
sleep 3
norm() { # drop the parts that legitimately differ: IDs, timings, server banners, cookies
  grep -vE '^;; (Query time|SERVER|WHEN|MSG SIZE|global options|Got answer)|^; <<>>|COOKIE|^$' \
    | sed -E 's/id: [0-9]+/id: X/'
}
differ=0
while read -r name type; do
  for transport in +notcp +tcp; do
    a=$(dig @127.0.0.1 -p 5391 "$name" "$type" +norec $transport | norm)
    b=$(dig @127.0.0.1 -p 5392 "$name" "$type" +norec $transport | norm)
    if [ "$a" != "$b" ]; then
      differ=$((differ + 1))
      echo "=== $name $type $transport: knot (<) vs dnslb (>)"
      diff <(echo "$a") <(echo "$b") || true
    fi
  done
done < "$here/queries.txt"
echo "$differ of $(($(wc -l < "$here/queries.txt") * 2)) answers differ"
