#!/usr/bin/env bash
# What one refresh of a live view costs the server: dbtool top next to pg_activity (Debian's
# pg-activity), on the same throwaway cluster with the same staged sessions (a blocking chain of 5,
# 10 long queries, 20 idle connections). The server logs every statement with its duration and the
# client's application_name (log_min_duration_statement = 0), so both tools are measured the same
# way: statements per refresh and server milliseconds per refresh, from the server's own log.
#
#   bench/top/refresh-cost.sh            (needs the bundle: ./mvnw -pl distribution -am package)
#
# Installs pg-activity with apt-get when it is missing (root only). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../cluster.sh
source bench/cluster.sh

DBTOOL=distribution/target/dbtool/bin/dbtool
[ -x "$DBTOOL" ] || { echo "no bundle at $DBTOOL: ./mvnw -pl distribution -am package first" >&2; exit 1; }
if ! command -v pg_activity >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "pg_activity missing: apt-get install pg-activity" >&2; exit 1; }
  echo "installing pg-activity..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pg-activity >&2
fi
REFRESHES=${REFRESHES:-20}

cluster_start 200
trap 'kill $(jobs -p) 2>/dev/null || true; cluster_stop' EXIT
cat >> "$PGBASE/data/postgresql.conf" <<CONF
log_min_duration_statement = 0
log_line_prefix = 'APP=%a '
CONF
as_postgres "$PGBIN/pg_ctl" -D "$PGBASE/data" -w reload >/dev/null
PSQL="$PGBIN/psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres"
$PSQL -d postgres -c "CREATE TABLE accounts (id int PRIMARY KEY, balance int)" \
  -c "INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g"

# The staged load: a chain (the head idle in its transaction), long queries, idle connections.
( printf 'BEGIN; UPDATE accounts SET balance = 0 WHERE id = 1;\nSELECT pg_sleep(600);\n' | PGAPPNAME=head $PSQL -d postgres ) &
sleep 0.5
for i in 2 3 4 5; do
  ( printf "BEGIN; UPDATE accounts SET balance = 0 WHERE id = %d; UPDATE accounts SET balance = 1 WHERE id = %d;\n" "$i" "$((i - 1))" \
      | PGAPPNAME=waiter $PSQL -d postgres ) &
  sleep 0.2
done
for i in $(seq 10); do ( PGAPPNAME=report $PSQL -d postgres -c "SELECT pg_sleep(600)" ) & done
for i in $(seq 20); do ( PGAPPNAME=idle $PSQL -d postgres -c "SELECT pg_sleep(0)" -c '\! sleep 600' ) & done
sleep 2

LOG="$PGBASE/server.log"
cost() {   # cost APP REFRESHES (the log line says APP=name, set by each tool as application_name) -> "statements_per_refresh ms_per_refresh"
  python3 - "$LOG" "$1" "$2" <<'PY'
import re, sys
log, app, refreshes = sys.argv[1], sys.argv[2], int(sys.argv[3])
count, total = 0, 0.0
for line in open(log, errors="replace"):
    # The extended protocol (pgjdbc) logs parse, bind and execute apart: a statement is a simple
    # "statement:" or an "execute"; the server time is every step's.
    m = re.match(r"APP=(\S*) LOG:  duration: ([0-9.]+) ms  (\w+)", line)
    if m and m.group(1) == app:
        count += m.group(3) in ("statement", "execute")
        total += float(m.group(2))
print(f"{count / refreshes:.1f} {total / refreshes:.2f}")
PY
}

# dbtool: the live view under a pseudo-terminal, refreshing every second for REFRESHES seconds, then q.
TERM=xterm-256color timeout "$((REFRESHES + 5))" script -qfec \
  "stty rows 40 cols 160; $DBTOOL top postgresql://postgres@127.0.0.1:$PGPORT/postgres --interval 1" /dev/null \
  < <(sleep "$REFRESHES"; printf q; sleep 3) > /dev/null 2>&1 || true
read -r dbtool_statements dbtool_ms < <(cost dbtool "$REFRESHES")
# One --once run, client side: JVM start, connect, two snapshots 0.5 s apart, JSON.
start=$(date +%s%N)
"$DBTOOL" top "postgresql://postgres@127.0.0.1:$PGPORT/postgres" --once --format json --interval 0.5 > /dev/null
once_ms=$(( ($(date +%s%N) - start) / 1000000 ))

# pg_activity: full screen under a pseudo-terminal, refreshing every second for REFRESHES seconds.
TERM=xterm-256color timeout "$((REFRESHES + 1))" script -qfec \
  "stty rows 40 cols 160; pg_activity -h 127.0.0.1 -p $PGPORT -U postgres -d postgres --refresh 1" /dev/null \
  < <(sleep "$((REFRESHES + 2))") > /dev/null 2>&1 || true
pga_refreshes=$REFRESHES
read -r pga_statements pga_ms < <(cost pg_activity "$pga_refreshes")

echo "| tool | statements per refresh | server ms per refresh | notes |"
echo "|---|---|---|---|"
echo "| dbtool top | $dbtool_statements | $dbtool_ms | --interval 1 for ${REFRESHES} s (login statements included); one --once run takes ${once_ms} ms end to end |"
echo "| pg_activity $(pg_activity --version 2>/dev/null | awk '{print $2}') | $pga_statements | $pga_ms | --refresh 1 for ${pga_refreshes} s (login statements included) |"
