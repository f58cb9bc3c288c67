#!/usr/bin/env bash
# Makes the local MariaDB and PostgreSQL ready for change data capture, on any Debian machine.
#
# Installs the servers when absent, starts them when stopped, enables the MariaDB binlog
# (ROW, FULL row image, server id) and PostgreSQL logical decoding, restarting a server only
# when its settings changed, and creates the local users and databases the pipeline, the demo
# and the tests use. Installs kubectl when absent, for the k8s module's tests, which render the
# kustomize overlays, and dynalite (a DynamoDB API server) for the DynamoDB failed-events
# tests. Safe to run any number of times; says what it changed; stops at the first error.
#
# Local-only credentials; override them through the environment:
#   LAKEHOUSE_CDC_PASSWORD    password of lakehouse_cdc (least-privilege CDC reader)
#   LAKEHOUSE_ADMIN_PASSWORD  password of lakehouse (owns the control-plane/warehouse databases,
#                             creates demo and test schemas)
#   LAKEHOUSE_DYNALITE_DIR    where dynalite is installed (default /opt/lakehouse-cdc/dynalite)
set -euo pipefail

CDC_USER=lakehouse_cdc
CDC_PASSWORD=${LAKEHOUSE_CDC_PASSWORD:-lakehouse-cdc-local}
ADMIN_USER=lakehouse
ADMIN_PASSWORD=${LAKEHOUSE_ADMIN_PASSWORD:-lakehouse-local}
CONTROL_DB=lakehouse_control
WAREHOUSE_DB=warehouse
MARIADB_CNF_DIR=/etc/mysql/conf.d
MARIADB_CNF=$MARIADB_CNF_DIR/lakehouse-cdc.cnf

say() { printf 'local-services: %s\n' "$*"; }
fail() { printf 'local-services: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (sudo $0): it installs and configures system services"

has_systemd() { [ -d /run/systemd/system ]; }

apt_updated=false
install_packages() {
  if ! $apt_updated; then
    say "updating package lists"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed; check the network or the apt sources"
    apt_updated=true
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || fail "apt-get install $* failed"
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  fail "$what did not come up within 60 s"
}

# ---------------------------------------------------------------- MariaDB
maria() { mariadb --protocol=socket -uroot -N -B "$@"; }
# log_bin reads as ON/OFF on MariaDB and 1/0 on MySQL; normalise to ON/OFF.
WANTED_BINLOG="ON,ROW,FULL,1"
maria_binlog_settings() {
  maria -e "SELECT CONCAT_WS(',', IF(@@log_bin IN ('ON', '1'), 'ON', 'OFF'), @@binlog_format, @@binlog_row_image, @@server_id)"
}
maria_alive() { mariadb-admin --protocol=socket -uroot ping; }

maria_start() {
  if has_systemd; then
    systemctl start mariadb
  else
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
  wait_for "MariaDB" maria_alive
}

maria_restart() {
  if has_systemd; then
    systemctl restart mariadb
  else
    mariadb-admin --protocol=socket -uroot shutdown
    for _ in $(seq 1 60); do pgrep -x mariadbd >/dev/null || break; sleep 1; done
    pgrep -x mariadbd >/dev/null && fail "MariaDB did not stop within 60 s"
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
  wait_for "MariaDB" maria_alive
}

setup_mariadb() {
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
    install_packages mariadb-server mariadb-client
  fi
  if ! maria_alive >/dev/null 2>&1; then
    say "starting MariaDB"
    maria_start
  fi

  local wanted
  wanted=$(cat <<'CNF'
# Written by lakehouse-cdc scripts/local-services.sh: binlog settings for change data capture.
[mysqld]
log_bin = mysql-bin
binlog_format = ROW
binlog_row_image = FULL
server_id = 1
binlog_expire_logs_seconds = 259200
CNF
)
  local config_changed=false
  mkdir -p "$MARIADB_CNF_DIR"
  if [ ! -f "$MARIADB_CNF" ] || [ "$(cat "$MARIADB_CNF")" != "$wanted" ]; then
    printf '%s\n' "$wanted" > "$MARIADB_CNF"
    say "wrote $MARIADB_CNF (binlog ROW, FULL row image, server_id 1)"
    config_changed=true
  fi
  local main_cnf=/etc/mysql/my.cnf
  if [ -f "$main_cnf" ] && ! grep -Eq "^\!includedir[[:space:]]+$MARIADB_CNF_DIR/?[[:space:]]*$" "$main_cnf"; then
    printf '\n!includedir %s/\n' "$MARIADB_CNF_DIR" >> "$main_cnf"
    say "made $main_cnf include $MARIADB_CNF_DIR"
    config_changed=true
  fi

  local running
  running=$(maria_binlog_settings)
  if [ "$running" != "$WANTED_BINLOG" ]; then
    say "restarting MariaDB to apply binlog settings (was: log_bin,format,row_image,server_id = $running)"
    maria_restart
    running=$(maria_binlog_settings)
    [ "$running" = "$WANTED_BINLOG" ] || fail "MariaDB still runs with $running after restart; another option file overrides $MARIADB_CNF (see mariadbd --print-defaults)"
  elif $config_changed; then
    say "MariaDB already runs with these settings; no restart needed"
  fi

  local existing
  existing=$(maria -e "SELECT COUNT(*) FROM mysql.user WHERE user IN ('$CDC_USER','$ADMIN_USER')")
  maria <<SQL
CREATE USER IF NOT EXISTS '$CDC_USER'@'%' IDENTIFIED BY '$CDC_PASSWORD';
ALTER USER '$CDC_USER'@'%' IDENTIFIED BY '$CDC_PASSWORD';
GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$CDC_USER'@'%';
CREATE USER IF NOT EXISTS '$ADMIN_USER'@'%' IDENTIFIED BY '$ADMIN_PASSWORD';
ALTER USER '$ADMIN_USER'@'%' IDENTIFIED BY '$ADMIN_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$ADMIN_USER'@'%' WITH GRANT OPTION;
SQL
  [ "$existing" = "2" ] || say "created MariaDB users $CDC_USER (SELECT, REPLICATION SLAVE, REPLICATION CLIENT) and $ADMIN_USER"
  say "MariaDB ready: binlog ROW/FULL on 127.0.0.1:3306"
}

# ---------------------------------------------------------------- PostgreSQL
pg() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -t -A "$@"; }
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }
pg_alive() { runuser -u postgres -- pg_isready -q; }

pg_ctl_cluster() { # action
  local version; version=$(pg_version)
  if has_systemd; then
    systemctl "$1" "postgresql@$version-main"
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main "$1"
  fi
}

setup_postgres() {
  if [ -z "$(pg_version)" ]; then
    install_packages postgresql postgresql-client
  fi
  if ! pg_alive; then
    say "starting PostgreSQL $(pg_version)"
    pg_ctl_cluster start
    wait_for "PostgreSQL" pg_alive
  fi

  local changed
  changed=$(pg -d postgres <<'SQL'
SELECT name FROM pg_settings
 WHERE (name = 'wal_level' AND setting <> 'logical')
    OR (name = 'max_replication_slots' AND setting::int < 20)
    OR (name = 'max_wal_senders' AND setting::int < 20);
SQL
)
  if [ -n "$changed" ]; then
    pg -d postgres -c "ALTER SYSTEM SET wal_level = 'logical'" \
                   -c "ALTER SYSTEM SET max_replication_slots = 20" \
                   -c "ALTER SYSTEM SET max_wal_senders = 20" \
                   -c "SELECT pg_reload_conf()" >/dev/null
    say "set wal_level=logical, max_replication_slots=20, max_wal_senders=20 (was off for: $(echo $changed))"
  fi
  if [ "$(pg -d postgres -c "SELECT bool_or(pending_restart) FROM pg_settings")" = "t" ]; then
    say "restarting PostgreSQL to apply pending settings"
    pg_ctl_cluster restart
    wait_for "PostgreSQL" pg_alive
  fi
  [ "$(pg -d postgres -c 'SHOW wal_level')" = "logical" ] || fail "PostgreSQL wal_level is not logical after restart; check postgresql.conf for an override"

  pg -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$CDC_USER') THEN
    CREATE ROLE $CDC_USER LOGIN REPLICATION;
    RAISE NOTICE 'created PostgreSQL role $CDC_USER (LOGIN REPLICATION)';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ADMIN_USER') THEN
    CREATE ROLE $ADMIN_USER LOGIN CREATEDB;
    RAISE NOTICE 'created PostgreSQL role $ADMIN_USER (LOGIN CREATEDB)';
  END IF;
END
\$\$;
ALTER ROLE $CDC_USER LOGIN REPLICATION PASSWORD '$CDC_PASSWORD';
ALTER ROLE $ADMIN_USER LOGIN CREATEDB PASSWORD '$ADMIN_PASSWORD';
-- The CDC reader may read what the admin creates, nothing more.
ALTER DEFAULT PRIVILEGES FOR ROLE $ADMIN_USER GRANT SELECT ON TABLES TO $CDC_USER;
SQL
  for db in "$CONTROL_DB" "$WAREHOUSE_DB"; do
    if [ -z "$(pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      pg -d postgres -c "CREATE DATABASE $db OWNER $ADMIN_USER"
      say "created PostgreSQL database $db"
    fi
  done
  say "PostgreSQL ready: wal_level=logical on 127.0.0.1:5432"
}

# ---------------------------------------------------------------- kubectl
# The k8s overlays need the kustomize of kubectl 1.27 or newer; Debian's kubernetes-client is
# older (1.20), so a kubectl already on the machine is kept, and an old one is only reported.
setup_kubectl() {
  if ! command -v kubectl >/dev/null; then
    install_packages kubernetes-client
  fi
  local kustomize
  kustomize=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\)\..*/\1/p' || true)
  if [ -z "$kustomize" ] || [ "$kustomize" -lt 5 ]; then
    say "warning: $(command -v kubectl) embeds a kustomize older than v5; the k8s module's tests need kubectl 1.27 or newer"
  else
    say "kubectl ready: $(command -v kubectl), kustomize v$kustomize"
  fi
}

# ---------------------------------------------------------------- dynalite
# An open-source server of the DynamoDB API (MIT), which the DynamoDB failed-events store's tests
# start on a port of their own: Amazon's DynamoDB Local comes under the vendor's own terms.
DYNALITE_VERSION=4.0.0
DYNALITE_DIR=${LAKEHOUSE_DYNALITE_DIR:-/opt/lakehouse-cdc/dynalite}
setup_dynalite() {
  if ! command -v npm >/dev/null; then
    install_packages nodejs npm
  fi
  local installed
  installed=$(node -p "require('$DYNALITE_DIR/node_modules/dynalite/package.json').version" 2>/dev/null || true)
  if [ "$installed" != "$DYNALITE_VERSION" ]; then
    mkdir -p "$DYNALITE_DIR"
    npm install --prefix "$DYNALITE_DIR" --no-audit --no-fund --silent "dynalite@$DYNALITE_VERSION" >/dev/null \
      || fail "npm install dynalite@$DYNALITE_VERSION failed; check the npm registry"
    say "installed dynalite $DYNALITE_VERSION in $DYNALITE_DIR"
  fi
  say "dynalite ready: $DYNALITE_DIR/node_modules/.bin/dynalite"
}

setup_mariadb
setup_postgres
setup_kubectl
setup_dynalite
