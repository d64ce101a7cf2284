#!/usr/bin/env bash
# What the test suite needs from the system: Debian's Chromium (browser tests, no download) and
# WeasyPrint's libraries (PDF). Installs them through apt when run as root; otherwise says what to install.
set -euo pipefail
packages=()
command -v chromium >/dev/null || packages+=(chromium)
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$lib" >/dev/null 2>&1 || packages+=("$lib")
done
command -v msgfmt >/dev/null || packages+=(gettext)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installation des paquets système : ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "Paquets système manquants : ${packages[*]}"
  echo "Installez-les, par exemple : sudo apt-get install ${packages[*]}"
  exit 1
fi
