#!/usr/bin/env bash
# Backs up and restores the portal two ways on a throw-away PostgreSQL, and checks that nothing is lost:
#   1. pg_dump -Fc of the whole database, pg_restore into a second database;
#   2. atlas_dump of the Atlas, atlas_load into a third database that has only the schema (migrate) and the
#      accounts (the Atlas export names accounts by username; accounts come with the database dump).
# Each copy's `atlas_checksum` (count and checksum of every record, per model) must equal the source's.
# Exits non-zero on any difference. BACKUP_SCALE=small (default) or full; BACKUP_PG_PORT; BACKUP_JSON=file
# also writes the timings and sizes as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
scale=${BACKUP_SCALE:-small} port=${BACKUP_PG_PORT:-5446}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/portal-backup.XXXXXX)
cleanup() {
  bash scripts/postgres.sh stop "$dir"
  rm -rf "$dir"
}
trap cleanup EXIT

bash scripts/postgres.sh start "$dir" "$port" >/dev/null
url() { echo "postgres://portal:portal@127.0.0.1:$port/$1"; }
pg() { PGPASSWORD=portal "$bin/$1" -h 127.0.0.1 -p "$port" -U portal "${@:2}"; }
declare -A seconds
timed() {  # timed NAME command...: runs the command, keeps its duration
  local name=$1 start
  shift
  start=$(date +%s.%N)
  "$@"
  seconds[$name]=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
  echo "  $name: ${seconds[$name]} s" >&2
}
size() { stat -c %s "$1"; }

echo "Source database: migrate, demo, seed_atlas --scale $scale" >&2
export DATABASE_URL=$(url portal)
$PY manage.py migrate --no-input -v0
$PY manage.py demo --quiet
timed seed $PY manage.py seed_atlas --scale "$scale" --reset >/dev/null
timed checksum $PY manage.py atlas_checksum >"$dir/source.txt"
cat "$dir/source.txt"

echo "1. pg_dump -Fc, then pg_restore into a second database" >&2
timed pg_dump pg pg_dump -Fc -f "$dir/portal.dump" portal
pg createdb portal_restored
timed pg_restore pg pg_restore --no-owner --exit-on-error -d portal_restored "$dir/portal.dump"
DATABASE_URL=$(url portal_restored) $PY manage.py atlas_checksum >"$dir/restored.txt"
status=0
if diff -u "$dir/source.txt" "$dir/restored.txt" >&2; then
  echo "  pg_dump/pg_restore: identical Atlas records" >&2
else
  echo "  pg_dump/pg_restore: DIFFERENT Atlas records" >&2
  status=1
fi
# Beyond the Atlas: the number of rows of every table of the database (pages, accounts, dossiers, tasks...).
table_counts() {
  pg psql -At -d "$1" <<'SQL' | tr '|' ' '
SELECT format('SELECT %L, count(*) FROM %I', tablename, tablename)
  FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
}
table_counts portal >"$dir/source-tables.txt"
table_counts portal_restored >"$dir/restored-tables.txt"
if diff -u "$dir/source-tables.txt" "$dir/restored-tables.txt" >&2; then
  echo "  pg_dump/pg_restore: same row count in each of $(wc -l <"$dir/source-tables.txt") tables" >&2
else
  echo "  pg_dump/pg_restore: DIFFERENT row counts" >&2
  status=1
fi

echo "2. atlas_dump, then atlas_load into a third database (migrate, accounts)" >&2
timed atlas_dump $PY manage.py atlas_dump "$dir/atlas.jsonl.gz" >/dev/null
pg createdb portal_loaded
export DATABASE_URL=$(url portal_loaded)
$PY manage.py migrate --no-input -v0
# The accounts only (auth_user has no foreign key): who confirmed a part or filed a declaration.
pg pg_dump --data-only --table=auth_user portal | pg psql -q -v ON_ERROR_STOP=1 -d portal_loaded >/dev/null
timed atlas_load $PY manage.py atlas_load "$dir/atlas.jsonl.gz" >/dev/null
$PY manage.py atlas_checksum >"$dir/loaded.txt"
if diff -u "$dir/source.txt" "$dir/loaded.txt" >&2; then
  echo "  atlas_dump/atlas_load: identical" >&2
else
  echo "  atlas_dump/atlas_load: DIFFERENT" >&2
  status=1
fi

records=$(awk '$1 == "total" {print $2}' "$dir/source.txt")
pg_dump_size=$(size "$dir/portal.dump") atlas_size=$(size "$dir/atlas.jsonl.gz")
database_size=$(pg psql -At -d portal -c "SELECT pg_database_size('portal')")
echo "Scale $scale: $records Atlas records; database $((database_size / 1024)) kB, pg_dump -Fc $((pg_dump_size / 1024)) kB, atlas_dump $((atlas_size / 1024)) kB" >&2
if [ -n "${BACKUP_JSON:-}" ]; then
  python3 - "$BACKUP_JSON" <<EOF
import json, sys
json.dump({
    "scale": "$scale", "records": $records, "identical": $([ $status -eq 0 ] && echo True || echo False),
    "bytes": {"database": $database_size, "pg_dump": $pg_dump_size, "atlas_dump": $atlas_size},
    "seconds": {$(for k in "${!seconds[@]}"; do printf '"%s": %s, ' "$k" "${seconds[$k]}"; done)},
}, open(sys.argv[1], "w"), indent=1, sort_keys=True)
EOF
fi
exit $status
