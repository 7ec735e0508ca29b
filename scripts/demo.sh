#!/usr/bin/env bash
# Install everything and start the demo IOC on the embedded default (SQLite under ./var).
#   scripts/demo.sh [--port 8000]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/toancanh demo "$@"
