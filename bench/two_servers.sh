#!/usr/bin/env bash
# Two app servers, one PostgreSQL, one Redis: a separate check (make two-servers), not part of
# the suite. It makes a database of its own (two_servers_<pid>) on the PostgreSQL server, seeds
# it (bench/seed.py: a clinician, the bench patient and three more, 60 nights each), starts two
# gunicorn instances on two loopback ports with the production settings (debug off) and Redis
# database 13 as their shared cache, runs bench/two_servers.py against them, then stops them,
# drops the database, empties Redis database 13 and removes its folder, whatever happened.
# Exits non-zero when a check fails. About 30 seconds on 2 cores, much of it password hashing
# (each wrong password costs one).
#
# Environment: BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_REDIS
# (redis://127.0.0.1:6379/13), BENCH_PORTS ("8081 8082"), PYTHON (.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PYTHON")
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:6379/13}
read -r PORT_A PORT_B <<<"${BENCH_PORTS:-8081 8082}"
NAME="two_servers_$$"
FOLDER=$(mktemp -d -t two-servers-XXXXXX)
PASSWORD="two-servers-$RANDOM$RANDOM"
PIDS=()

sql() { "$PYTHON" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])' "$PG/postgres" "$1"; }
flush_redis() { "$PYTHON" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1]).flushdb()' "$REDIS"; }

cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  sql "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" || true
  flush_redis || true
  rm -rf "$FOLDER"
  exit "$status"
}
trap cleanup EXIT INT TERM

export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="two-servers-$RANDOM$RANDOM$RANDOM" \
  DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 \
  DJANGO_TRUSTED_PROXIES=0 DATABASE_URL="$PG/$NAME" REDIS_URL="$REDIS" \
  DJANGO_SETTINGS_MODULE=bench.server_settings BENCH_STATIC_ROOT="$FOLDER/static" \
  PYTHONPATH="$PWD"

echo "== database $NAME, Redis $REDIS"
sql "CREATE DATABASE $NAME"
flush_redis
"$PYTHON" manage.py migrate --no-input >/dev/null
"$PYTHON" bench/seed.py --patients 3 --nights 60 --bench-nights 60 --password "$PASSWORD" >/dev/null
"$PYTHON" manage.py collectstatic --no-input >/dev/null

for port in "$PORT_A" "$PORT_B"; do
  "$BIN/gunicorn" config.wsgi --workers=2 --bind="127.0.0.1:$port" --log-level=warning \
    >"$FOLDER/gunicorn-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in "$PORT_A" "$PORT_B"; do
  for _ in $(seq 1 100); do
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "http://127.0.0.1:$port/accounts/login/" 2>/dev/null && break
    sleep 0.3
  done
done
echo "== servers A (127.0.0.1:$PORT_A) and B (127.0.0.1:$PORT_B), 2 workers each"

"$PYTHON" bench/two_servers.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$PASSWORD"
