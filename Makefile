# Lotsen: `make run` on a bare machine, `make test`, `make lint`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := lotsen.settings

.PHONY: run install install-dev migrate demo test test-browser lint format bench bench-load messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo

## Web server on http://127.0.0.1:8000 plus a Celery worker with its scheduler; Ctrl-C stops both.
run: demo
	DEBUG=$${DEBUG:-true} scripts/run.sh

## The whole suite: SQLite by default; set DATABASE_URL and CELERY_BROKER_URL for PostgreSQL and Redis.
## In parallel, one process and test database per core; PYTEST_WORKERS=2 to choose, 0 for one process.
## loadgroup hands out one test at a time, so the long browser tests spread over the workers.
PYTEST_WORKERS ?= auto
test: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy .
	$(BIN)/lint-imports
	find . -name '*.py' -not -path './.venv/*' -not -path './var/*' -print0 \
		| xargs -0 $(BIN)/django-upgrade --target-version 5.2 --check
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	find . -name '*.py' -not -path './.venv/*' -not -path './var/*' -print0 \
		| xargs -0 $(BIN)/django-upgrade --target-version 5.2 --exit-zero-even-if-changed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks on PostgreSQL (DATABASE_URL): the scale table (bench/test_scale.py) and the
## rows every bench module adds. The seeded register is kept for the next run; BENCH_FRESH=1 seeds
## again; BENCH_ARGS="-k sheet" runs some (the empty page is always measured first). The
## cache in Redis (CACHE_URL) as in production.
bench: export CACHE_URL ?= redis://127.0.0.1:6379/3
bench: install-dev
	$(BIN)/pytest bench -p no:cacheprovider -p no:locust -o testpaths=bench --reuse-db \
		$(if $(BENCH_FRESH),--create-db) $(BENCH_ARGS)

## Attendance marks under load (locust, gunicorn) against the empty page, on the database
## `make bench` seeded: DATABASE_URL=postgres://…/test_<name>.
bench-load: export CACHE_URL ?= redis://127.0.0.1:6379/3
bench-load: install-dev
	$(BIN)/python -m bench.load

## Regenerate the English catalogue (source strings are Swedish) and compile it.
messages: install-dev
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf var
