#!/usr/bin/env bash
# Alert-to-diagnosis latency of dbtool serve (issue 15): from a webhook's arrival to the stored
# incident, for a PostgreSQL alert whose focused troubleshoot finds a blocking chain. Starts a
# throwaway cluster with a blocking chain, runs the bundle's 'dbtool serve' with the embedded
# store, posts N Alertmanager payloads one after another (distinct fingerprints, so none is a
# repeat), and reads two numbers per alert: what serve logs ("stored N ms after arrival") and
# what a client sees (POST until the incident is listed). Writes bench/alerts/results.md.
# Not a pass/fail test. Goal (issue 15): under 1 s for PostgreSQL.
#
#   bench/alerts/latency.sh          (N=30 alerts; N=10 bench/alerts/latency.sh for fewer)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
source bench/cluster.sh

N=${N:-30}
BUNDLE=$PWD/distribution/target/dbtool
if [ ! -x "$BUNDLE/bin/dbtool" ]; then
  echo "building the bundle..." >&2
  timeout 900 flock /tmp/dbtool-maven.lock ./mvnw -B -q -ntp -o -DskipTests package -pl distribution -am >&2
fi
WORK=$(mktemp -d /tmp/dbtool-bench-alerts-XXXXXX)
SERVE_PID=
HOLD_PIDS=()
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  for pid in "${HOLD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  cluster_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

cluster_start 50
psql -q -d postgres -c "CREATE DATABASE orders"
psql -q -d orders -c "CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 100), (2, 100)"
# The head blocker holds row 1 in an open transaction; two sessions wait behind it.
psql -q -d orders -c "BEGIN; UPDATE accounts SET balance = balance - 1 WHERE id = 1; SELECT pg_sleep(3600);" >/dev/null 2>&1 &
HOLD_PIDS+=($!)
sleep 0.5
for i in 1 2; do
  psql -q -d orders -c "UPDATE accounts SET balance = balance + 1 WHERE id = 1" >/dev/null 2>&1 &
  HOLD_PIDS+=($!)
done
HEAD=$(psql -At -d orders -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'BEGIN; UPDATE%' AND pid <> pg_backend_pid()")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=bench-$RANDOM$RANDOM
printf '%s\n' "$TOKEN" > "$WORK/token"
cat > "$WORK/config.json" <<CONF
{"targets": {"orders": {"url": "postgresql://postgres@127.0.0.1:$PGPORT/orders"}}, "alerts": {"timeout": 5}}
CONF
DBTOOL_CONFIG=$WORK/config.json XDG_DATA_HOME=$WORK/data "$BUNDLE/bin/dbtool" serve --listen 127.0.0.1:$PORT \
  --interval 1h --token-file "$WORK/token" --access-log "$WORK/access.log" 2> "$WORK/serve.log" &
SERVE_PID=$!

RESULT=$(python3 - "$PORT" "$TOKEN" "$N" "$PGPORT" "$HEAD" "$WORK/serve.log" <<'PY'
import json, re, statistics, sys, time, urllib.request
port, token, n, pgport, head, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
base = "http://127.0.0.1:%s" % port

def call(path, body=None):
    request = urllib.request.Request(base + path, data=body, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")

deadline = time.time() + 30
while True:
    try:
        call("/api/v1/incidents")
        break
    except Exception:
        if time.time() > deadline:
            sys.exit("dbtool serve did not start: " + open(log).read())
        time.sleep(0.05)

client = []
for i in range(n):
    alert = {"status": "firing", "labels": {"alertname": "PostgresqlDeadLocks", "server": "127.0.0.1:" + pgport, "datname": "orders"},
             "annotations": {}, "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
             "generatorURL": "", "fingerprint": "bench-%d" % i}
    payload = {"version": "4", "status": "firing", "receiver": "dbtool", "groupLabels": {}, "commonLabels": {},
               "commonAnnotations": {}, "externalURL": "http://am", "truncatedAlerts": 0, "alerts": [alert]}
    start = time.perf_counter()
    status, _ = call("/alerts", json.dumps(payload).encode())
    assert status == 202, status
    while len(call("/api/v1/incidents?limit=1000")[1]["incidents"]) < i + 1:
        time.sleep(0.005)
    client.append((time.perf_counter() - start) * 1000)
    newest = call("/api/v1/incidents?limit=1")[1]["incidents"][0]
    report = call(newest["href"])[1]["report"]
    heads = [h for c in report["checks"] for f in c["findings"] for h in (f.get("evidence") or {}).get("headBlockers", [])]
    assert head in heads, "head blocker %d not named: %s" % (head, heads)

time.sleep(0.2)
stored = [int(m) for m in re.findall(r"stored (\d+) ms after arrival", open(log).read())]

def row(name, values):
    rest = sorted(values[1:])
    return "| %s | %d | %d | %d | %d |" % (name, values[0], statistics.median(rest), rest[int(0.9 * (len(rest) - 1))], rest[-1])

print("| measured | first alert (ms) | median of the rest (ms) | p90 (ms) | max (ms) |")
print("|---|---|---|---|---|")
print(row("webhook arrival -> incident stored (serve's log)", stored))
print(row("POST /alerts -> incident listed (a client polling every 5 ms)", client))
print()
print("%d alerts one after another, each a PostgresqlDeadLocks alert routed by its server and datname labels;"
      " each troubleshoot ran the locks and long-queries checks and named head blocker pid %d." % (n, head))
PY
)

{
  echo "# Alert-to-diagnosis latency"
  echo
  echo "Written by bench/alerts/latency.sh; not a pass/fail test. From the webhook's arrival at"
  echo '`dbtool serve` to the incident stored in the embedded H2 store, for a PostgreSQL alert whose focused'
  echo "troubleshoot runs against a throwaway cluster with a blocking chain. Goal (issue 15): under 1 s."
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), the bundle's runtime, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'):"
  echo
  echo "$RESULT"
  echo
  echo "The first alert pays for a cold JIT on the alert path (the scheduler's first run has loaded the plugin); the store is"
  echo "opened when serve starts. Each alert opens one read-only session (no connection is kept between"
  echo "alerts), as troubleshoot does."
} > bench/alerts/results.md
cat bench/alerts/results.md
