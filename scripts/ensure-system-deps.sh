#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the portal needs when they are missing:
# Python venv support, WeasyPrint's Pango/HarfBuzz, DejaVu fonts (Cyrillic PDFs), gettext
# (translations) and poppler-utils (pdftotext, used by tests). Needs root or sudo to install;
# otherwise it names what is missing and exits 1.
set -euo pipefail

packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core gettext poppler-utils)
if [ "${WITH_BROWSER:-0}" = "1" ]; then
  packages+=(chromium)
fi
if [ "${WITH_SERVERS:-0}" = "1" ]; then  # `make chaos` and tests/test_scaling.py run their own servers
  packages+=(postgresql redis-server haproxy)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "ensure-system-deps: not a Debian/Ubuntu system; make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing+=("$p") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Missing system packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
