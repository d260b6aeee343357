#!/usr/bin/env bash
# Signed answers from dnslb and from Knot with automatic signing (ECDSA P-256 CSK each, own keys)
# for the same zone file (bench/compare/), queried with DO over UDP and TCP: rcode, flags and
# every section must agree apart from what legitimately differs: RRSIG/NSEC/NSEC3 records and
# the key sets (DNSKEY/CDS/CDNSKEY: different keys), the section counts that include them, and
# NXDOMAIN, which dnslb answers as NODATA (compact denial, RFC 9824); also the SOA serial (Knot
# raises it when it signs; dnslb never rewrites serials) and a section left holding only proofs
# (Knot proves wildcard expansions with NSEC; dnslb signs a wildcard answer as the name asked).
# Usage: bench/dnssec/compare-with-knot.sh   (from the repository root, after mvn package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v knotd >/dev/null || apt-get install -y -q knot >/dev/null
command -v dig >/dev/null || apt-get install -y -q bind9-dnsutils >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/zones" "$work/knotzones" "$work/knot"
cp "$root/bench/compare/example.test.zone" "$work/zones/"
cp "$root/bench/compare/example.test.zone" "$work/knotzones/"
java -jar "$root/target/dnslb.jar" keygen example.test --keys "$work/zones/keys" >/dev/null
printf 'dnssec { keys = "keys/" }\n' >"$work/zones/example.test.dnssec.conf"
kport=$((20000 + RANDOM % 10000)); dport=$((kport + 1))
cat > "$work/knot/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@$kport
database:
    storage: "$work/knot"
policy:
  - id: csk
    algorithm: ecdsap256sha256
    single-type-signing: on
template:
  - id: default
    storage: "$work/knotzones"
    semantic-checks: off
    dnssec-signing: on
    dnssec-policy: csk
    zonefile-sync: -1
    journal-content: all
zone:
  - domain: example.test
    file: example.test.zone
CONF
knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 &
java -jar "$root/target/dnslb.jar" serve --zones "$work/zones" --dns 127.0.0.1:$dport --http off \
  >"$work/dnslb.log" 2>&1 &
for port in $kport $dport; do  # both up and the zone signed
  for _ in $(seq 100); do
    dig +short +dnssec -p $port @127.0.0.1 example.test SOA 2>/dev/null | grep -q SOA && break
    sleep 0.3
  done
done
norm() {
  grep -vE '^;; (Query time|SERVER|WHEN|MSG SIZE|global options|Got answer)|^; <<>>|COOKIE|^$' \
    | grep -vE '[[:space:]](RRSIG|NSEC|NSEC3|NSEC3PARAM|DNSKEY|CDS|CDNSKEY)[[:space:]]' \
    | sed -E 's/id: [0-9]+/id: X/; s/status: NXDOMAIN/status: NOERROR/; s/(QUERY|ANSWER|AUTHORITY|ADDITIONAL): [0-9]+/\1: N/g' \
    | sed -E 's/(IN[[:space:]]+SOA[[:space:]]+[^ ]+ [^ ]+ )[0-9]+/\1SERIAL/' \
    | awk '/^;; [A-Z]+ SECTION:$/ { held = $0; next } { if (held != "") { print held; held = "" } print }' \
    || true
}
differ=0
total=0
while read -r name type; do
  for transport in "+notcp" "+tcp" "+notcp +nocookie"; do
    total=$((total + 1))
    # shellcheck disable=SC2086 # the options are meant to split
    a=$(dig @127.0.0.1 -p $kport "$name" "$type" +norec +dnssec $transport | norm) || true
    # shellcheck disable=SC2086
    b=$(dig @127.0.0.1 -p $dport "$name" "$type" +norec +dnssec $transport | norm) || true
    if [ "$a" != "$b" ]; then
      differ=$((differ + 1))
      echo "=== $name $type $transport: knot (<) vs dnslb (>)"
      diff <(echo "$a") <(echo "$b") || true
    fi
  done
done < <(cat "$root/bench/compare/queries.txt"; printf 'example.test DNSKEY\nexample.test CDS\n')
echo "$differ of $total answers differ"
