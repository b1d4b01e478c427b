#!/usr/bin/env bash
# dbtool benchmarks: what users feel, side by side with what they would use instead.
# Installs what it needs (hyperfine, check-postgres) through apt, builds the bundle, and writes
# bench/results.md. Nothing here is a pass/fail test. Runs in well under 15 minutes on 2 cores.
#
#   bench/run.sh            everything
#   RUNS=5 bench/run.sh     fewer repetitions per measurement (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source bench/cluster.sh

RUNS=${RUNS:-10}
OUT=bench/results
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v check_postgres >/dev/null || need+=(check-postgres)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "building the bundle..." >&2
./mvnw -B -q -ntp -DskipTests package >&2
BUNDLE=$PWD/distribution/target/dbtool
DBTOOL=$BUNDLE/bin/dbtool


LOAD_PID=
WATCH_PID=
cleanup() {
  for pid in ${INCIDENT_PIDS:-} $LOAD_PID $WATCH_PID; do kill "$pid" 2>/dev/null || true; done
  cluster_stop
}
trap cleanup EXIT INT TERM

hf() {   # hf NAME hyperfine-args...
  local name=$1; shift
  # -i: diagnostic tools exit non-zero by design when they find an incident (2 = CRITICAL).
  hyperfine -i --style basic --runs "$RUNS" --warmup 2 --export-json "$OUT/$name.json" "$@" >&2
}

echo "== startup" >&2
hf startup -N \
  -n "java -version (floor)" "$BUNDLE/runtime/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version" \
  -n "dbtool --version" "$DBTOOL --version" \
  -n "dbtool --version (no AOT)" "env DBTOOL_AOT=off $DBTOOL --version" \
  -n "dbtool plugins" "$DBTOOL plugins" \
  -n "dbtool plugins (no AOT)" "env DBTOOL_AOT=off $DBTOOL plugins"

echo "== time to diagnosis" >&2
cluster_start 600
export PATH="$PGBIN:$PATH"
psql -X -q -c "CREATE DATABASE shop"
psql -X -q -d shop -c "CREATE EXTENSION pg_stat_statements"
stage_incident shop
URL="postgresql://postgres@127.0.0.1:$PGPORT/shop"
CP="check_postgres --host=127.0.0.1 --port=$PGPORT --dbuser=postgres --dbname=shop"
hf diagnosis \
  -n "dbtool troubleshoot (18 checks, JSON)" "$DBTOOL troubleshoot $URL --format json --output /dev/null" \
  -n "psql -f diagnose.sql (6 queries)" "psql -X -q -d shop -f bench/diagnose.sql -o /dev/null" \
  -n "check_postgres (5 actions)" "sh -c '$CP --action=backends; $CP --action=locks; $CP --action=txn_idle; $CP --action=query_time; $CP --action=txn_wraparound' >/dev/null"

echo "== warm: 20 troubleshoots in one dbtool> shell" >&2
for i in $(seq 20); do echo "troubleshoot $URL --format json"; done > "$OUT/warm-commands.txt"
RUNS_SAVED=$RUNS; RUNS=3   # each run is 20 troubleshoots already
hf warm -N -n "dbtool shell, 20 troubleshoots" "sh -c '$DBTOOL < $OUT/warm-commands.txt > /dev/null'" \
  -n "20 separate dbtool processes" "sh -c 'for i in \$(seq 20); do $DBTOOL troubleshoot $URL --format json > /dev/null; done'"

RUNS=$RUNS_SAVED

echo "== memory" >&2
/usr/bin/time -f "%M" -o "$OUT/rss-troubleshoot.txt" "$DBTOOL" troubleshoot "$URL" --format json > /dev/null || true
(sleep 3 | /usr/bin/time -f "%M" -o "$OUT/rss-shell.txt" "$DBTOOL" > /dev/null) || true

echo "== under load (pgbench, 8 clients)" >&2
psql -X -q -c "CREATE DATABASE load"
pgbench -q -i -s 10 load >/dev/null 2>&1
pgbench -c 8 -j 2 -T 600 load >/dev/null 2>&1 &
LOAD_PID=$!
sleep 3
hf load -n "dbtool troubleshoot under pgbench load" "$DBTOOL troubleshoot $URL --format json --output /dev/null"
kill $LOAD_PID 2>/dev/null || true; wait $LOAD_PID 2>/dev/null || true; LOAD_PID=

echo "== fleet" >&2
for i in $(seq 500); do echo "CREATE DATABASE fleet$i;"; done | psql -X -q >/dev/null
: > "$OUT/fleet.txt"
for n in 50 200 500; do
  for i in $(seq "$n"); do echo "postgresql://postgres@127.0.0.1:$PGPORT/fleet$i"; done > "$OUT/targets-$n.txt"
  # Peak connections seen while the fleet runs, sampled every 20 ms by one psql session.
  (echo "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbtool' \\watch 0.02" | psql -X -At > "$OUT/peak-$n.txt" 2>/dev/null) &
  WATCH_PID=$!
  start=$(date +%s%N)
  "$DBTOOL" troubleshoot --targets-file "$OUT/targets-$n.txt" --format json --output "$OUT/fleet-$n-report.json" 2>/dev/null || true
  end=$(date +%s%N)
  kill $WATCH_PID 2>/dev/null || true; wait $WATCH_PID 2>/dev/null || true; WATCH_PID=
  peak=$(sort -n "$OUT/peak-$n.txt" | tail -1)
  # The shell loop of single runs: timed over the first 25 targets and scaled to n (a loop over
  # 500 targets alone would take about ten minutes on two cores).
  sample=$(( n < 25 ? n : 25 ))
  loop_start=$(date +%s%N)
  head -n "$sample" "$OUT/targets-$n.txt" | while read -r url; do "$DBTOOL" troubleshoot "$url" --format json > /dev/null 2>&1 || true; done
  loop_end=$(date +%s%N)
  loop_ms=$(( (loop_end - loop_start) / 1000000 * n / sample ))
  echo "$n $(( (end - start) / 1000000 )) ${peak:-0} $loop_ms $sample" >> "$OUT/fleet.txt"
done

python3 bench/report.py "$OUT" > bench/results.md
echo "wrote bench/results.md" >&2
