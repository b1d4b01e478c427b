#!/usr/bin/env bash
# 'dbtool logs' throughput and memory on a PostgreSQL stderr log, beside pgBadger (Debian's pgbadger).
# The log comes from a real throwaway PostgreSQL: pgbench with a connection per transaction and every
# statement logged (log_min_duration_statement = 0, log_connections, log_disconnections), with staged
# errors: queries on missing tables, a failed login, statement timeouts and deadlocks. That base log is
# repeated to each size; dbtool reads 200 MB and 2 GB (memory flat: both also with a 64 MB heap), and
# dbtool and pgBadger read the same 1 GB. The logs are written to TMPDIR and deleted; nothing is
# committed. Appends its table to bench/logs/results.md.
#
#   bench/logs/throughput.sh                 SIZES="200 2048" PGBADGER_MB=1024 bench/logs/throughput.sh
#   PGBADGER_MB=0 bench/logs/throughput.sh   (dbtool only)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
source bench/cluster.sh

SIZES=${SIZES:-"200 2048"}
PGBADGER_MB=${PGBADGER_MB:-1024}
PREFIX='%m [%p] %q%u@%d %h %e '
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbtool-logs-bench-XXXXXX")
trap 'cluster_stop; rm -rf "$WORK"' EXIT

if [ "$PGBADGER_MB" != 0 ] && ! command -v pgbadger >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbadger >/dev/null
fi
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null

echo "building dbtool-logs..." >&2
flock /tmp/dbtool-maven.lock ./mvnw -B -ntp -q -o install -pl dbtool-logs -am -DskipTests >&2
flock /tmp/dbtool-maven.lock ./mvnw -B -ntp -q -o test-compile -pl dbtool-logs >&2
flock /tmp/dbtool-maven.lock ./mvnw -B -ntp -q -o dependency:build-classpath -pl dbtool-logs -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp" >&2
CP=dbtool-logs/target/classes:$(cat "$WORK/cp")
TEST_CP=dbtool-logs/target/test-classes:$CP

echo "generating the base log from a real PostgreSQL..." >&2
cluster_start 50
cat >> "$PGBASE/data/postgresql.conf" <<CONF
log_line_prefix = '$PREFIX'
log_min_duration_statement = 0
log_connections = on
log_disconnections = on
lc_messages = 'C'
deadlock_timeout = '100ms'
# bench/cluster.sh logs csvlog through the collector (for run.sh's statement capture); this benchmark reads a
# stderr log, so the server writes plain stderr to server.log again (a restart: logging_collector needs one)
logging_collector = off
log_destination = 'stderr'
CONF
as_postgres "$PGBIN/pg_ctl" -D "$PGBASE/data" -l "$PGBASE/server.log" -w restart >/dev/null
sleep 1
pgbench -i -s 2 -q postgres >/dev/null 2>&1
for i in $(seq 1 200); do psql -q -c "select * from missing_table_$((i % 7))" postgres >/dev/null 2>&1 || true; done
PGPASSWORD=wrong psql -h 127.0.0.1 -U nobody -c 'select 1' postgres >/dev/null 2>&1 || true
for i in $(seq 1 20); do psql -q -c "set statement_timeout = 20; select pg_sleep(1)" postgres >/dev/null 2>&1 || true; done
psql -q -c "create table dl (id int primary key, v int); insert into dl values (1, 0), (2, 0)" postgres >/dev/null
for i in 1 2 3; do  # two transactions that take the same two rows in opposite order
  psql -q -c "begin; update dl set v = v + 1 where id = 1; select pg_sleep(0.5); update dl set v = v + 1 where id = 2; commit" postgres >/dev/null 2>&1 &
  psql -q -c "begin; update dl set v = v + 1 where id = 2; select pg_sleep(0.5); update dl set v = v + 1 where id = 1; commit" postgres >/dev/null 2>&1 || true
  wait
done
pgbench -c 4 -j 2 -T 30 -C postgres >/dev/null 2>&1 || true
cp "$PGBASE/server.log" "$WORK/base.log"
cluster_stop

base_bytes=$(stat -c %s "$WORK/base.log")
make_log() {  # MB -> path: the base log repeated to at least MB MiB
  local path="$WORK/$1.log"
  : > "$path"
  while [ "$(stat -c %s "$path")" -lt $(($1 * 1024 * 1024)) ]; do cat "$WORK/base.log" >> "$path"; done
  echo "$path"
}
row() {  # NAME FILE SECONDS RSS_KB CPU_SECONDS [IN_PROCESS_MS]
  local lines mb rate cpurate inproc=""
  lines=$(wc -l < "$2"); mb=$(( $(stat -c %s "$2") / 1024 / 1024 ))
  rate=$(python3 -c "print(f'{$lines/$3:,.0f}')")
  cpurate=$(python3 -c "print(f'{$lines/$5:,.0f}')")
  [ -n "${6:-}" ] && inproc=$(python3 -c "print(f'{$lines/($6/1000):,.0f}')")
  printf '| %s | %s MB | %s | %s s | %s s | %s | %s | %s | %s MB |\n' "$1" "$mb" "$(python3 -c "print(f'{$lines:,}')")" "$3" "$5" "$rate" "$cpurate" \
    "${inproc:--}" $(( $4 / 1024 ))
}
dbtool() {  # NAME FILE [JVM OPTION] -> a table row
  local heap=${3:-}
  # user + system CPU time beside the wall clock: on a shared machine it is the steadier measure
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" java -XX:+UseSerialGC $heap -cp "$CP" dbtool.core.Main logs "$2" --prefix "$PREFIX" \
    --format json --no-baseline > "$WORK/report.json" || true
  read -r seconds rss user sys < <(tail -1 "$WORK/time")
  row "$1" "$2" "$seconds" "$rss" "$(python3 -c "print(round($user + $sys, 2))")" "$(python3 -c "import json; print(json.load(open('$WORK/report.json'))['durationMs'])")"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
TABLE=$(printf '| command | log | lines | time | CPU (user+sys) | lines/s (whole process) | lines per CPU second | lines/s (reading, after start-up) | max RSS |\n|---|---|---|---|---|---|---|---|---|\n'
  for mb in $SIZES; do
    log=$(make_log "$mb")
    dbtool "dbtool logs --format json" "$log"
    dbtool "dbtool logs --format json, -Xmx64m" "$log" -Xmx64m
    if [ "$mb" = "$(echo $SIZES | cut -d' ' -f1)" ]; then
      # the same pipeline four times in one process: what one core reads once compiled
      java -XX:+UseSerialGC -cp "$TEST_CP" dbtool.logs.Throughput "$log" "$PREFIX" 4 > "$WORK/passes"
    fi
    rm -f "$log"
  done
  if [ "$PGBADGER_MB" != 0 ]; then
    log=$(make_log "$PGBADGER_MB")
    dbtool "dbtool logs --format json" "$log"
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" pgbadger -j 1 -q --prefix "$PREFIX" -o "$WORK/report.html" "$log" >/dev/null 2>&1 || true
    read -r seconds rss user sys < <(tail -1 "$WORK/time")
    row "pgbadger -j 1" "$log" "$seconds" "$rss" "$(python3 -c "print(round($user + $sys, 2))")"
    rm -f "$log"
  fi)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
TABLE="$TABLE

Load average (1, 5, 15 min) before the dbtool runs: $LOAD_START; after: $LOAD_END.

In one process, four passes over the ${SIZES%% *} MB log (\`dbtool.logs.Throughput\`: read, parse, mine, count, rules):

\`\`\`
$(cat "$WORK/passes")
\`\`\`"
echo "$TABLE"

python3 bench/logs/results_section.py bench/logs/results.md "Throughput on a PostgreSQL stderr log" \
  "Generated by \`bench/logs/throughput.sh\` on {stamp} (a shared machine: read ratios). A $((base_bytes / 1048576)) MB log from a real PostgreSQL 15 (pgbench, a connection per transaction, every statement logged, missing tables, a failed login, statement timeouts, deadlocks), repeated to size. Whole processes on one core (java -cp with C2, serial GC): JVM start, read, parse, mine, rules, report; the report's own durationMs gives the rate after start-up." \
  "$TABLE"
echo "wrote bench/logs/results.md" >&2
