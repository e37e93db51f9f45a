#!/usr/bin/env bash
# One entry point for newcomers and CI. Installs what it needs by itself:
# the Debian packages Qt needs (its xcb platform for a real display, Xvfb for the GUI tests),
# a .venv with the pinned Python packages.
#   ./dev.sh demo   run the default scenario headless: KPI table + results/quickstart/
#   ./dev.sh test   lint, import contracts and the whole test suite (installs chromium for the report tests)
#   ./dev.sh docs   serve the documentation site at http://127.0.0.1:8000 (mkdocs serve)
#   ./dev.sh setup  only install
set -euo pipefail
cd "$(dirname "$0")"

QT_DEBS="libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
# Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6: `ldd` lists these; QT_DEBUG_PLUGINS=1 names what is missing)
QT_XCB_DEBS="libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xinerama0
  libxcb-xkb1 libxkbcommon-x11-0"
TEST_DEBS="xvfb xauth"  # the GUI tests start their own X server and use Qt's xcb platform
VENV=.venv
PY="$VENV/bin/python"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "dev.sh: need root (or sudo) to run: $*" >&2; return 1; fi; }

apt_install() {  # install the named Debian packages that are missing
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing Debian packages: ${missing[*]}" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for c in python3.11 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$c"; return 0; fi
  done
  echo "dev.sh: Python 3.11 is required (python3.11 or python3 on PATH)" >&2; return 1
}

setup() {
  apt_install $QT_DEBS $QT_XCB_DEBS $TEST_DEBS
  local stamp="$VENV/.installed-$(sha1sum requirements.lock | cut -c1-12)"
  [ -f "$stamp" ] && return 0
  local py; py=$(find_python)
  if [ ! -x "$PY" ]; then
    "$py" -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; "$py" -m venv "$VENV"; }
  fi
  echo "dev.sh: installing pinned Python packages into $VENV (first run only)" >&2
  "$PY" -m pip install -q --disable-pip-version-check -r requirements.lock
  rm -f "$VENV"/.installed-*; touch "$stamp"
}

cmd=${1:-help}; shift || true
case "$cmd" in
  setup) setup ;;
  demo)  setup; exec "$PY" main.py run scenarios/quickstart.toml --out results/quickstart "$@" ;;
  test)  setup
         # the report tests open the HTML reports in a real headless browser (Debian's chromium, never downloaded)
         command -v chromium >/dev/null || apt_install chromium \
           || echo "dev.sh: chromium could not be installed; the browser tests will be skipped" >&2
         "$VENV/bin/ruff" check .
         "$VENV/bin/lint-imports"
         exec "$PY" -m pytest "$@" ;;  # tests/gui starts a private Xvfb for Qt's xcb platform
  docs)  setup; NO_MKDOCS_2_WARNING=1 exec "$VENV/bin/mkdocs" serve "$@" ;;
  *) sed -n '2,8p' "$0"; [ "$cmd" = help ] ;;
esac
