#!/usr/bin/env bash
# Two gates of `make lint`, run on a throw-away copy of the sources so that they never change the work tree:
#  - the message catalogues hold every string makemessages finds (same arguments as `make messages`);
#    only the POT-Creation-Date header and the `#:` source references may differ;
#  - collectstatic succeeds with the production settings (the manifest storage fails on a CSS url() to a
#    missing file), into the copy's own STATIC_ROOT.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=${PY:-.venv/bin/python}
py=$(cd "$(dirname "$py")" && pwd)/$(basename "$py")

copy=$(mktemp -d /tmp/portal-lint.XXXXXX)
trap 'rm -rf "$copy"' EXIT
# The sources without what is installed or generated; static/ (with its vendored libraries) is linked.
tar --exclude=./.git --exclude=./.venv --exclude=./node_modules --exclude=./static --exclude=./staticfiles \
  --exclude=./media --exclude=./private-media --exclude=./tmp --exclude=./.make --exclude=./db.sqlite3 \
  -cf - . | tar -xf - -C "$copy"
ln -s "$root/static" "$copy/static"
cd "$copy"

"$py" manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules --ignore=static --ignore=tests -v0
stale=0
for po in locale/*/LC_MESSAGES/django.po; do
  if ! diff -u -I '^"POT-Creation-Date: ' -I '^#: ' "$root/$po" "$po"; then
    stale=1
  fi
done
if [ "$stale" -ne 0 ]; then
  echo "Les catalogues de traduction ne sont pas à jour : lancez « make messages », traduisez, puis committez locale/." >&2
  echo "The message catalogues are out of date: run \`make messages\`, translate, then commit locale/." >&2
  exit 1
fi

SECRET_KEY=lint-only-$RANDOM$RANDOM$RANDOM$RANDOM-key-for-collectstatic ALLOWED_HOSTS=portail.example.org \
  DJANGO_SETTINGS_MODULE=portal.settings.production "$py" manage.py collectstatic --no-input -v0 || {
  echo "collectstatic échoue avec les réglages de production / collectstatic fails with the production settings." >&2
  exit 1
}
