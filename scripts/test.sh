#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, start PostgreSQL, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/pg.sh)"
set +e
python3 -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "no tests ran: failing" >&2; exit 1; fi
exit "$rc"
