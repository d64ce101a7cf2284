#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on loopback for CI and the bench; prints the DATABASE_URL to use.
#   scripts/postgres.sh start DIR PORT   -> prints postgres://portal:portal@127.0.0.1:PORT/portal
#   scripts/postgres.sh stop DIR
set -euo pipefail
action=$1 dir=$2 port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL est introuvable (apt-get install postgresql)." >&2; exit 1; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q \
      -c "CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal'" -c "CREATE DATABASE portal OWNER portal" >/dev/null
    echo "postgres://portal:portal@127.0.0.1:$port/portal"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    ;;
esac
