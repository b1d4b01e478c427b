# Sourced by bench/run.sh: a throwaway PostgreSQL cluster for the benchmarks, like the tests'
# LocalCluster: initdb in a temp dir, a free loopback port, run as the postgres user when root.

pg_bindir() {
  local dir
  for dir in "${PG_BINDIR:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_start() {   # cluster_start MAX_CONNECTIONS -> sets PGBIN PGBASE PGPORT (server log: $PGBASE/log/*.csv)
  PGBIN=$(pg_bindir) || { echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
  PGBASE=$(mktemp -d /tmp/dbtool-bench-XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PGBASE"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_postgres "$PGBIN/initdb" -D "$PGBASE/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  cat >> "$PGBASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGBASE'
max_connections = ${1:-100}
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_stat_statements'
# csvlog: bench/capture_sql.py reads the statements dbtool ran (log_statement = all is switched on
# only while capturing, so the timed runs pay nothing for it).
logging_collector = on
log_destination = 'csvlog'
log_directory = '$PGBASE/log'
CONF
  as_postgres "$PGBIN/pg_ctl" -D "$PGBASE/data" -l "$PGBASE/server.log" -w start >/dev/null
  export PGHOST=127.0.0.1 PGPORT PGUSER=postgres
}

cluster_stop() {
  [ -n "${PGBASE:-}" ] || return 0
  as_postgres "$PGBIN/pg_ctl" -D "$PGBASE/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGBASE"
}

# A blocking chain three deep under an idle-in-transaction head, and a long query, held open
# by psql sessions that keep reading from a sleeping pipe.
stage_incident() {   # stage_incident DATABASE
  local db=$1
  psql -X -q -d "$db" -c "CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, balance int);
    INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g ON CONFLICT DO NOTHING;"
  (echo "SET application_name = 'billing-api'; BEGIN; UPDATE accounts SET balance = balance - 1 WHERE id = 1;"; sleep 3600) \
    | psql -X -q -d "$db" >/dev/null 2>&1 &
  INCIDENT_PIDS="$!"
  sleep 0.3
  for i in 1 2; do
    (echo "SET application_name = 'orders-worker'; BEGIN; UPDATE accounts SET balance = 0 WHERE id = $((i + 1));
           UPDATE accounts SET balance = 0 WHERE id = $i;"; sleep 3600) | psql -X -q -d "$db" >/dev/null 2>&1 &
    INCIDENT_PIDS="$INCIDENT_PIDS $!"
    sleep 0.3
  done
  psql -X -q -d "$db" -c "SET application_name = 'nightly-report'; SELECT pg_sleep(3600)" >/dev/null 2>&1 &
  INCIDENT_PIDS="$INCIDENT_PIDS $!"
  sleep 1
}

# The server bench/run.sh and bench/ab.sh measure on: a cluster (cluster_start) with the database shop,
# pg_stat_statements and the staged incident; sets URL, and PSQL: psql with the limits dbtool's
# sessions get at connect time (PostgresPlugin: read-only, statement and lock timeouts), so that the
# server does the same work for both.
start_shop() {
  cluster_start 600
  export PATH="$PGBIN:$PATH"
  psql -X -q -c "CREATE DATABASE shop"
  psql -X -q -d shop -c "CREATE EXTENSION pg_stat_statements"
  stage_incident shop
  psql -X -q -d shop -c "VACUUM ANALYZE accounts"
  URL="postgresql://postgres@127.0.0.1:$PGPORT/shop"
  PSQL="env 'PGOPTIONS=-c default_transaction_read_only=on -c statement_timeout=5000 -c lock_timeout=500 -c idle_in_transaction_session_timeout=10000' psql -X -q"
}

# capture NAME APPLICATION COMMAND...: run COMMAND once with log_statement = all and keep the SQL
# the session named APPLICATION sent, as a psql script in $OUT/NAME.sql (the count in $OUT/NAME.count).
capture() {
  local name=$1 application=$2; shift 2
  psql -X -q -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
  "$@" >/dev/null 2>&1 || true
  psql -X -q -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5   # the logging collector writes asynchronously
  python3 bench/capture_sql.py "$PGBASE/log" "$application" > "$OUT/$name.sql" 2> "$OUT/$name.count"
  cat "$OUT/$name.count" >&2
}
