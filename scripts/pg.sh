#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the store tests and print its URL.
# Installs PostgreSQL with apt-get where it is absent.  Usage: eval "$(scripts/pg.sh)"
set -euo pipefail
PORT=${STORYLINE_PG_PORT:-54329}
DIR=${STORYLINE_PG_DIR:-/tmp/storyline-pg-$PORT}
find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}
BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  echo "installing PostgreSQL with apt-get" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  BIN=$(find_bin)
fi
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUNAS=(runuser -u postgres --)
fi
exec 9>"/tmp/storyline-pg-$PORT.lock"
flock 9   # several test runs on one machine: one starts the server, the others reuse it
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ -d "$DIR/data" ] && "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  "${RUNAS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --encoding=UTF8 >/dev/null
  "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
     -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 9>&-   # the server must not hold the lock
fi
echo "export STORYLINE_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
