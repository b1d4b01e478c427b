#!/usr/bin/env bash
# Alert-to-notification latency of triage without the bundle: dbtool serve from the build's classes
# in one JVM (dbtool.triage.LatencyBench, in dbtool-triage's test sources), a blocking chain on a
# throwaway PostgreSQL, loopback PagerDuty and Slack (testkit's test servers) and an SMTP server that
# requires STARTTLS and AUTH. N alerts, each a new incident on its own target; each timed from the
# POST /alerts to its PagerDuty trigger, mail and Slack message. Prints a Markdown table.
#
#   bench/triage/inprocess.sh        (N=20; N=5 bench/triage/inprocess.sh for fewer)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
N=${N:-20}
CP=$(mktemp)
timeout 1200 flock /tmp/dbtool-maven.lock bash -c "./mvnw -B -q -ntp -o install -pl dbtool-triage -am -DskipTests >&2 \
  && ./mvnw -B -q -ntp -o test-compile dependency:build-classpath -pl dbtool-triage -Dmdep.outputFile=$CP -Dmdep.includeScope=test >&2"
java -cp "dbtool-triage/target/test-classes:dbtool-triage/target/classes:$(cat "$CP")" dbtool.triage.LatencyBench "$N"
rm -f "$CP"
