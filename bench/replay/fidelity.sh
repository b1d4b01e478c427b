#!/usr/bin/env bash
# 'dbtool replay' beside pgreplay (Debian's pgreplay) on the same capture: a real PostgreSQL logging
# csvlog (log_statement = 'all' with log_duration: the logging pgreplay reads, and dbtool reads it too)
# runs pgbench (simple and extended protocol, CLIENTS connections for SECONDS s); both tools replay
# that log on a second cluster reset to the same start (pgbench -i), at the original speed (fidelity:
# statements the target ran, how late they started, the replay's length against the capture's) and
# as fast as they go (throughput). The target counts what it ran with pg_stat_statements, so neither
# tool's own numbers are taken on trust. Appends its table to bench/replay/results.md.
#
#   bench/replay/fidelity.sh            CLIENTS=8 SECONDS_RUN=20 bench/replay/fidelity.sh
#   DBTOOL_CP=... bench/replay/fidelity.sh   (a test class path already built: no Maven)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
source bench/cluster.sh

CLIENTS=${CLIENTS:-8}
SECONDS_RUN=${SECONDS_RUN:-20}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbtool-replay-bench-XXXXXX")
trap 'cluster_stop; PGBASE=${SOURCE_BASE:-} cluster_stop; rm -rf "$WORK"' EXIT

command -v pgreplay >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgreplay >/dev/null; }

if [ -n "${DBTOOL_CP:-}" ]; then  # a test class path already built (dbtool-logs' classes and test classes first)
  CP=$DBTOOL_CP
else
  echo "building dbtool-logs..." >&2
  flock /tmp/dbtool-maven.lock bash -c "./mvnw -B -ntp -q -o install -pl dbtool-logs -am -DskipTests && \
    ./mvnw -B -ntp -q -o test-compile -pl dbtool-logs && \
    ./mvnw -B -ntp -q -o dependency:build-classpath -pl dbtool-logs -Dmdep.includeScope=test -Dmdep.outputFile=$WORK/cp" >&2
  CP=dbtool-logs/target/test-classes:dbtool-logs/target/classes:$(cat "$WORK/cp")
fi
# the command with the PostgreSQL plugin, from the test class path (as bench/logs runs its Throughput)
dbtool() { java -XX:+UseSerialGC -cp "$CP" dbtool.logs.ReplayBench "$@"; }

echo "capturing pgbench on a source cluster..." >&2
cluster_start 50
pgbench -i -s 4 -q postgres >/dev/null 2>&1   # before the logging: the log holds the workload only
cat >> "$PGBASE/data/postgresql.conf" <<CONF
logging_collector = on
log_destination = 'csvlog'
log_directory = 'log'
log_filename = 'pg'
lc_messages = 'C'
CONF
as_postgres "$PGBIN/pg_ctl" -D "$PGBASE/data" -w restart -l "$PGBASE/server.log" >/dev/null
psql -qAt -c "alter system set log_statement = 'all'" -c "alter system set log_duration = on" \
  -c "alter system set log_connections = on" -c "alter system set log_disconnections = on" \
  -c "alter system set log_min_error_statement = log" -c "select pg_reload_conf()" postgres >/dev/null
sleep 1
pgbench -c "$((CLIENTS / 2))" -j 2 -T "$SECONDS_RUN" -M simple postgres >/dev/null 2>&1 &
pgbench -c "$((CLIENTS / 2))" -j 2 -T "$SECONDS_RUN" -M extended postgres >/dev/null 2>&1
wait
sleep 2
cp "$PGBASE/data/log/pg.csv" "$WORK/pg.csv"
SOURCE_BASE=$PGBASE SOURCE_PORT=$PGPORT
logged=$(grep -cE 'LOG,00000,"(statement|execute [^:]*): ' "$WORK/pg.csv" || true)
PGBASE= # the source keeps running (its log is copied); the target is the next cluster

dbtool replay capture "$WORK/pg.csv" --source "postgresql://postgres@127.0.0.1:$SOURCE_PORT/postgres" \
  --out "$WORK/capture.dbr" >&2
capture_bytes=$(stat -c %s "$WORK/capture.dbr"); csv_bytes=$(stat -c %s "$WORK/pg.csv")
span=$(python3 - "$WORK/capture.dbr" <<'PY'
import gzip, json, sys
first = last = None; statements = 0
for line in gzip.open(sys.argv[1], 'rt'):
    e = json.loads(line)
    if 'at' in e:
        first = e['at'] if first is None else first
        last = max(last or 0, e['at'] + int(e.get('ms', 0) * 1000))
        statements += e.get('kind') == 'statement'
print(f"{(last - first) / 1e6:.2f} {statements}")
PY
)
read -r span_s captured <<<"$span"

cluster_start 60
target_url="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
reset_target() {
  pgbench -i -s 4 -q postgres >/dev/null 2>&1
  psql -qAt -c "create extension if not exists pg_stat_statements" -c "select pg_stat_statements_reset()" postgres >/dev/null
}
ran_on_target() {  # statements of the workload the target executed (pgbench's, BEGIN/END; not the tools' own)
  psql -qAt -c "select coalesce(sum(calls), 0) from pg_stat_statements where query ~* '(pgbench_|^begin|^end)'" postgres
}

row() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }
ROWS=()
for mode in original fast; do
  # dbtool
  reset_target
  speed=1; [ "$mode" = fast ] && speed=1000
  start=$(date +%s%N)
  dbtool replay run "$WORK/capture.dbr" --against "$target_url" --speed "$speed" --max-sessions 100 --yes --out "$WORK/run.json" >/dev/null 2>"$WORK/dbtool.err"
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  read -r lag_mean lag_max run_statements < <(python3 -c "import json,sys; t=json.load(open('$WORK/run.json'))['totals']; print(t['meanLagMs'], t['maxLagMs'], t['statements'])")
  ran=$(ran_on_target)
  ROWS+=("$(row "dbtool replay run --speed $speed" "$captured" "$ran" "$(python3 -c "print(f'{$wall/1000:.1f} s ({abs($wall/1000*$speed-$span_s)/$span_s*100:.0f}% off)' if $speed==1 else f'{$wall/1000:.1f} s')")" \
    "$lag_mean / $lag_max" "$(python3 -c "print(round($ran/($wall/1000)))")" "$run_statements")")
  # pgreplay
  reset_target
  args=(-c -h 127.0.0.1 -p "$PGPORT")
  [ "$mode" = fast ] && args+=(-j -s 1000)
  start=$(date +%s%N)
  # GSS encryption off: pgreplay 1.2's asynchronous connect otherwise waits forever on this libpq
  # ("Socket ... busy for read during connect"); SSL off as the loopback has none
  PGGSSENCMODE=disable PGSSLMODE=disable pgreplay "${args[@]}" "$WORK/pg.csv" >"$WORK/pgreplay.out" 2>&1 || true
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  lag=$(grep -i "lag behind schedule" "$WORK/pgreplay.out" | sed 's/.*: *//' || true)
  calls=$(grep -i "SQL statements executed" "$WORK/pgreplay.out" | sed 's/.*: *//' || true)
  ran=$(ran_on_target)
  ROWS+=("$(row "pgreplay -c ${args[*]:5}" "$captured" "$ran" "$(python3 -c "print(f'{$wall/1000:.1f} s ({abs($wall/1000-$span_s)/$span_s*100:.0f}% off)' if '$mode'=='original' else f'{$wall/1000:.1f} s')")" \
    "max ${lag:-?}" "$(python3 -c "print(round($ran/($wall/1000)))")" "${calls:-?} executed")")
done

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): pgbench, $CLIENTS clients for $SECONDS_RUN s (half simple, half extended protocol)"
  echo
  echo "Generated by \`bench/replay/fidelity.sh\`. The log: $((csv_bytes / 1024)) KiB csvlog, $logged statements logged;"
  echo "the capture: $((capture_bytes / 1024)) KiB, $captured statements over $span_s s. \"ran on target\": pg_stat_statements"
  echo "calls of the workload's statements on the replay target (reset to the same start before each run)."
  echo "Lag: how late statements started against their original offset (dbtool: mean / max ms from run.json;"
  echo "pgreplay: its own \"maximal lag behind schedule\")."
  echo
  echo "| replay | captured | ran on target | wall time (vs capture span) | lag | statements/s | tool's own count |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/replay/results.md
