#!/usr/bin/env bash
# What deploy/ costs: the Ansible role's first and second run against this host (connection local,
# into a temporary prefix, as distribution's AnsibleRoleIT runs it), the container image's build time
# and size, and `dbtool grants` from the bundle.
#
#   bench/deploy/measure.sh        (needs the bundle and its archive: ./mvnw -pl distribution -am package)
#
# Prints a Markdown table; nothing outside the temporary folder is changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ARCHIVE=$(ls distribution/target/dbtool-*-linux-x64.tar.gz 2>/dev/null | grep -v plugin-snowflake | head -1)
[ -n "$ARCHIVE" ] || { echo "no release archive in distribution/target: ./mvnw -pl distribution -am package first" >&2; exit 1; }
command -v ansible-playbook >/dev/null || { echo "ansible-playbook missing: apt-get install ansible" >&2; exit 1; }
VERSION=$(basename "$ARCHIVE" | sed 's/^dbtool-\(.*\)-linux-x64\.tar\.gz$/\1/')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

seconds() { python3 -c 'import sys,time; print("%.1f" % (time.time() - float(sys.argv[1])))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

mkdir -p "$WORK/collections/ansible_collections/dbtool" "$WORK/prefix"
ln -s "$ROOT/deploy/ansible" "$WORK/collections/ansible_collections/dbtool/deploy"
cat > "$WORK/site.yml" <<YML
- name: dbtool on this host
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: dbtool.deploy.dbtool
YML
cat > "$WORK/vars.json" <<JSON
{"dbtool_version": "$VERSION", "dbtool_archive_dir": "$ROOT/distribution/target", "dbtool_prefix": "$WORK/prefix",
 "dbtool_manage_user": false, "dbtool_user": "daemon", "dbtool_group": "daemon", "dbtool_manage_service": false,
 "dbtool_targets": {"orders": {"url": "postgresql://127.0.0.1:5432/orders"}}, "dbtool_serve_token": "bench",
 "dbtool_grants": [{"engine": "postgresql", "role": "dbtool_ro"}]}
JSON
export HOME="$WORK" ANSIBLE_COLLECTIONS_PATH="$WORK/collections" ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
  ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
run_play() {
  local start; start=$(now)
  (cd "$WORK" && ansible-playbook -i localhost, site.yml -e @vars.json) > "$WORK/play.log"
  echo "$(seconds "$start") s, $(grep -o 'changed=[0-9]*' "$WORK/play.log" | head -1)"
}
first=$(run_play)
second=$(run_play)

start=$(now)
python3 deploy/container/build-image.py --archive "$ARCHIVE" --output "$WORK/image.tar" >/dev/null
image_time=$(seconds "$start")
image_mb=$(python3 -c 'import os,sys; print("%.1f" % (os.path.getsize(sys.argv[1]) / 1e6))' "$WORK/image.tar")
archive_mb=$(python3 -c 'import os,sys; print("%.1f" % (os.path.getsize(sys.argv[1]) / 1e6))' "$ARCHIVE")

start=$(now)
for _ in 1 2 3 4 5 6 7 8 9 10; do distribution/target/dbtool/bin/dbtool grants postgresql >/dev/null; done
grants_ms=$(python3 -c 'import sys,time; print("%.0f" % ((time.time() - float(sys.argv[1])) * 100))' "$start")

echo "| what | measured |"
echo "|---|---|"
echo "| Ansible role, first run (install, config, grants file, unit) | $first |"
echo "| Ansible role, second run | $second |"
echo "| container image build from the archive | $image_time s, $image_mb MB image tar (archive $archive_mb MB) |"
echo "| \`dbtool grants postgresql\` (mean of 10, new process each) | $grants_ms ms |"
