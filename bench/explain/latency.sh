#!/usr/bin/env bash
# How long `dbtool explain CODE` takes through the bundle, a new process each time (the on-call
# case: one look at a playbook from the shell), for a page without sections per code, one with
# them, an unknown code (the close-match search over every code) and the list of every code.
# No database, no network: the pages are resources inside dbtool-core.
#
#   bench/explain/latency.sh            (needs the bundle: ./mvnw -pl distribution -am package)
#
# RUNS (default 10) runs per case; prints a Markdown table of the median and the slowest, in ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
DBTOOL=distribution/target/dbtool/bin/dbtool
[ -x "$DBTOOL" ] || { echo "no bundle at $DBTOOL: ./mvnw -pl distribution -am package first" >&2; exit 1; }
RUNS=${RUNS:-10}

measure() {
  local times=() start end
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$DBTOOL" explain "$@" --no-color >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$*" '{ v[NR] = $1 } END {
    printf "| `explain %s` | %d | %d |\n", label, v[int((NR + 1) / 2)], v[NR] }'
}

echo "| case | median ms | slowest ms |"
echo "|---|---|---|"
measure MSSQL_LOG_FULL
measure PG_DNS_FAILED
measure MONGO_LOCK_WAITS
measure PG_BLOKING_CHAIN
measure
