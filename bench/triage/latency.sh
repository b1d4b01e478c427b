#!/usr/bin/env bash
# Alert-to-notification latency of triage (issue 16): from an Alertmanager webhook's arrival at
# 'dbtool serve' to the Slack message and the PagerDuty trigger arriving at loopback stand-ins for
# both services. Starts a throwaway cluster with a blocking chain, runs the bundle's 'dbtool serve'
# with a triage block (Slack and PagerDuty receivers, grouping off so that each alert is its own
# incident), posts N alerts one after another (each on a target of its own, all the same database),
# and times each from the POST to the arrival of its Slack message and PagerDuty event.
# Writes bench/triage/results-bundle.md. Not a pass/fail test.
#
#   bench/triage/latency.sh          (N=20 alerts; N=5 bench/triage/latency.sh for fewer)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
source bench/cluster.sh

N=${N:-20}
BUNDLE=$PWD/distribution/target/dbtool
if [ ! -x "$BUNDLE/bin/dbtool" ]; then
  echo "building the bundle..." >&2
  timeout 900 flock /tmp/dbtool-maven.lock ./mvnw -B -q -ntp -o -DskipTests package -pl distribution -am >&2
fi
WORK=$(mktemp -d /tmp/dbtool-bench-triage-XXXXXX)
SERVE_PID=
STUB_PID=
HOLD_PIDS=()
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  [ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null || true
  for pid in "${HOLD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  cluster_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

cluster_start 50
psql -q -d postgres -c "CREATE DATABASE orders"
psql -q -d orders -c "CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 100), (2, 100)"
psql -q -d orders -c "BEGIN; UPDATE accounts SET balance = balance - 1 WHERE id = 1; SELECT pg_sleep(3600);" >/dev/null 2>&1 &
HOLD_PIDS+=($!)
sleep 0.5
for i in 1 2; do
  psql -q -d orders -c "UPDATE accounts SET balance = balance + 1 WHERE id = 1" >/dev/null 2>&1 &
  HOLD_PIDS+=($!)
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
STUB=$(free_port)
# Slack and PagerDuty stand-ins: answer as the services do and log each arrival (monotonic ms, path).
python3 - "$STUB" "$WORK/arrivals" <<'PY' &
import http.server, sys, time
port, log = int(sys.argv[1]), sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(log, "a") as out:
            out.write("%.3f %s %d\n" % (time.clock_gettime(time.CLOCK_MONOTONIC) * 1000, self.path, len(body)))
        pd = self.path.startswith("/v2/enqueue")
        self.send_response(202 if pd else 200)
        self.send_header("Content-Type", "application/json" if pd else "text/plain")
        self.end_headers()
        self.wfile.write(b'{"status": "success"}' if pd else b"ok")
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
STUB_PID=$!
TOKEN=bench-$RANDOM$RANDOM
printf '%s\n' "$TOKEN" > "$WORK/token"
TARGETS=$(python3 -c "import json,sys; print(json.dumps({'orders%d' % i: {'url': 'postgresql://postgres@127.0.0.1:$PGPORT/orders', 'tags': ['prod']} for i in range($N)}))")
cat > "$WORK/config.json" <<CONF
{"targets": $TARGETS, "alerts": {"timeout": 5},
 "triage": {"incidents": {"groupWindow": "0s"},
   "receivers": {"slack": {"type": "slack", "url": {"env": "BENCH_SLACK_URL"}},
                 "pager": {"type": "pagerduty", "routingKey": {"env": "BENCH_PD_KEY"}, "url": "http://127.0.0.1:$STUB/v2/enqueue"}},
   "routes": {"receiver": "slack", "routes": [{"match": {"priority": ["P1", "P2", "P3"]}, "receiver": "pager", "continue": true},
                                             {"match": {"engine": "postgresql"}, "receiver": "slack"}]}}}
CONF
BENCH_SLACK_URL=http://127.0.0.1:$STUB/services/T0/B0/bench BENCH_PD_KEY=benchbenchbenchbenchbenchbench12 \
DBTOOL_CONFIG=$WORK/config.json XDG_DATA_HOME=$WORK/data "$BUNDLE/bin/dbtool" serve --listen 127.0.0.1:$PORT \
  --interval 24h --token-file "$WORK/token" --access-log off 2> "$WORK/serve.log" &
SERVE_PID=$!

RESULT=$(python3 - "$PORT" "$TOKEN" "$N" "$WORK/arrivals" "$WORK/serve.log" <<'PY'
import json, os, statistics, sys, time, urllib.request
port, token, n, arrivals, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
base = "http://127.0.0.1:%s" % port

def call(path, body=None):
    request = urllib.request.Request(base + path, data=body, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status

deadline = time.time() + 60
while True:
    try:
        call("/api/v1/incidents")
        break
    except Exception:
        if time.time() > deadline:
            sys.exit("dbtool serve did not start: " + open(log).read())
        time.sleep(0.05)

def lines():
    return open(arrivals).read().splitlines() if os.path.exists(arrivals) else []

slack, pager = [], []
for i in range(n):
    before = len(lines())
    alert = {"status": "firing", "labels": {"alertname": "PostgresqlTooManyLocksAcquired", "dbtool_target": "orders%d" % i,
             "severity": "critical"}, "annotations": {}, "startsAt": "2026-12-07T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
             "generatorURL": "", "fingerprint": "bench-%d" % i}
    payload = {"version": "4", "status": "firing", "receiver": "dbtool", "groupLabels": {}, "commonLabels": {},
               "commonAnnotations": {}, "externalURL": "http://am", "truncatedAlerts": 0, "alerts": [alert]}
    start = time.clock_gettime(time.CLOCK_MONOTONIC) * 1000
    assert call("/alerts", json.dumps(payload).encode()) == 202
    end = time.time() + 30
    while len(lines()) < before + 2:
        if time.time() > end:
            sys.exit("no notification for alert %d: %s" % (i, open(log).read()[-3000:]))
        time.sleep(0.002)
    for line in lines()[before:]:
        at, path, size = line.split()
        (pager if path.startswith("/v2/") else slack).append(float(at) - start)

def row(name, values):
    rest = sorted(values[1:])
    return "| %s | %d | %d | %d | %d |" % (name, values[0], statistics.median(rest), rest[int(0.9 * (len(rest) - 1))], rest[-1])

print("| measured | first alert (ms) | median of the rest (ms) | p90 (ms) | max (ms) |")
print("|---|---|---|---|---|")
print(row("POST /alerts -> PagerDuty trigger arrives", pager))
print(row("POST /alerts -> Slack message arrives", slack))
print()
print("%d alerts one after another, each on its own target (so each is a new incident), each diagnosed by the locks"
      " checks on a blocking chain, classified, routed to PagerDuty and Slack (delivered concurrently)." % n)
PY
)

{
  echo "# Alert-to-notification latency"
  echo
  echo "Written by bench/triage/latency.sh; not a pass/fail test. From an Alertmanager webhook's arrival at"
  echo '`dbtool serve` to the notifications arriving at loopback stand-ins for PagerDuty and Slack: the focused'
  echo "troubleshoot (as bench/alerts measures it), the store, the severity rules, the routes and the deliveries."
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), the bundle's runtime, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'):"
  echo
  echo "$RESULT"
  echo
  echo "Email is not in this bench (no SMTP server ships with Python any more); the tests deliver mail over"
  echo "STARTTLS to an in-process server."
} > bench/triage/results-bundle.md
cat bench/triage/results-bundle.md
