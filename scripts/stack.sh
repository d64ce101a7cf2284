#!/usr/bin/env bash
# `make stack`: the portal as several servers would run it, on this machine, loopback only (issue 14).
#   one PostgreSQL, one Redis (cache; sessions cached_db), two gunicorn instances (production settings, two
#   workers each) behind one nginx (TLS, static files and public media), one task worker (django-tasks-db),
#   media on the local disk. Everything lives in a temporary folder and stops on exit (Ctrl-C).
#   scripts/stack.sh serve        serves until Ctrl-C (make stack)
#   scripts/stack.sh load         starts it, runs bench/load.py (load, then the faults) and stops (make load)
#   scripts/stack.sh fault NAME   used by bench/load.py: pg-restart, redis-stop, redis-start, worker-kill
# Ports: STACK_PORT (nginx, 8780), STACK_APP_PORTS (gunicorn, "8781 8782"), STACK_PG_PORT (5445),
# STACK_REDIS_PORT (6390). SCALE=small|full also seeds the Atlas at that scale. STACK_KEEP=1 keeps the folder
# (logs) after exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
port=${STACK_PORT:-8780} app_ports=(${STACK_APP_PORTS:-8781 8782})
pg_port=${STACK_PG_PORT:-5445} redis_port=${STACK_REDIS_PORT:-6390}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Faults, on a running stack (its folder is in STACK_DIR).
if [ "${1:-}" = fault ]; then
  dir=${STACK_DIR:?STACK_DIR is the running stack\'s folder}
  case "$2" in
    pg-restart)  # A real restart with a few seconds without a database, as a failover or an upgrade.
      as_owner "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null
      sleep "${PG_DOWN_SECONDS:-4}"
      as_owner "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -o "$(cat "$dir/pg.options")" start >/dev/null
      ;;
    redis-stop) redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true ;;
    redis-start) redis-server "$dir/redis.conf" ;;
    worker-kill) kill -KILL "$(cat "$dir/worker.pid")" ;;
    *) echo "unknown fault: $2" >&2; exit 2 ;;
  esac
  exit 0
fi

mode=${1:-serve}
say() { echo "[stack] $*" >&2; }

# What the stack needs from the system (Debian's nginx and redis-server) and from PyPI (Redis client).
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v openssl >/dev/null || missing+=(openssl)
[ -x "$pg_bin/initdb" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "Installation des paquets système : ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "Paquets système manquants : ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
PATH=$PATH:/usr/sbin
$PY -c "import redis" 2>/dev/null || $PY -m pip install --quiet --disable-pip-version-check \
  $(grep -E '^(redis|django-storages)==' requirements-prod.lock)

dir=$(mktemp -d /tmp/portal-stack.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  trap - EXIT INT TERM
  say "arrêt"
  [ -f "$dir/supervisor.pid" ] && kill "$(cat "$dir/supervisor.pid")" 2>/dev/null
  [ -f "$dir/worker.pid" ] && kill "$(cat "$dir/worker.pid")" 2>/dev/null
  [ -f "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  bash scripts/postgres.sh stop "$dir/pg"
  if [ "${STACK_KEEP:-}" = 1 ]; then say "journaux gardés dans $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_port() {
  for _ in $(seq 150); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return 0
    sleep 0.2
  done
  say "nothing answers on port $1 ($2)"; return 1
}

say "PostgreSQL (port $pg_port)"
DATABASE_URL=$(bash scripts/postgres.sh start "$dir/pg" "$pg_port")
echo "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >"$dir/pg.options"

say "Redis (port $redis_port)"
mkdir -p "$dir/redis"
# A cache: no persistence; its memory bounded, least recently used keys evicted first.
cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir/redis
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
CONF
redis-server "$dir/redis.conf"

export DATABASE_URL REDIS_URL=redis://127.0.0.1:$redis_port/1
export DJANGO_SETTINGS_MODULE=portal.settings.production SECURE_SSL_REDIRECT=0 \
  SECRET_KEY=stack-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  ALLOWED_HOSTS=127.0.0.1,localhost TRUSTED_PROXIES=127.0.0.1 \
  CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$port \
  WAGTAILADMIN_BASE_URL=https://127.0.0.1:$port \
  MEDIA_ROOT=$dir/media PRIVATE_MEDIA_ROOT=$dir/private-media \
  EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
  SECURE_HSTS_SECONDS=0 DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
# No HSTS: a browser would otherwise keep refusing plain HTTP on this machine's name for a year.
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
# `source <folder>/env` gives another shell the stack's settings (manage.py shell, bench/load.py's faults).
export -p | grep -E ' (DATABASE_URL|REDIS_URL|DJANGO_SETTINGS_MODULE|SECURE_[A-Z_]+|SECRET_KEY|ALLOWED_HOSTS|TRUSTED_PROXIES|CSRF_TRUSTED_ORIGINS|WAGTAILADMIN_BASE_URL|MEDIA_ROOT|PRIVATE_MEDIA_ROOT|EMAIL_BACKEND|DB_CONN_MAX_AGE)=' >"$dir/env"
echo "export STACK_DIR=$dir STACK_URL=https://127.0.0.1:$port" >>"$dir/env"

say "migrate, demo${SCALE:+, Atlas $SCALE}, messages, static files"
$PY manage.py migrate --no-input -v0
$PY manage.py demo --quiet
[ -n "${SCALE:-}" ] && $PY manage.py seed_atlas --scale "$SCALE" --reset
$PY manage.py compilemessages --ignore=.venv --ignore=node_modules -v0 2>/dev/null || true
$PY manage.py collectstatic --no-input -v0
static_root=$($PY -c "import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)")

say "gunicorn × ${#app_ports[@]} (ports ${app_ports[*]})"
for app_port in "${app_ports[@]}"; do
  .venv/bin/gunicorn portal.wsgi --workers 2 --bind "127.0.0.1:$app_port" --name "portal-$app_port" \
    --timeout 120 --graceful-timeout 10 --log-level warning --error-logfile "$dir/gunicorn-$app_port.log" &
  pids+=($!)
done

say "task worker (django-tasks-db, restarted if it dies)"
# As systemd's Restart=always would: a killed worker is started again, and it queues again what it left.
(
  trap 'kill "$(cat "$dir/worker.pid")" 2>/dev/null; exit 0' TERM
  while :; do
    $PY manage.py task_worker --interval 0.5 --no-startup-delay -v0 >>"$dir/worker.log" 2>&1 &
    echo $! >"$dir/worker.pid"
    wait $! || true
    sleep 1
  done
) &
echo $! >"$dir/supervisor.pid"

say "nginx (https://127.0.0.1:$port)"
mkdir -p "$dir/tls" "$dir/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>/dev/null
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@APP1@|${app_ports[0]}|g" -e "s|@APP2@|${app_ports[1]}|g" \
  -e "s|@STATIC_ROOT@|$static_root|g" -e "s|@MEDIA_ROOT@|$MEDIA_ROOT|g" -e "s|@USER@|$(id -un)|g" \
  scripts/stack/nginx.conf >"$dir/nginx.conf"
nginx -t -q -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off;" 2>>"$dir/nginx-error.log" &
pids+=($!)
for app_port in "${app_ports[@]}"; do wait_for_port "$app_port" gunicorn; done
wait_for_port "$port" nginx

export STACK_DIR=$dir STACK_URL=https://127.0.0.1:$port
if [ "$mode" = load ]; then
  $PY bench/load.py
else
  say "Le portail tourne sur https://127.0.0.1:$port/ (certificat de test) — comptes de démonstration, mot de passe demo-portail-2026. Ctrl-C pour tout arrêter."
  say "Journaux : $dir"
  wait "${pids[@]}"
fi
