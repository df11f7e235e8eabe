#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, start PostgreSQL, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PG_ENV=$(bash scripts/pg.sh)   # fails the run if PostgreSQL cannot start
eval "$PG_ENV"
set +e
"${PYTHON:-python3}" -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "no tests ran: failing" >&2; exit 1; fi
exit "$rc"
