#!/usr/bin/env bash
# An A/B of two bundles on the cold, warm and under-load parts of bench/run.sh (goals 1-4 and 6 of
# issue 21), each comparison alternating A, B and their references in the same minutes, so that a
# shared machine's load falls on both alike. No fleet (bench/run.sh has it), no build.
#
#   bench/ab.sh BUNDLE_A BUNDLE_B        e.g. main's bundle and a branch's distribution/target/dbtool
#   RUNS=8 OUT=DIR                        rounds (cold and load; warm takes min(RUNS, 5)), raw figures
#
# psql runs the statements each bundle ran (captured as in bench/run.sh), so each ratio is against
# the same work. Prints one table; the raw figures are in OUT (bench/results-ab by default).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh >/dev/null
source bench/cluster.sh

A=${1:?bundle A}; B=${2:?bundle B}
RUNS=${RUNS:-8}
WARM_N=20
OUT=${OUT:-bench/results-ab}
mkdir -p "$OUT"
rm -rf "${OUT:?}"/*

LOAD_PID=
cleanup() {
  for pid in ${INCIDENT_PIDS:-} $LOAD_PID; do kill "$pid" 2>/dev/null || true; done
  cluster_stop
}
trap cleanup EXIT INT TERM

measure() {   # measure NAME ROUNDS LABEL=COMMAND...
  local name=$1 rounds=$2; shift 2
  echo "   $name: $rounds rounds" >&2
  python3 bench/measure.py "$OUT/$name.json" "$rounds" "$@"
}

start_shop
JAVA_FLOOR="$B/runtime/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version"
for side in A B; do
  bundle=${!side}
  capture "$side" dbtool "$bundle/bin/dbtool" troubleshoot "$URL" --format json --output /dev/null
  { cat "$OUT/$side.sql"; for _ in $(seq 2 "$WARM_N"); do echo '\connect'; cat "$OUT/$side.sql"; done; } > "$OUT/warm-$side.sql"
done
for _ in $(seq "$WARM_N"); do echo "troubleshoot $URL --format json"; done > "$OUT/warm-commands.txt"

echo "== cold" >&2
measure cold "$RUNS" "java -version=$JAVA_FLOOR" \
  "A troubleshoot=$A/bin/dbtool troubleshoot $URL --format json --output /dev/null" \
  "B troubleshoot=$B/bin/dbtool troubleshoot $URL --format json --output /dev/null" \
  "A psql=$PSQL -d shop -f $OUT/A.sql -o /dev/null" \
  "B psql=$PSQL -d shop -f $OUT/B.sql -o /dev/null"
echo "== warm" >&2
measure warm $(( RUNS < 5 ? RUNS : 5 )) \
  "A shell=$A/bin/dbtool < $OUT/warm-commands.txt" "B shell=$B/bin/dbtool < $OUT/warm-commands.txt" \
  "A psql=$PSQL -d shop -f $OUT/warm-A.sql -o /dev/null" "B psql=$PSQL -d shop -f $OUT/warm-B.sql -o /dev/null" \
  "A shell empty=$A/bin/dbtool < /dev/null" "B shell empty=$B/bin/dbtool < /dev/null" \
  "psql empty=$PSQL -d shop -f /dev/null"
echo "== under pgbench" >&2
psql -X -q -c "CREATE DATABASE load"
pgbench -q -i -s 10 load >/dev/null 2>&1
pgbench -c 8 -j 2 -T 900 load >/dev/null 2>&1 &
LOAD_PID=$!
sleep 3
measure load "$RUNS" \
  "A troubleshoot=$A/bin/dbtool troubleshoot $URL --format json --output /dev/null" \
  "B troubleshoot=$B/bin/dbtool troubleshoot $URL --format json --output /dev/null" \
  "A psql=$PSQL -d shop -f $OUT/A.sql -o /dev/null" "B psql=$PSQL -d shop -f $OUT/B.sql -o /dev/null"
kill $LOAD_PID 2>/dev/null || true; wait $LOAD_PID 2>/dev/null || true; LOAD_PID=

python3 - "$OUT" "$WARM_N" <<'PY'
import json, statistics, sys
out, n = sys.argv[1], int(sys.argv[2])
def load(name):
    d = json.load(open(f"{out}/{name}.json"))
    med = {k: {m: statistics.median(r[m] for r in v["runs"]) for m in ("wall", "cpu", "rss_kb")} for k, v in d["results"].items()}
    return med, f"load {' '.join(d['loadavg_before'])} -> {' '.join(d['loadavg_after'])}"
cold, cl = load("cold"); warm, wl = load("warm"); under, ul = load("load")
count = {s: open(f"{out}/{s}.count").read().split()[1] for s in "AB"}
print(f"| goal | A | B |\n|---|---|---|")
row = lambda label, f: print(f"| {label} | {f('A')} | {f('B')} |")
row("statements per troubleshoot", lambda s: count[s])
row("1. cold wall / java -version (<= 8x)", lambda s: f"{cold[s+' troubleshoot']['wall'] / cold['java -version']['wall']:.2f}x")
row("1. cold CPU / java -version CPU", lambda s: f"{cold[s+' troubleshoot']['cpu'] / cold['java -version']['cpu']:.2f}x")
row("2. cold CPU / wall (<= 2x)", lambda s: f"{cold[s+' troubleshoot']['cpu'] / cold[s+' troubleshoot']['wall']:.2f}x")
row("6. cold peak RSS / java -version (<= 2x)", lambda s: f"{cold[s+' troubleshoot']['rss_kb'] / cold['java -version']['rss_kb']:.2f}x ({cold[s+' troubleshoot']['rss_kb']/1024:.0f} MB)")
row("3. warm wall, shell / psql (<= 2x)", lambda s: f"{warm[s+' shell']['wall'] / warm[s+' psql']['wall']:.2f}x")
row("3. warm CPU, shell / psql (<= 4x)", lambda s: f"{warm[s+' shell']['cpu'] / warm[s+' psql']['cpu']:.2f}x")
row("   CPU per warm troubleshoot (shell start taken out)", lambda s: f"{(warm[s+' shell']['cpu'] - warm[s+' shell empty']['cpu']) / n * 1000:.0f} ms")
row("   wall per warm troubleshoot (shell start taken out)", lambda s: f"{(warm[s+' shell']['wall'] - warm[s+' shell empty']['wall']) / n * 1000:.0f} ms")
row("   warm shell peak RSS", lambda s: f"{warm[s+' shell']['rss_kb']/1024:.0f} MB")
row("4. under pgbench / idle (cold, <= 2x)", lambda s: f"{under[s+' troubleshoot']['wall'] / cold[s+' troubleshoot']['wall']:.2f}x")
row("   psql under pgbench / idle", lambda s: f"{under[s+' psql']['wall'] / cold[s+' psql']['wall']:.2f}x")
print()
for label, med, l in (("cold", cold, cl), ("warm", warm, wl), ("under pgbench", under, ul)):
    print(f"{label} ({l}): " + "; ".join(f"{k} {v['wall']*1000:.0f} ms wall, {v['cpu']*1000:.0f} ms CPU, {v['rss_kb']/1024:.0f} MB" for k, v in med.items()))
PY
