#!/usr/bin/env bash
# Copies the front-end libraries installed by npm into static/vendor/, so pages load them from the
# portal itself and never from another host. Run by `make assets`.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
rm -rf "$dest"
mkdir -p "$dest/leaflet" "$dest/leaflet.markercluster" "$dest/topojson-client" "$dest/world-atlas"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
  "$dest/leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
  node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$dest/leaflet.markercluster/"
cp node_modules/topojson-client/dist/topojson-client.min.js "$dest/topojson-client/"
# Natural Earth country outlines (public domain) as TopoJSON: the world at 1:50m serves both zooms.
cp node_modules/world-atlas/countries-50m.json node_modules/world-atlas/LICENSE "$dest/world-atlas/"
# The 1:110m world is enough for the small map printed in PDF exports, and much quicker to lay out.
cp node_modules/world-atlas/countries-110m.json "$dest/world-atlas/"
cp node_modules/leaflet/LICENSE "$dest/leaflet/LICENSE"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$dest/leaflet.markercluster/" 2>/dev/null || true
# Only the DSFR the portal uses (core, its components, its icons) instead of django-dsfr's 1.2 MB of CSS.
"${PY:-.venv/bin/python}" scripts/build_dsfr_css.py
