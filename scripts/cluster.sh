#!/usr/bin/env bash
# `make cluster`: the site as on several machines, on this one. An S3-compatible server (moto's
# server mode, from the virtual environment: nothing downloaded), the local PostgreSQL (a fresh
# database with the demo data, since the bucket starts empty too) and Redis, two app servers
# (scripts/serve.sh: gunicorn, whitenoise) on two ports and two task workers, all sharing
# nothing but those three engines. Prints the URLs; stops everything on Ctrl-C or exit.
#
# Environment: CLUSTER_PORTS ("8001 8002"), CLUSTER_S3_PORT (9000), CLUSTER_DB
# (regard_croise_cluster, dropped and created again), CLUSTER_CACHE_URL
# (redis://127.0.0.1:6379/2), CLUSTER_WEB_CONCURRENCY (3 gunicorn workers a server),
# TASK_WORKER_LEASE_SECONDS (60: how long a dead worker's task waits for another),
# PGHOST/PGPORT/PGUSER (127.0.0.1, 5432, postgres); CLUSTER_STATE: where to write the cluster's
# addresses and process ids as JSON once it answers (tests_cluster/ reads it);
# CLUSTER_AFTER_SETUP: a command run once the database holds the demo data, before the
# servers start (the load test creates its accounts there); CLUSTER_KEEP=1 keeps the database
# and the logs.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${VENV:-.venv}
read -r -a ports <<<"${CLUSTER_PORTS:-8001 8002}"
s3_port=${CLUSTER_S3_PORT:-9000}
db=${CLUSTER_DB:-regard_croise_cluster}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
host=127.0.0.1
work=$(mktemp -d "${TMPDIR:-/tmp}/regard-croise-cluster.XXXXXX")

# What every app server and worker shares, as on several machines: the same settings.
export DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS="$host,localhost"
DJANGO_SECRET_KEY=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
export CACHE_URL=${CLUSTER_CACHE_URL:-redis://127.0.0.1:6379/2}
export DJANGO_S3_BUCKET=regard-croise DJANGO_S3_REGION=eu-west-3
export DJANGO_S3_ENDPOINT_URL="http://$host:$s3_port"
export AWS_ACCESS_KEY_ID=regard-croise-cluster AWS_SECRET_ACCESS_KEY=cluster-only-secret
# Nothing may be written here: the files are in the bucket (tests_cluster/ checks it).
export DJANGO_MEDIA_ROOT="$work/media-stays-empty"
export TASK_WORKER_LEASE_SECONDS=${TASK_WORKER_LEASE_SECONDS:-60}

started=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${started[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true # each runs in its own process group
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${CLUSTER_KEEP:-0} != 1 ]]; then
    dropdb --if-exists "$db" 2>/dev/null || true
    rm -rf "$work"
  else
    echo "Kept: database $db, logs in $work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # start NAME COMMAND…: in its own process group, output to $work/NAME.log
  local name=$1
  shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  started+=($!)
}

wait_for() { # wait_for URL NAME PID
  for _ in $(seq 120); do
    if curl --silent --output /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then
      tail -n 30 "$work/$2.log" >&2
      echo "$2 did not start." >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$2 did not answer on $1." >&2
  exit 1
}

echo "== S3-compatible server (moto) on http://$host:$s3_port, bucket $DJANGO_S3_BUCKET"
start s3 "$venv/bin/moto_server" -H "$host" -p "$s3_port"
wait_for "http://$host:$s3_port/" s3 "${started[-1]}"
"$venv/bin/python" - <<'PY'
import os

import boto3

s3 = boto3.client("s3", endpoint_url=os.environ["DJANGO_S3_ENDPOINT_URL"],
                  region_name=os.environ["DJANGO_S3_REGION"])
s3.create_bucket(Bucket=os.environ["DJANGO_S3_BUCKET"],
                 CreateBucketConfiguration={"LocationConstraint": os.environ["DJANGO_S3_REGION"]})
PY

echo "== Database $db (PostgreSQL), cache $CACHE_URL (Redis)"
if ! redis-cli -u "$CACHE_URL" ping >/dev/null; then
  echo "Redis does not answer at $CACHE_URL." >&2
  exit 1
fi
redis-cli -u "$CACHE_URL" flushdb >/dev/null
dropdb --if-exists "$db"
createdb "$db"
"$venv/bin/python" manage.py migrate --no-input --verbosity 0
"$venv/bin/python" manage.py collectstatic --no-input --verbosity 0
"$venv/bin/python" manage.py compilemessages --ignore '.venv*' --verbosity 0
DJANGO_ALLOW_DEMO_DATA=1 "$venv/bin/python" manage.py load_demo >"$work/load_demo.log"
if [[ -n ${CLUSTER_AFTER_SETUP:-} ]]; then
  bash -c "$CLUSTER_AFTER_SETUP"
fi

workers=()
for number in 1 2; do
  start "worker-$number" "$venv/bin/python" manage.py db_worker --worker-id "cluster-worker-$number" \
    --interval 0.5 --no-reload
  workers+=("\"cluster-worker-$number\": ${started[-1]}")
done
urls=()
apps=()
for port in "${ports[@]}"; do
  start "app-$port" env BIND="$host:$port" VENV="$venv" SERVE_PREPARE=0 SERVE_TASK_WORKER=0 \
    WEB_CONCURRENCY="${CLUSTER_WEB_CONCURRENCY:-3}" ./scripts/serve.sh
  urls+=("http://$host:$port")
  apps+=("${started[-1]}")
done
for i in "${!ports[@]}"; do
  wait_for "${urls[$i]}/fr/" "app-${ports[$i]}" "${apps[$i]}"
done

if [[ -n ${CLUSTER_STATE:-} ]]; then
  cat >"$CLUSTER_STATE.part" <<JSON
{
  "servers": ["${urls[0]}", "${urls[1]}"],
  "workers": {$(IFS=,; echo "${workers[*]}")},
  "s3": {"endpoint": "$DJANGO_S3_ENDPOINT_URL", "bucket": "$DJANGO_S3_BUCKET",
         "region": "$DJANGO_S3_REGION", "key": "$AWS_ACCESS_KEY_ID",
         "secret": "$AWS_SECRET_ACCESS_KEY"},
  "database_url": "$DATABASE_URL",
  "media_root": "$DJANGO_MEDIA_ROOT",
  "logs": "$work"
}
JSON
  mv "$CLUSTER_STATE.part" "$CLUSTER_STATE"
fi

cat <<EOF

Two app servers, sharing PostgreSQL ($db), Redis and the bucket, with two task workers:
  server A: ${urls[0]}/fr/
  server B: ${urls[1]}/fr/
  S3 (moto): $DJANGO_S3_ENDPOINT_URL (bucket $DJANGO_S3_BUCKET, private)
Demo accounts: officer-savoie, elu-savoie, admin… (password regard-croise-demo).
Logs: $work. Ctrl-C stops everything.
EOF
# Until Ctrl-C: a worker killed meanwhile (try `kill -9`) leaves its task to the other.
wait
