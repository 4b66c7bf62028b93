#!/usr/bin/env bash
# The restore drill (.ci/run): what an administrator does after losing a server, on each engine
# and store the site runs on: SQLite with files on disk, PostgreSQL with files on disk, and
# PostgreSQL with files in an S3 bucket (moto's server mode, from the virtual environment).
# Each time: a site with the demo data (published restitutions) and two uploads (a photo, a
# PDF) is backed up with `manage.py backup`; a NEW database is made by `migrate` (with a new
# superuser) and a new, empty media folder or bucket; `manage.py restore` rebuilds the site;
# every row (dumpdata) and every stored file must be the same as before, byte for byte (diff -r).
#
# Then the SQLite drill's site is moved to PostgreSQL as the README says (dumpdata, a new
# database made by migrate, loaddata), and compared again.
#
# Environment: DRILLS ("sqlite move postgres s3"; move needs sqlite before it), DRILL_S3_PORT
# (9001), PGHOST/PGPORT/PGUSER
# (127.0.0.1, 5432, postgres: a role that may create databases; they are dropped at the end),
# VENV (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${VENV:-.venv}
py="$venv/bin/python"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
s3_port=${DRILL_S3_PORT:-9001}
work=$(mktemp -d "${TMPDIR:-/tmp}/regard-croise-drill.XXXXXX")
# A throwaway site on this machine, with the demo data: development settings (as `make run`).
export CACHE_URL=locmem:// DJANGO_ALLOW_DEMO_DATA=1 DJANGO_DEBUG=1
unset DJANGO_S3_BUCKET DJANGO_S3_ENDPOINT_URL

s3_pid=""
databases=()
cleanup() {
  if [[ -n $s3_pid ]]; then kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; fi
  for db in "${databases[@]}"; do dropdb --if-exists "$db" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start_s3() {
  [[ -n $s3_pid ]] && return
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$work/s3.log" 2>&1 &
  s3_pid=$!
  for _ in $(seq 60); do curl --silent --output /dev/null "http://127.0.0.1:$s3_port/" && return; sleep 0.5; done
  cat "$work/s3.log" >&2
  echo "moto's S3 server did not start on port $s3_port." >&2
  exit 1
}

new_bucket() { # new_bucket NAME: create it and point the site at it
  export DJANGO_S3_BUCKET=$1 DJANGO_S3_ENDPOINT_URL="http://127.0.0.1:$s3_port"
  export DJANGO_S3_REGION=eu-west-3 AWS_ACCESS_KEY_ID=drill AWS_SECRET_ACCESS_KEY=drill-secret
  "$py" -c "import boto3, os; boto3.client('s3', endpoint_url=os.environ['DJANGO_S3_ENDPOINT_URL'], region_name='eu-west-3').create_bucket(Bucket='$1', CreateBucketConfiguration={'LocationConstraint': 'eu-west-3'})"
}

new_database() { # new_database ENGINE NAME: an empty database, DATABASE_URL pointing to it
  if [[ $1 == sqlite ]]; then
    export DATABASE_URL="sqlite:///$work/$2.sqlite3"
  else
    dropdb --if-exists "$2" 2>/dev/null
    createdb "$2"
    databases+=("$2")
    export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$2"
  fi
}

drill() { # drill NAME ENGINE STORE
  local name=$1 engine=$2 store=$3 here="$work/$1"
  mkdir -p "$here"
  echo "== Restore drill: $name ($engine, files in $store)"
  new_database "$engine" "rc_drill_${name}_before"
  export DJANGO_MEDIA_ROOT="$here/media-before"
  if [[ $store == bucket ]]; then start_s3; new_bucket "drill-$name-before"; fi
  "$py" manage.py migrate --no-input --verbosity 0
  "$py" manage.py load_demo >"$here/load_demo.log" 2>&1
  "$py" scripts/restore_drill.py seed
  "$py" scripts/restore_drill.py export "$here/before"
  "$py" manage.py backup --output "$here/site.tar"

  # A new server: a database just made by migrate, its first superuser, no files.
  new_database "$engine" "rc_drill_${name}_after"
  export DJANGO_MEDIA_ROOT="$here/media-after"
  if [[ $store == bucket ]]; then new_bucket "drill-$name-after"; fi
  "$py" manage.py migrate --no-input --verbosity 0
  DJANGO_SUPERUSER_PASSWORD=drill-only "$py" manage.py createsuperuser --no-input \
    --username root --email root@example.org >/dev/null
  "$py" manage.py restore "$here/site.tar"
  "$py" scripts/restore_drill.py export "$here/after"
  # Now the database holds data: restoring again is refused, and changes nothing.
  if "$py" manage.py restore "$here/site.tar" 2>"$here/refused.log"; then
    echo "A second restore over the restored site was not refused." >&2
    exit 1
  fi
  grep -q -e "already holds data" -e "contient déjà des données" "$here/refused.log"
  "$py" scripts/restore_drill.py export "$here/after-refusal"
  diff -r "$here/after" "$here/after-refusal"

  diff -r "$here/before" "$here/after"
  if [[ $store == bucket && -e "$here/media-after" ]]; then
    echo "Files were written under DJANGO_MEDIA_ROOT instead of the bucket." >&2
    exit 1
  fi
  echo "   the same rows and files, byte for byte: $(find "$here/after/files" -type f | wc -l) files"
}

move_to_postgres() { # the README's move from SQLite to PostgreSQL, from the SQLite drill's site
  local here="$work/sqlite"
  echo "== Moving the SQLite drill's site to PostgreSQL (dumpdata, migrate, loaddata)"
  export DATABASE_URL="sqlite:///$work/rc_drill_sqlite_after.sqlite3"
  "$py" manage.py dumpdata --natural-foreign --natural-primary \
    --exclude contenttypes --exclude auth.permission --exclude sessions \
    --exclude axes --exclude django_tasks_database --exclude core.workerheartbeat \
    --output "$here/site.json"
  new_database postgres rc_drill_moved
  "$py" manage.py migrate --no-input --verbosity 0
  "$py" manage.py loaddata "$here/site.json"
  "$py" scripts/restore_drill.py export "$here/moved"
  diff -r "$here/before" "$here/moved"
  echo "   the same rows on PostgreSQL"
}

for name in ${DRILLS:-sqlite move postgres s3}; do
  case $name in
    sqlite) drill sqlite sqlite folder ;;
    move) move_to_postgres ;;
    postgres) drill postgres postgres folder ;;
    s3) drill s3 postgres bucket ;;
    *) echo "Unknown drill $name (sqlite, move, postgres, s3)." >&2; exit 1 ;;
  esac
done
echo "Restore drill passed: ${DRILLS:-sqlite move postgres s3}."
