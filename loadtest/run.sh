#!/usr/bin/env bash
# Load test (`make loadtest`): the production server (scripts/serve.sh: gunicorn, whitenoise)
# on a throwaway PostgreSQL database with the demo data; 50 simulated users (locust, headless)
# log in, then are measured for 60 seconds; then loadtest/check.py prints the figures and
# checks no request failed and no save was lost or duplicated, exiting non-zero otherwise.
# Plain HTTP on 127.0.0.1 only.
#
# Environment: LOADTEST_USERS (50), LOADTEST_SECONDS (60, once every user is logged in),
# LOADTEST_SPAWN_RATE (5 a second), LOADTEST_PORT (8765), LOADTEST_DB (regard_croise_loadtest,
# dropped and created again), PGHOST/PGPORT/PGUSER (127.0.0.1, 5432, postgres),
# LOADTEST_KEEP=1 to keep the database, the logs and the results.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${VENV:-.venv}
users=${LOADTEST_USERS:-50}
seconds=${LOADTEST_SECONDS:-60}
spawn_rate=${LOADTEST_SPAWN_RATE:-5}
port=${LOADTEST_PORT:-8765}
db=${LOADTEST_DB:-regard_croise_loadtest}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
host=127.0.0.1

work=$(mktemp -d "${TMPDIR:-/tmp}/regard-croise-loadtest.XXXXXX")
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
export DJANGO_MEDIA_ROOT="$work/media"
server=""

cleanup() {
  if [[ -n $server ]]; then
    kill -TERM -- "-$server" 2>/dev/null || true  # gunicorn, its workers and the task worker
    wait "$server" 2>/dev/null || true
  fi
  if [[ ${LOADTEST_KEEP:-0} != 1 ]]; then
    dropdb --if-exists "$db" 2>/dev/null || true
    rm -rf "$work"
  else
    echo "Kept: database $db, logs and results in $work"
  fi
}
trap cleanup EXIT

echo "== Database $db: migrate, demo data, $users officers and $users officials"
dropdb --if-exists "$db"
createdb "$db"
"$venv/bin/python" manage.py migrate --no-input --verbosity 0
DJANGO_ALLOW_DEMO_DATA=1 "$venv/bin/python" manage.py load_demo >"$work/load_demo.log"
"$venv/bin/python" loadtest/prepare.py --users "$users" --out "$work/accounts.json"

echo "== Production server on http://$host:$port (scripts/serve.sh)"
secret=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
# setsid: the server's own process group, stopped whole by cleanup.
DJANGO_SECRET_KEY=$secret DJANGO_HTTPS=0 BIND="$host:$port" VENV=$venv \
  setsid ./scripts/serve.sh >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 120); do
  if curl --silent --fail --output /dev/null "http://$host:$port/fr/"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    tail -n 30 "$work/server.log"
    echo "The server did not start." >&2
    exit 1
  fi
  sleep 1
done

# Each gunicorn worker loads the app on its first request (seconds: WeasyPrint among the
# imports): warm them all up, so the run measures a server that has been up for a while.
for _ in 1 2 3; do
  warming=()
  for _ in $(seq 12); do
    curl --silent --output /dev/null "http://$host:$port/fr/questionings/" &
    warming+=($!)
  done
  wait "${warming[@]}"
done

echo "== $users simulated users log in, then $seconds seconds measured"
LOADTEST_ACCOUNTS="$work/accounts.json" LOADTEST_RESULTS="$work/saves.json" \
  LOADTEST_SECONDS="$seconds" \
  "$venv/bin/locust" -f loadtest/locustfile.py --headless --only-summary \
  --users "$users" --spawn-rate "$spawn_rate" --run-time "$((seconds + 300))s" --stop-timeout 30 \
  --host "http://$host:$port" --csv "$work/locust" --loglevel WARNING \
  >"$work/locust.log" 2>&1 || true # check.py judges the run
if [[ ! -f $work/saves.json ]]; then
  tail -n 40 "$work/locust.log"
  echo "Locust did not finish." >&2
  exit 1
fi
if grep -q " 500 \| 502 \| 503 \| 504 " "$work/server.log"; then
  echo "Server errors in the access log:"
  grep " 500 \| 502 \| 503 \| 504 " "$work/server.log" | head -n 10
fi

echo "== Results"
"$venv/bin/python" loadtest/check.py --stats "$work/locust_stats.csv" \
  --failures "$work/locust_failures.csv" --saves "$work/saves.json"
