#!/usr/bin/env bash
# Start the web server and a Celery worker with its beat scheduler; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
# PORT=8001 make run: another port when 8000 is taken; links in e-mails follow it.
PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || (( PORT < 1024 || PORT > 65535 )); then
  echo "PORT must be a number from 1024 to 65535, not '$PORT'." >&2
  exit 2
fi
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
.venv/bin/celery -A lotsen worker --beat --loglevel=INFO --concurrency=1 \
  --schedule var/celerybeat-schedule &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo
echo "Lotsen: http://127.0.0.1:$PORT  (demo logins above; Ctrl-C stops the server and the worker)"
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
