#!/usr/bin/env bash
# Install storyline and everything it needs into the current Python (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
$PY -m pip install --quiet --upgrade "pip>=24" 2>/dev/null || true
$PY -m pip install --quiet -e ".[dev]"
