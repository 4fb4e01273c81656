-- Database roles for Lotsen on PostgreSQL (decision 0016). Run once as a superuser:
--   psql -v db=lotsen -v owner_password=… -v app_password=… -f scripts/db-roles.sql
-- lotsen_owner owns the schema and runs `manage.py migrate`; lotsen_app is what the web
-- processes and Celery workers connect as. The app role owns no table, so it cannot
-- drop or disable the triggers that keep history unchanged, nor ALTER, DROP or TRUNCATE.
\if :{?db} \else \set db lotsen \endif
\if :{?owner_password} \else \set owner_password lotsen-owner \endif
\if :{?app_password} \else \set app_password lotsen-app \endif

CREATE ROLE lotsen_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE lotsen_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;

SELECT format('CREATE DATABASE %I OWNER lotsen_owner', :'db')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO lotsen_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO lotsen_app;
-- The attendance correction window in days, the same number as the app's
-- ATTENDANCE_CORRECTION_DAYS (0 = only today): older visits are refused by a trigger.
ALTER DATABASE :"db" SET lotsen.correction_days = '0';

\connect :"db"
ALTER SCHEMA public OWNER TO lotsen_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO lotsen_app;
-- Tables that exist already, and (default privileges) every table a migration adds later.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lotsen_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO lotsen_app;
ALTER DEFAULT PRIVILEGES FOR ROLE lotsen_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lotsen_app;
ALTER DEFAULT PRIVILEGES FOR ROLE lotsen_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO lotsen_app;
