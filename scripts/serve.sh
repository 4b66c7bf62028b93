#!/usr/bin/env bash
# Serves the app as in production: gunicorn (2 workers a core, plus one), static files
# collected and served compressed by whitenoise, and the background task worker that renders
# published restitutions and draft PDFs. Stops both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY (python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_DEBUG=0
venv=${VENV:-.venv}
bind=${BIND:-127.0.0.1:8000}
workers=${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}

# SERVE_PREPARE=0 and SERVE_TASK_WORKER=0: scripts/cluster.sh prepares once for its two app
# servers and runs its task workers itself.
if [[ ${SERVE_PREPARE:-1} == 1 ]]; then
  "$venv/bin/python" manage.py collectstatic --no-input --verbosity 0
  "$venv/bin/python" manage.py compilemessages --ignore '.venv*' --verbosity 0
  "$venv/bin/python" manage.py migrate --no-input --verbosity 0
fi

if [[ ${SERVE_TASK_WORKER:-1} == 1 ]]; then
  "$venv/bin/python" manage.py db_worker &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
fi

# No request renders a PDF (the task worker does, drafts included): gunicorn's default timeout.
"$venv/bin/gunicorn" config.wsgi \
  --bind "$bind" --workers "$workers" --max-requests 2000 --max-requests-jitter 200 \
  --access-logfile - --forwarded-allow-ips 127.0.0.1
