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
# LOADTEST_CLUSTER=1 runs the same users against the cluster of `make cluster` instead
# (scripts/cluster.sh: two app servers on LOADTEST_PORT and the next port, two task workers,
# Redis, files in moto's S3 server), the users spread over both servers (LOADTEST_HOSTS).
# LOADTEST_HOSTILE=1 adds the hostile mix of issue 15 besides the normal users (not counted in
# their figures): LOADTEST_DRAFT_HAMMERS (3) officers asking for draft PDFs in a loop, and
# LOADTEST_LOGIN_GUESSERS (10) anonymous clients posting random usernames, each from its own
# loopback address; and those of issue 19: LOADTEST_SEARCHERS (2) elected officials searching
# the exchanges for 100 one-letter words, LOADTEST_ADMIN_GUESSERS (5) anonymous clients guessing
# on the admin's login and LOADTEST_RESET_FLOODERS (3) flooding the forgotten-password form,
# each from its own loopback address, with 10 000 synthetic exchanges besides the demo's
# (LOADTEST_EXCHANGES, 0 without the hostile mix). LOADTEST_CACHE_URL sets the server's CACHE_URL
# (e.g. redis://127.0.0.1:6379/9); by default a folder thrown away with the run, like the
# database, so that each run starts with empty brakes (an earlier run's guessers stay braked
# for ten minutes otherwise).
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
hostile=0
if [[ ${LOADTEST_HOSTILE:-0} == 1 ]]; then
  hostile=$((${LOADTEST_DRAFT_HAMMERS:-3} + ${LOADTEST_LOGIN_GUESSERS:-10} + ${LOADTEST_SEARCHERS:-2} \
    + ${LOADTEST_ADMIN_GUESSERS:-5} + ${LOADTEST_RESET_FLOODERS:-3}))
fi
# With the hostile mix, 10 000 synthetic exchanges besides the demo's (LOADTEST_EXCHANGES).
exchanges=${LOADTEST_EXCHANGES:-$((hostile > 0 ? 10000 : 0))}
work=$(mktemp -d "${TMPDIR:-/tmp}/regard-croise-loadtest.XXXXXX")
export CACHE_URL=${LOADTEST_CACHE_URL:-file://$work/cache}
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
export DJANGO_MEDIA_ROOT="$work/media"
server=""

cleanup() {
  if [[ -n $server ]]; then
    kill -TERM -- "-$server" 2>/dev/null || true  # gunicorn, its workers and the task worker
    wait "$server" 2>/dev/null || true
    # The task worker finishes the task in hand first: wait for the whole group (a worker left
    # running would weigh on the next run), killing it after 30 s.
    for _ in $(seq 30); do
      kill -0 -- "-$server" 2>/dev/null || break
      sleep 1
    done
    kill -KILL -- "-$server" 2>/dev/null || true
  fi
  if [[ ${LOADTEST_KEEP:-0} != 1 ]]; then
    dropdb --if-exists --force "$db" 2>/dev/null || true
    rm -rf "$work"
  else
    echo "Kept: database $db, logs and results in $work"
  fi
}
trap cleanup EXIT

server_logs=("$work/server.log")
if [[ ${LOADTEST_CLUSTER:-0} == 1 ]]; then
  hosts=("http://$host:$port" "http://$host:$((port + 1))")
  echo "== Cluster on ${hosts[*]} (scripts/cluster.sh), database $db, $users officers and $users officials"
  CLUSTER_DB=$db CLUSTER_PORTS="$port $((port + 1))" CLUSTER_S3_PORT=$((port + 2)) \
    CLUSTER_CACHE_URL=${LOADTEST_CACHE_URL:-redis://127.0.0.1:6379/2} \
    CLUSTER_STATE="$work/cluster.json" CLUSTER_KEEP=${LOADTEST_KEEP:-0} VENV=$venv \
    CLUSTER_AFTER_SETUP="$venv/bin/python loadtest/prepare.py --users $((users + hostile)) --out $work/accounts.json" \
    setsid ./scripts/cluster.sh >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 900); do
    if [[ -f $work/cluster.json ]]; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
      tail -n 30 "$work/server.log"
      echo "The cluster did not start." >&2
      exit 1
    fi
    sleep 1
  done
  logs=$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["logs"])' \
    "$work/cluster.json")
  server_logs=("$logs"/app-*.log)
else
hosts=("http://$host:$port")
echo "== Database $db: migrate, demo data, $users officers and $users officials"
dropdb --if-exists --force "$db"
createdb "$db"
# The set-up commands run as on a development machine (DEBUG is off unless asked); the server
# below is a production one (scripts/serve.sh turns DJANGO_DEBUG off).
DJANGO_DEBUG=1 "$venv/bin/python" manage.py migrate --no-input --verbosity 0
DJANGO_DEBUG=1 "$venv/bin/python" manage.py load_demo >"$work/load_demo.log"
if ((exchanges > 0)); then
  # The searchers need a haystack: issue 19 was found at 10 000 exchanges (benchmarks' generator).
  DJANGO_SETTINGS_MODULE=benchmarks.settings DJANGO_DEBUG=1 DJANGO_ALLOW_DEMO_DATA=1 \
    "$venv/bin/python" manage.py generate_synthetic_data --exchanges "$exchanges" >"$work/synthetic.log"
fi
# The draft-PDF hammers of the hostile mix log in as officers too.
DJANGO_DEBUG=1 "$venv/bin/python" loadtest/prepare.py --users "$((users + hostile))" --out "$work/accounts.json"

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
fi

# Each gunicorn worker loads the app on its first request (seconds: WeasyPrint among the
# imports): warm them all up, so the run measures a server that has been up for a while.
for _ in 1 2 3; do
  warming=()
  for url in "${hosts[@]}"; do
    for _ in $(seq 12); do
      curl --silent --output /dev/null "$url/fr/questionings/" &
      warming+=($!)
    done
  done
  wait "${warming[@]}"
done

echo "== $users simulated users log in, then $seconds seconds measured"
LOADTEST_ACCOUNTS="$work/accounts.json" LOADTEST_RESULTS="$work/saves.json" \
  LOADTEST_SECONDS="$seconds" LOADTEST_HOSTS="${hosts[*]}" \
  "$venv/bin/locust" -f loadtest/locustfile.py --headless --only-summary \
  --users "$((users + hostile))" --spawn-rate "$spawn_rate" --run-time "$((seconds + 300))s" --stop-timeout 30 \
  --host "${hosts[0]}" --csv "$work/locust" --loglevel WARNING \
  >"$work/locust.log" 2>&1 || true # check.py judges the run
if [[ ! -f $work/saves.json ]]; then
  tail -n 40 "$work/locust.log"
  echo "Locust did not finish." >&2
  exit 1
fi
if grep -q " 500 \| 502 \| 503 \| 504 " "${server_logs[@]}"; then
  echo "Server errors in the access log:"
  grep " 500 \| 502 \| 503 \| 504 " "${server_logs[@]}" | head -n 10
fi

echo "== Results"
DJANGO_DEBUG=1 "$venv/bin/python" loadtest/check.py --stats "$work/locust_stats.csv" \
  --failures "$work/locust_failures.csv" --saves "$work/saves.json"
