#!/usr/bin/env bash
# Makes sure what the app and the tests need answers: PostgreSQL and Redis (and, with
# --with-chromium, Chromium for the Swagger UI browser test; with --with-promtool, Prometheus'
# promtool, which lints GET /metrics in the e2e suite; with --with-haproxy, HAProxy, the load
# balancer of the scale-out resilience suite). Used by `npm start`, `npm test`
# and .ci/run. A service that already answers is left alone, so this is quick and needs no
# network when nothing is missing. Otherwise, on Debian/Ubuntu, it installs the missing OS
# packages (apt-get, as root or through sudo -n) and starts what is stopped; elsewhere it
# prints what to install and exits 1.
#
#   bash scripts/ensure-services.sh [--with-chromium] [--with-promtool] [--with-haproxy]
#
# Where: PG_HOST, PG_PORT, PG_USER (127.0.0.1, 5432, postgres; PGPASSWORD if any), REDIS_HOST,
# REDIS_PORT (127.0.0.1, 6379), CHROMIUM_PATH (/usr/bin/chromium, as the test). A service on
# another host is only waited for. On a port where no PostgreSQL cluster is configured, a
# cluster is created (Debian's pg_createcluster), so PG_PORT=55432 REDIS_PORT=56379 gives a
# second, throwaway pair next to the machine's own.
set -euo pipefail

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
SERVICE_WAIT_SECONDS="${SERVICE_WAIT_SECONDS:-60}"
WITH_CHROMIUM=false
WITH_PROMTOOL=false
WITH_HAPROXY=false

for arg in "$@"; do
  case "$arg" in
    --with-chromium) WITH_CHROMIUM=true ;;
    --with-promtool) WITH_PROMTOOL=true ;;
    --with-haproxy) WITH_HAPROXY=true ;;
    -h | --help)
      sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      printf 'ensure-services: unknown argument %s (try --help)\n' "$arg" >&2
      exit 2
      ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=false
MISSING=()

say() { printf '[services] %s\n' "$*"; }
fail() {
  printf '[services] %s\n' "$*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    fail "needs root for: $* (run as root, or give this user passwordless sudo, or run it yourself)"
  fi
}

is_local() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
has_apt() { command -v apt-get >/dev/null 2>&1; }
systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

postgres_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}

redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    port_open "$REDIS_HOST" "$REDIS_PORT"
  fi
}

wait_for() {
  local name=$1 check=$2 deadline=$((SECONDS + SERVICE_WAIT_SECONDS))
  until "$check"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$name does not answer after ${SERVICE_WAIT_SECONDS}s"
    sleep 1
  done
}

# apt-get update only when something has to be installed: a machine that has it all stays offline.
apt_install() {
  say "installing from the OS packages: $*"
  if [ "$APT_UPDATED" = false ]; then
    as_root apt-get update -q </dev/null
    APT_UPDATED=true
  fi
  as_root apt-get install -y -q --no-install-recommends "$@" </dev/null
}

# --- PostgreSQL -----------------------------------------------------------------------------

postgres_installed() { command -v pg_ctlcluster >/dev/null 2>&1 && command -v pg_lsclusters >/dev/null 2>&1; }

# "<version> <cluster>" of the cluster configured on PG_PORT, if any.
postgres_cluster_on_port() {
  pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
}

newest_postgres_version() {
  find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -name '[0-9]*' -printf '%f\n' 2>/dev/null | sort -n | tail -1
}

# Debian's default is scram for host connections; the app and the tests connect as postgres
# without a password. Only clusters this script installed or created are changed.
trust_local_postgres() {
  local hba="/etc/postgresql/$1/$2/pg_hba.conf"
  if ! grep -qE '^host\s+all\s+postgres\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    say "pg_hba.conf of $1/$2: trust user postgres from 127.0.0.1 and ::1"
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
}

start_postgres_cluster() {
  local version=$1 cluster=$2
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  say "starting PostgreSQL cluster $version/$cluster"
  if systemd_running; then
    as_root systemctl start "postgresql@$version-$cluster"
  else
    # Exit code 2 means "already running" (e.g. started by the package's postinst).
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || [ $? -eq 2 ]
  fi
}

ensure_postgres() {
  local where="PostgreSQL on $PG_HOST:$PG_PORT"
  if postgres_answers; then
    say "$where answers"
  elif ! is_local "$PG_HOST"; then
    say "$where does not answer yet: waiting up to ${SERVICE_WAIT_SECONDS}s (not this machine's: nothing to start)"
    wait_for "$where" postgres_answers
  elif ! postgres_installed && ! has_apt; then
    MISSING+=("PostgreSQL >= 13 listening on $PG_HOST:$PG_PORT, user postgres allowed in from 127.0.0.1 without a password (pg_hba.conf: host all postgres 127.0.0.1/32 trust)")
    return
  else
    local changed=false version cluster
    if ! postgres_installed; then
      apt_install postgresql
      changed=true
    fi
    read -r version cluster <<<"$(postgres_cluster_on_port)"
    if [ -z "${cluster:-}" ]; then
      version=$(newest_postgres_version)
      [ -n "$version" ] || fail "PostgreSQL is installed but /usr/lib/postgresql has no server version"
      cluster="da$PG_PORT"
      say "no PostgreSQL cluster on port $PG_PORT: creating $version/$cluster"
      as_root pg_createcluster -p "$PG_PORT" "$version" "$cluster" >/dev/null
      changed=true
    fi
    if [ "$changed" = true ]; then trust_local_postgres "$version" "$cluster"; fi
    start_postgres_cluster "$version" "$cluster"
    if [ "$changed" = true ]; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" reload || true
    fi
    wait_for "$where" postgres_answers
    say "$where answers (cluster $version/$cluster)"
  fi
  # PGPASSWORD (libpq's own variable) is honoured: npm start passes DATABASE_URL's password.
  if command -v psql >/dev/null 2>&1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -w -d postgres -tAc 'SELECT 1' >/dev/null 2>&1 ||
      fail "$where answers, but user $PG_USER cannot log in$([ -n "${PGPASSWORD:-}" ] && echo ' with the password given' || echo ' without a password'): for the default set-up add 'host all postgres 127.0.0.1/32 trust' at the top of its pg_hba.conf and reload it"
  fi
}

# --- Redis ----------------------------------------------------------------------------------

ensure_redis() {
  local where="Redis on $REDIS_HOST:$REDIS_PORT"
  if redis_answers; then
    say "$where answers"
    return
  fi
  if ! is_local "$REDIS_HOST"; then
    say "$where does not answer yet: waiting up to ${SERVICE_WAIT_SECONDS}s (not this machine's: nothing to start)"
    wait_for "$where" redis_answers
    return
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if ! has_apt; then
      MISSING+=("Redis >= 6.2 listening on $REDIS_HOST:$REDIS_PORT")
      return
    fi
    apt_install redis-server
  fi
  # The package's postinst may have started it already (on 6379).
  if ! redis_answers; then
    if systemd_running && [ "$REDIS_PORT" = 6379 ] && systemctl cat redis-server.service >/dev/null 2>&1; then
      say "starting redis-server.service"
      as_root systemctl start redis-server
    else
      say "starting redis-server on port $REDIS_PORT (no persistence: the outbox in PostgreSQL is the durable record)"
      as_root mkdir -p /var/lib/redis /var/log/redis
      as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
        --save '' --appendonly no --dir /var/lib/redis \
        --pidfile "/var/run/redis-da-$REDIS_PORT.pid" --logfile "/var/log/redis/da-$REDIS_PORT.log"
    fi
  fi
  wait_for "$where" redis_answers
  say "$where answers"
}

# --- Chromium (the Swagger UI browser test; playwright-core downloads no browser) -----------

ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ]; then
    [ -z "${CHROMIUM_PATH:-}" ] || fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
    if ! has_apt; then
      MISSING+=("Chromium or Chrome for the Swagger UI browser test (then set CHROMIUM_PATH to its executable if it is not /usr/bin/chromium)")
      return
    fi
    if ! apt-cache show chromium >/dev/null 2>&1; then
      # Ubuntu has no chromium .deb (chromium-browser is a snap); Debian has.
      MISSING+=("Chromium or Chrome for the Swagger UI browser test: e.g. Google Chrome's .deb, then CHROMIUM_PATH=/usr/bin/google-chrome")
      return
    fi
    apt_install chromium
    chromium=/usr/bin/chromium
    [ -x "$chromium" ] || fail "no Chromium at $chromium after installing it"
  fi
  say "Chromium: $chromium ($("$chromium" --version 2>/dev/null | head -1))"
}

# --- promtool (Debian's prometheus package; only its promtool binary is used) -------------

ensure_promtool() {
  if command -v promtool >/dev/null 2>&1; then return; fi
  if ! has_apt; then
    MISSING+=("promtool (Prometheus) for the metrics lint test")
    return
  fi
  apt_install prometheus
  command -v promtool >/dev/null 2>&1 || fail "no promtool after installing prometheus"
  say "promtool: $(command -v promtool)"
}

# --- HAProxy (Debian's haproxy package; the scale-out suite runs its own instance) ---------

ensure_haproxy() {
  if command -v haproxy >/dev/null 2>&1; then return; fi
  if ! has_apt; then
    MISSING+=("HAProxy >= 2.4 (haproxy on PATH) for the scale-out resilience suite")
    return
  fi
  apt_install haproxy
  command -v haproxy >/dev/null 2>&1 || fail "no haproxy after installing it"
  # The package starts a system haproxy with an empty config; the suite needs only the binary.
  if systemd_running; then as_root systemctl disable --now haproxy >/dev/null 2>&1 || true; fi
  say "HAProxy: $(haproxy -v | head -1)"
}

ensure_postgres
ensure_redis
if [ "$WITH_CHROMIUM" = true ]; then ensure_chromium; fi
if [ "$WITH_PROMTOOL" = true ]; then ensure_promtool; fi
if [ "$WITH_HAPROXY" = true ]; then ensure_haproxy; fi

if [ "${#MISSING[@]}" -gt 0 ]; then
  {
    printf '[services] cannot install this here (no apt-get, or no package for it); install it, then run again:\n'
    printf '[services]   - %s\n' "${MISSING[@]}"
    printf '[services] e.g. macOS: brew install postgresql@16 redis && brew services start postgresql@16 && brew services start redis && createuser -s postgres\n'
    printf '[services]      Fedora: sudo dnf install postgresql-server redis && sudo postgresql-setup --initdb (then the pg_hba.conf line above) && sudo systemctl start postgresql redis\n'
    printf '[services] or run everything in containers: docker compose up --build (README)\n'
  } >&2
  exit 1
fi
