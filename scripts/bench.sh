#!/usr/bin/env bash
# Seeds a throw-away PostgreSQL at full scale (SCALE=small for a quick run, SCALE=x10 for ten times the 2012
# Atlas: about ten minutes on two cores), serves the portal with gunicorn on loopback and measures it
# (bench/run.py, which records the scale). Everything stops on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
port=${BENCH_PG_PORT:-54340} http_port=${BENCH_PORT:-8765}
dir=$(mktemp -d /tmp/portal-bench.XXXXXX)
gunicorn_pid=
redis_port=${BENCH_REDIS_PORT:-6392}
cleanup() {
  [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null || true
  [ -n "${REDIS_URL:-}" ] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  bash scripts/postgres.sh stop "$dir"
  rm -rf "$dir"
}
trap cleanup EXIT

export DATABASE_URL=$(bash scripts/postgres.sh start "$dir" "$port")
export BENCH_JSON=${BENCH_JSON:-bench/latest.json} BENCH_PORT=$http_port SCALE=${SCALE:-full}
$PY manage.py migrate --no-input -v0
$PY manage.py demo --quiet
start=$(date +%s.%N)
$PY manage.py seed_atlas --scale "$SCALE" --reset
export SEED_SECONDS=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")

# The shared cache of production (pages, versions, sessions) when Debian's redis-server is there, as in
# `make stack`: without it each worker keeps its own cache and a page-cache hit reads the versions from the
# database. The JSON records which (`cache`).
if command -v redis-server >/dev/null; then
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" >/dev/null
  export REDIS_URL=redis://127.0.0.1:$redis_port/1 BENCH_CACHE=redis
else
  echo "redis-server not found: the bench runs with one cache per worker" >&2
  export BENCH_CACHE=locmem
fi
export DJANGO_SETTINGS_MODULE=portal.settings.production SECURE_SSL_REDIRECT=0 \
  SECRET_KEY=bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') ALLOWED_HOSTS=127.0.0.1,localhost
# A failing collectstatic is reported but does not stop the bench: the rows then record the pages' status.
$PY manage.py collectstatic --no-input -v0 || echo "collectstatic failed: pages using static files may answer 500" >&2
$PY manage.py compilemessages --ignore=.venv --ignore=node_modules -v0 2>/dev/null || true
.venv/bin/gunicorn portal.wsgi -w 2 --bind "127.0.0.1:$http_port" --log-level warning &
gunicorn_pid=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $http_port), 1)" 2>/dev/null && break
  sleep 0.2
done
$PY bench/run.py
