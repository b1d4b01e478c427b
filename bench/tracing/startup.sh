#!/bin/sh
# Start-up cost of issue 22 item 6 (dbtool's own spans): tracing off must cost nothing.
#   BUNDLE=distribution/target/dbtool BEFORE=/path/to/main/bundle bench/tracing/startup.sh [ROUNDS]
# Counts the classes each command loads (-Xlog:class+load) and times it with bench/measure.py,
# alternating: the bundle before the change, this bundle with tracing off, and this bundle with
# tracing on (an OTLP endpoint that accepts everything: a small Python sink on loopback).
set -eu
ROUNDS=${1:-15}
BUNDLE=${BUNDLE:-distribution/target/dbtool}
: "${BEFORE:?BEFORE=the bundle of main to compare with}"
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/dbtool-tracing-bench}
mkdir -p "$OUT"
NOWHERE=postgresql://127.0.0.1:1/orders   # nothing listens: the session fails at once, CRITICAL

python3 - "$OUT/sink.port" <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
open(sys.argv[1], "w").write(str(server.server_port))
server.serve_forever()
PY
SINK=$!
trap 'kill $SINK' EXIT
while [ ! -s "$OUT/sink.port" ]; do sleep 0.1; done
ON="OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$(cat "$OUT/sink.port")"

classes() { # NAME ENV... -- ARGS: classes loaded and whether any OpenTelemetry class was
  name=$1; shift
  env DBTOOL_JAVA_OPTS="-Xlog:class+load:file=$OUT/$name.log" "$@" >/dev/null 2>&1 || true
  printf '%-28s %6s classes, OpenTelemetry: %s\n' "$name" "$(wc -l < "$OUT/$name.log")" "$(grep -c io.opentelemetry "$OUT/$name.log" || true)"
}
for cmd in "--version" "troubleshoot $NOWHERE --format json"; do
  short=$(echo "$cmd" | cut -d' ' -f1 | tr -d -)
  classes "before-$short" "$BEFORE/bin/dbtool" $cmd
  classes "off-$short" "$BUNDLE/bin/dbtool" $cmd
  classes "on-$short" "$ON" "$BUNDLE/bin/dbtool" $cmd
done

python3 "$HERE/../measure.py" "$OUT/times.json" "$ROUNDS" \
  "before-version=$BEFORE/bin/dbtool --version" \
  "off-version=$BUNDLE/bin/dbtool --version" \
  "before-troubleshoot=$BEFORE/bin/dbtool troubleshoot $NOWHERE --format json" \
  "off-troubleshoot=$BUNDLE/bin/dbtool troubleshoot $NOWHERE --format json" \
  "on-troubleshoot=$ON $BUNDLE/bin/dbtool troubleshoot $NOWHERE --format json"
python3 - "$OUT/times.json" <<'PY'
import json, statistics, sys
data = json.load(open(sys.argv[1]))
print(f"{data['rounds']} rounds, load {data['loadavg_before']} -> {data['loadavg_after']}")
for name, result in data["results"].items():
    walls = sorted(r["wall"] for r in result["runs"])
    cpu = statistics.median(r["cpu"] for r in result["runs"])
    rss = statistics.median(r["rss_kb"] for r in result["runs"]) / 1024
    print(f"{name:22s} wall median {statistics.median(walls)*1000:6.0f} ms  p90 {walls[int(len(walls)*0.9)-1]*1000:6.0f} ms"
          f"  cpu {cpu*1000:6.0f} ms  rss {rss:5.0f} MB  exits {sorted({r['exit'] for r in result['runs']})}")
PY
