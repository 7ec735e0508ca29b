#!/usr/bin/env bash
# Install everything Toàn Cảnh needs: a Python >= 3.12 virtual environment (.venv) with the
# project and its dependencies, the front-end libraries (node_modules, from package-lock.json)
# and the compiled translations. Safe to run again: it only redoes what changed.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh --test   and the test tools (pytest, Playwright's driver, Debian's Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  command -v apt-get >/dev/null || { echo "error: please install: $*" >&2; exit 1; }
  [ -n "${_APT_UPDATED:-}" ] || { as_root apt-get update -qq; _APT_UPDATED=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

python_ok() { "$1" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
find_python() {
  local c
  for c in "${TOANCANH_PYTHON:-}" python3.13 python3.12 python3.14 python3; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && python_ok "$c" && { command -v "$c"; return; }
  done
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do
    [ -x "$c" ] && python_ok "$c" && { echo "$c"; return; }
  done
  return 1
}

# --- Python ---------------------------------------------------------------------------------------
if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  PY=$(find_python) || { echo "error: Toàn Cảnh needs Python 3.12 or newer (Django 6); none was found. Install python3.12+ or set TOANCANH_PYTHON." >&2; exit 1; }
  say "creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi
if [ $WITH_TEST = 1 ]; then EXTRAS="[test]"; STAMP=.venv/.installed-test; else EXTRAS=""; STAMP=.venv/.installed; fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  say "installing Python packages$EXTRAS"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$EXTRAS"
  touch "$STAMP"
fi

# --- Front-end libraries from the npm registry (served as static files; no CDN) -----------------
if ! command -v npm >/dev/null; then say "installing Node.js and npm (Debian)"; apt_install nodejs npm; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing front-end libraries (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- Translations -----------------------------------------------------------------------------------
.venv/bin/python -c "from toancanh.core.i18n import compile_catalogs; compile_catalogs()"

# --- Test tools -----------------------------------------------------------------------------------
if [ $WITH_TEST = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  apt_install chromium fonts-noto-core
fi
exit 0
