#!/usr/bin/env bash
# Install everything and run all the tests: once on SQLite (the embedded default), once on the
# machine's PostgreSQL (started here if it is stopped). Extra arguments go to pytest.
#   scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export TOANCANH_DATA_DIR="${TOANCANH_DATA_DIR:-$(mktemp -d)}"
# On every core (pytest-xdist); the tests that share the demo server stay on one worker (conftest.py).
# The slowest tests are named at the end of each run, to keep the suite within its time.
PARALLEL=(-n "${TOANCANH_TEST_WORKERS:-auto}" --dist loadgroup --durations=25)
PG_URL="${TOANCANH_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/toancanh}"

ensure_postgres() {
  if ! .venv/bin/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
PY
  then
    echo "==> starting PostgreSQL"
    command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    sleep 2
  fi
}

echo "==> lint and migration checks"
.venv/bin/ruff check toancanh bench
.venv/bin/ruff format --check -q toancanh bench
.venv/bin/lint-imports --no-cache  # the import contracts (.importlinter)
env -u DATABASE_URL .venv/bin/python -m django makemigrations --check --dry-run --settings=toancanh.settings >/dev/null \
  || { echo "error: models changed without a migration (run: python -m django makemigrations)" >&2; exit 1; }

echo "==> tests on SQLite"
env -u DATABASE_URL .venv/bin/python -m pytest "${PARALLEL[@]}" "$@"
ensure_postgres
echo "==> tests on PostgreSQL"
# Databases a crashed earlier run may have left behind (with sessions still open) are dropped first.
.venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
with psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None,
                     dbname="postgres", autocommit=True) as con:
    # Exactly the suite's own databases: Django's test database (one per pytest-xdist worker, test_NAME_gwN)
    # and those of the servers and workers the tests start (NAME_<purpose>_gwN, NAME_<purpose>_main).
    n = c["NAME"].replace("_", r"\_")
    rows = con.execute("SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s OR datname LIKE %s"
                       " OR datname LIKE %s", [f"test_{c['NAME']}", f"test\\_{n}\\_gw%", f"{n}\\_%\\_gw%", f"{n}\\_%\\_main"])
    for (name,) in rows.fetchall():
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "${PARALLEL[@]}" "$@"
