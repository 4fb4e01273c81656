#!/usr/bin/env bash
# Start the web server and a Celery worker with its beat scheduler; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
.venv/bin/celery -A lotsen worker --beat --loglevel=INFO --concurrency=1 \
  --schedule var/celerybeat-schedule &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo
echo "Lotsen: http://127.0.0.1:8000  (demo logins above; Ctrl-C stops the server and the worker)"
.venv/bin/python manage.py runserver 127.0.0.1:8000
