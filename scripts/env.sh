# Sourced by the project's scripts: selects JDK 25 and makes sure PostgreSQL's and MariaDB's server
# binaries, Prometheus (with promtool and postgres_exporter) and Alertmanager, for dbtool serve's
# end-to-end tests and bench, are there, installing Debian's postgresql, mariadb-server, prometheus,
# prometheus-postgres-exporter and prometheus-alertmanager packages when they are missing (and we may).

find_jdk25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null || true)
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk25); then
  echo "error: no JDK 25 found (looked at JAVA_HOME and /usr/lib/jvm/temurin-25*). Install Temurin 25 and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

have_pg_server() {
  [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ] && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  ls /usr/pgsql-*/bin/initdb >/dev/null 2>&1 && return 0
  command -v initdb >/dev/null 2>&1
}

if ! have_pg_server; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL server binaries missing: installing Debian's postgresql package..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    # The package starts a system cluster we do not need: tests start their own.
    (command -v pg_ctlcluster >/dev/null && pg_ctlcluster --force 15 main stop) >/dev/null 2>&1 || true
  else
    echo "warning: no PostgreSQL server binaries found; install them (apt-get install postgresql) or set PG_BINDIR" >&2
  fi
fi

have_mariadb_server() {
  [ -n "${MARIADB_BINDIR:-}" ] && [ -x "$MARIADB_BINDIR/mariadbd" ] && return 0
  [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null 2>&1
}

if ! have_mariadb_server; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "MariaDB server binaries missing: installing Debian's mariadb-server package..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >&2
    # The package starts a system server we do not need (tests start their own on free ports).
    (systemctl stop mariadb || service mariadb stop || invoke-rc.d mariadb stop) >/dev/null 2>&1 || true
  else
    echo "warning: no MariaDB server binaries found; install them (apt-get install mariadb-server) or set MARIADB_BINDIR" >&2
  fi
fi

have_prometheus() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 \
    && command -v prometheus-postgres-exporter >/dev/null 2>&1
}

if ! have_prometheus; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Prometheus missing: installing Debian's prometheus and prometheus-postgres-exporter packages..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-postgres-exporter >&2
    # The packages start system services we do not need (tests start their own on free ports).
    (service prometheus stop; service prometheus-postgres-exporter stop) >/dev/null 2>&1 || true
  else
    echo "warning: no prometheus/promtool found; install them (apt-get install prometheus prometheus-postgres-exporter)" >&2
  fi
fi

# dbtool serve's end-to-end test: a real Alertmanager delivering its webhook (testkit starts it on a
# free loopback port with a configuration of its own; the package's system service is not used).
have_alertmanager() {
  [ -n "${ALERTMANAGER_BIN:-}" ] && [ -x "$ALERTMANAGER_BIN" ] && return 0
  command -v prometheus-alertmanager >/dev/null 2>&1
}

if ! have_alertmanager; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Alertmanager missing: installing Debian's prometheus-alertmanager package..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >&2
    (systemctl stop prometheus-alertmanager || service prometheus-alertmanager stop || invoke-rc.d prometheus-alertmanager stop) >/dev/null 2>&1 || true
  else
    echo "warning: no Alertmanager found; install it (apt-get install prometheus-alertmanager) or set ALERTMANAGER_BIN" >&2
  fi
fi

# deploy/'s tests (distribution's AnsibleRoleIT, ContainerImageIT): Debian's ansible and ansible-lint run the
# Ansible role against this host into a temporary prefix; a static busybox is the container image's shell and
# health-check client (deploy/container/build-image.py).
have_deploy_tools() {
  command -v ansible-playbook >/dev/null 2>&1 && command -v ansible-lint >/dev/null 2>&1 \
    && busybox_path=$(command -v busybox) && ! ldd "$busybox_path" >/dev/null 2>&1
}

if ! have_deploy_tools; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ansible, ansible-lint or a static busybox missing: installing Debian's ansible, ansible-lint and busybox-static..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible ansible-lint busybox-static >&2
  else
    echo "warning: deploy/'s tests need ansible, ansible-lint and busybox-static (apt-get install ansible ansible-lint busybox-static)" >&2
  fi
fi

# The docs' checked console examples pipe dbtool's JSON through jq (distribution's DocsExamplesIT runs them).
if ! command -v jq >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "jq missing: installing Debian's jq package..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jq >&2
  else
    echo "warning: the docs' checked examples need jq (apt-get install jq)" >&2
  fi
fi
