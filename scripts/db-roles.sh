#!/bin/sh
# docker compose runs this once when the database volume is new (docker-entrypoint-initdb.d).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db=lotsen -v owner_password="$LOTSEN_OWNER_PASSWORD" -v app_password="$LOTSEN_APP_PASSWORD" \
  -f /lotsen/db-roles.sql
