#!/usr/bin/env bash
# The Unbound validation proof at full size: 10,000 mixed queries while pool members go up and
# down 20 times (the CI test sends 2,000). Needs unbound (apt-get install unbound).
# Usage: bench/dnssec/unbound.sh [queries]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test -Dtest=UnboundValidationE2ETest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddnslb.unbound.queries="${1:-10000}"
grep -h 'Tests run' target/surefire-reports/io.dnslb.dnssec.UnboundValidationE2ETest.txt
grep -h '^unbound:' target/surefire-reports/io.dnslb.dnssec.UnboundValidationE2ETest-output.txt
