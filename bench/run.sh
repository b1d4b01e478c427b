#!/usr/bin/env bash
# dbtool benchmarks: the goals of issue 21 as ratios to what users would use instead, measured
# in one run on one machine. Installs what it needs (check-postgres, time) through apt, builds the
# bundle, prints each goal's ratio beside the goal and writes bench/results.md.
# Nothing here is a pass/fail test. About 10 minutes on 2 cores.
#
#   bench/run.sh                 everything (the one command for a quiet re-run)
#   RUNS=5 bench/run.sh          fewer rounds per measurement (default 10)
#   BUNDLE=DIR bench/run.sh      measure the bundle in DIR as it is (no build), e.g. an older one
#   OUT=DIR RESULTS=FILE         where the raw figures and the report go (bench/results, bench/results.md)
#   BEFORE=DIR bench/run.sh      the goals table shows an earlier run's ratios (its OUT) beside this one's
#
# Method: bench/measure.py runs the commands of one comparison in alternation (A, B, A, B...) and
# takes wall time, CPU (user + sys) and peak RSS from wait4(2); ratios are of medians. The SQL psql
# runs is the SQL dbtool ran, taken from the server's log (log_statement = all during one capture
# run, by bench/capture_sql.py), so psql and dbtool do the same work.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source bench/cluster.sh

RUNS=${RUNS:-10}
WARM_N=20
OUT=${OUT:-bench/results}
RESULTS=${RESULTS:-bench/results.md}
mkdir -p "$OUT"
rm -rf "${OUT:?}"/*

need=()
command -v check_postgres >/dev/null || need+=(check-postgres)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "${need[*]} missing: installing Debian's ${need[*]}..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends "${need[@]}" >&2
  else
    echo "bench/run.sh needs ${need[*]} (apt-get install ${need[*]})" >&2
    exit 69
  fi
fi

if [ -z "${BUNDLE:-}" ]; then
  echo "building the bundle..." >&2
  rm -rf distribution/target/dbtool
  # The build lock keeps concurrent builds on a shared machine out of each other's ~/.m2.
  flock "${DBTOOL_BUILD_LOCK:-/tmp/dbtool-maven.lock}" ./mvnw -B -q -ntp -DskipTests package >&2
fi
BUNDLE=${BUNDLE:-$PWD/distribution/target/dbtool}
DBTOOL=$BUNDLE/bin/dbtool
JAVA_FLOOR="$BUNDLE/runtime/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version"

LOAD_PID=
WATCH_PID=
cleanup() {
  for pid in ${INCIDENT_PIDS:-} $LOAD_PID $WATCH_PID; do kill "$pid" 2>/dev/null || true; done
  cluster_stop
}
trap cleanup EXIT INT TERM

measure() {   # measure NAME ROUNDS LABEL=COMMAND...
  local name=$1 rounds=$2; shift 2
  echo "   $name: $rounds rounds of $*" | cut -c1-160 >&2
  python3 bench/measure.py "$OUT/$name.json" "$rounds" "$@"
}

echo "== a server with a staged incident" >&2
start_shop
TROUBLESHOOT="$DBTOOL troubleshoot $URL --format json --output /dev/null"
capture troubleshoot dbtool $TROUBLESHOOT
sh -c "$PSQL -d shop -v ON_ERROR_STOP=1 -f $OUT/troubleshoot.sql -o /dev/null" \
  || { echo "psql cannot run the captured statements ($OUT/troubleshoot.sql)" >&2; exit 1; }

# check_postgres: the actions nearest to dbtool's checks, with dbtool's own default thresholds in
# the syntax each action takes (times for the *_time/txn_idle actions, name=count for locks), so
# that every action runs its query instead of stopping at "Invalid argument".
CP="check_postgres --host=127.0.0.1 --port=$PGPORT --dbuser=postgres --dbname=shop"
CP_ACTIONS=(
  "backends --warning=80% --critical=95%"
  "locks --warning=total=100:waiting=1 --critical=total=200:waiting=5"
  "txn_idle --warning=1m --critical=15m"
  "txn_time --warning=5m --critical=60m"
  "query_time --warning=1m --critical=15m"
  "txn_wraparound --warning=1000000000 --critical=1500000000"
  "last_vacuum --warning=1d --critical=2d"
)
CP_ALL=
for action in "${CP_ACTIONS[@]}"; do
  status=$($CP --action=$action 2>&1 | head -1 || true)
  case $status in
    POSTGRES_*" OK:"*|POSTGRES_*" WARNING:"*|POSTGRES_*" CRITICAL:"*) echo "$action: ${status%%:*}" >> "$OUT/check_postgres.txt" ;;
    *) echo "check_postgres --action=$action did not run: $status" >&2; exit 1 ;;
  esac
  CP_ALL="$CP_ALL $CP --action=$action;"
done

echo "== goals 1, 2, 6: cold" >&2
measure cold "$RUNS" \
  "java -version (floor)=$JAVA_FLOOR" \
  "dbtool troubleshoot=$TROUBLESHOOT" \
  "check_postgres, ${#CP_ACTIONS[@]} actions=$CP_ALL" \
  "psql, dbtool's statements=$PSQL -d shop -f $OUT/troubleshoot.sql -o /dev/null"

echo "== goal 3: warm, $WARM_N troubleshoots in one dbtool> shell" >&2
for _ in $(seq "$WARM_N"); do echo "troubleshoot $URL --format json"; done > "$OUT/warm-commands.txt"
{ cat "$OUT/troubleshoot.sql"; for _ in $(seq 2 "$WARM_N"); do echo '\connect'; cat "$OUT/troubleshoot.sql"; done; } > "$OUT/warm.sql"
measure warm $(( RUNS < 5 ? RUNS : 5 )) \
  "dbtool shell, $WARM_N troubleshoots=$DBTOOL < $OUT/warm-commands.txt" \
  "psql, $WARM_N rounds=$PSQL -d shop -f $OUT/warm.sql -o /dev/null" \
  "dbtool shell, empty=$DBTOOL < /dev/null" \
  "psql, empty=$PSQL -d shop -f /dev/null"

echo "== goal 4: under pgbench saturation" >&2
psql -X -q -c "CREATE DATABASE load"
pgbench -q -i -s 10 load >/dev/null 2>&1
pgbench -c 8 -j 2 -T 900 load >/dev/null 2>&1 &
LOAD_PID=$!
sleep 3
measure load "$RUNS" "dbtool troubleshoot=$TROUBLESHOOT" \
  "psql, dbtool's statements=$PSQL -d shop -f $OUT/troubleshoot.sql -o /dev/null"
kill $LOAD_PID 2>/dev/null || true; wait $LOAD_PID 2>/dev/null || true; LOAD_PID=

echo "== goal 5: fleet" >&2
PARALLEL=16
for i in $(seq 500); do echo "CREATE DATABASE fleet$i;"; done | psql -X -q >/dev/null
echo "postgresql://postgres@127.0.0.1:$PGPORT/fleet1" > "$OUT/targets-1.txt"
capture fleet dbtool "$DBTOOL" troubleshoot --targets-file "$OUT/targets-1.txt" --format json --output /dev/null
mkdir -p "$OUT/fleet-sql"
for i in $(seq 500); do sed "s/'fleet1'/'fleet$i'/g" "$OUT/fleet.sql" > "$OUT/fleet-sql/fleet$i.sql"; done
for n in 50 500; do
  for i in $(seq "$n"); do echo "postgresql://postgres@127.0.0.1:$PGPORT/fleet$i"; done > "$OUT/targets-$n.txt"
  # Most sessions of each tool seen at once in pg_stat_activity, sampled every 20 ms (psql itself
  # in the background, so that its pid is the one killed afterwards).
  echo "SELECT count(*) FILTER (WHERE application_name = 'dbtool'), count(*) FILTER (WHERE application_name = 'psql' AND pid <> pg_backend_pid()) FROM pg_stat_activity \\watch 0.02" > "$OUT/peak.sql"
  psql -X -At -F ' ' -f "$OUT/peak.sql" > "$OUT/peak-$n.txt" 2>/dev/null &
  WATCH_PID=$!
  WARMUP=$(( n > 50 ? 0 : 1 )) measure "fleet-$n" $(( n > 50 ? 1 : 3 )) \
    "dbtool --targets-file, parallel $PARALLEL=$DBTOOL troubleshoot --targets-file $OUT/targets-$n.txt --parallel $PARALLEL --format json --output /dev/null" \
    "psql, same statements, $PARALLEL at a time=seq $n | xargs -P $PARALLEL -I{} $PSQL -d fleet{} -f $OUT/fleet-sql/fleet{}.sql -o /dev/null"
  kill $WATCH_PID 2>/dev/null || true; wait $WATCH_PID 2>/dev/null || true; WATCH_PID=
done

# The analysis under the marker is written by hand and kept across runs.
MARKER='<!-- Written by hand below this line'
notes=$(sed -n "/^$MARKER/,\$p" "$RESULTS" 2>/dev/null || true)
python3 bench/report.py "$OUT" ${BEFORE:+"$BEFORE"} > "$RESULTS.new"
{ cat "$RESULTS.new"; if [ -n "$notes" ]; then printf '\n%s\n' "$notes"; fi; } > "$RESULTS"
rm -f "$RESULTS.new"
echo "wrote $RESULTS" >&2
