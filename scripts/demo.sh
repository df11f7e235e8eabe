#!/usr/bin/env bash
# Set up on a fresh clone, ingest the bundled examples into ./storyline.db and print the timeline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
storyline ingest examples/caucasus-ledger-geneva-talks.txt --published 2025-10-14 --outlet "Caucasus Ledger"
storyline ingest examples/eurasia-wire-geneva-talks.html examples/geneva-dispatch-feed.xml
storyline timeline
storyline stories
storyline deadlines --as-of 2025-10-16
