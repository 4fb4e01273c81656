#!/bin/sh
# Builds the production image and runs it as production does, against the PostgreSQL and
# Redis of this machine: the database roles of scripts/db-roles.sql in a database of its
# own, migrations as the schema owner, then gunicorn and the daily run as the app's role
# (DEBUG off, static files from the image's manifest). Needs docker with a daemon and psql;
# not part of CI (CI machines have no docker daemon). Leaves nothing behind.
#   PGHOST=127.0.0.1 PGUSER=postgres scripts/docker-smoke.sh
set -eu
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-8090}
DB=lotsen_docker_smoke
IMAGE=lotsen:smoke
export PGHOST PGUSER

cleanup() {
    docker rm -f lotsen-smoke >/dev/null 2>&1 || true
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" \
        -c "DROP ROLE IF EXISTS lotsen_app" -c "DROP ROLE IF EXISTS lotsen_owner" >/dev/null
}
trap cleanup EXIT
cleanup

docker build --network host -t "$IMAGE" .
psql -q -v ON_ERROR_STOP=1 -d postgres -v db=$DB -f scripts/db-roles.sql >/dev/null

run() {
    role=$1
    shift
    # The roles' default passwords (scripts/db-roles.sql).
    docker run --rm --network host \
        -e DATABASE_URL="postgres://$role:$(echo "$role" | tr _ -)@$PGHOST:5432/$DB" \
        -e CELERY_BROKER_URL=redis://127.0.0.1:6379/14 -e CACHE_URL=redis://127.0.0.1:6379/15 \
        -e SECRET_KEY=smoke-test-only-0123456789-abcdefghijklmnopqrstuvwxyz \
        -e ALLOWED_HOSTS=127.0.0.1,localhost -e SITE_URL="http://127.0.0.1:$PORT" \
        -e SECURE_SSL_REDIRECT=false -e SECURE_COOKIES=false -e EMAIL_URL=console:// \
        "$@"
}

run lotsen_owner "$IMAGE" python manage.py migrate --noinput -v 0
run lotsen_app "$IMAGE" python manage.py load_demo --i-know-this-is-not-production
run lotsen_app "$IMAGE" python manage.py run_daily_checks
run lotsen_app -d --name lotsen-smoke "$IMAGE" \
    gunicorn lotsen.wsgi --bind "127.0.0.1:$PORT" --workers 2 >/dev/null

status() { curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$PORT$1"; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ "$(status /health/)" = 200 ] && break
    sleep 1
done
fail=0
for path in /health/ /logga-in/ /for-besokare/; do
    code=$(status "$path")
    echo "$path $code"
    [ "$code" = 200 ] || fail=1
done
css=$(curl -s "http://127.0.0.1:$PORT/logga-in/" | grep -o '/static/[^"]*\.css' | head -1)
code=$(status "$css")
echo "$css $code"
[ "$code" = 200 ] || fail=1
if docker logs lotsen-smoke 2>&1 | grep -E "ERROR|Traceback"; then fail=1; fi
[ $fail = 0 ] && echo "docker smoke test passed" || echo "docker smoke test FAILED"
exit $fail
