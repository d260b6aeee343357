#!/usr/bin/env bash
# Write a zone with N A records (default 1,000,000) to stdout.
# Usage: bench/gen-bigzone.sh [N] [ORIGIN] > big.test.zone
set -euo pipefail
n=${1:-1000000}
origin=${2:-big.test.}
[[ "$n" =~ ^[0-9]+$ ]] || { echo "usage: $0 [N] [ORIGIN]" >&2; exit 2; }
awk -v n="$n" -v o="$origin" 'BEGIN {
  printf "$ORIGIN %s\n$TTL 300\n", o
  printf "@ IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 300\n", o, o
  printf "@ IN NS ns1.%s\nns1 IN A 127.0.0.1\n", o
  for (i = 0; i < n; i++)
    printf "h%d IN A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
}'
