# Election Portal — every target does its own set-up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: help setup run test bench chaos lint messages compilemessages vendor clean worker beat

help:
	@echo "make run    - set up, migrate, load the demo elections and serve at http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the test suite (SQLite, eager Celery unless DATABASE_URL/REDIS_URL are set)"
	@echo "make bench  - run the benchmarks; prints a table and writes var/bench.json"
	@echo "make chaos  - a burst of voters while PostgreSQL restarts and Redis stops; prints lost/doubled/undelivered (CHAOS_ARGS='--voters 100 --seed 1')"
	@echo "make lint   - ruff check and format check"
	@echo "make messages - update locale/*/django.po from the code (then translate and commit)"
	@echo "make worker / make beat - a Celery worker / scheduler (needs REDIS_URL)"

.env:
	cp .env.example .env

$(VENV)/.installed: pyproject.toml
	./scripts/ensure-system-deps.sh
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: .env $(VENV)/.installed compilemessages

compilemessages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=$(VENV) -v0

run: setup
	$(PY) manage.py migrate --no-input -v0
	@# a self-signed demo pair for the protocol PDFs, unless the configured key exists
	@$(PY) manage.py shell -v0 -c "import sys; from elections.signing import configured_paths; sys.exit(0 if configured_paths()[0].exists() else 1)" || $(PY) manage.py make_signing_key
	RUN_SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo
	@echo "Election Portal: http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)"
	RUN_SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	WITH_BROWSER=1 WITH_SERVERS=1 ./scripts/ensure-system-deps.sh  # Chromium (tests/browser); PostgreSQL, Redis, HAProxy (tests/test_scaling.py)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Not part of `make test`: its own PostgreSQL, Redis, gunicorn and Celery worker on free loopback
# ports under var/chaos/ (README, "Chaos run"); about 2-4 minutes at the default 500 voters.
chaos: setup
	WITH_SERVERS=1 ./scripts/ensure-system-deps.sh
	$(PY) scripts/chaos.py $(CHAOS_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l ru -l kk -l ky -l en --no-obsolete --ignore=$(VENV) --ignore=var --ignore=static --ignore=tests --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=$(VENV)

vendor:
	npm install --no-save --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/

worker: setup
	$(VENV)/bin/celery -A electionportal worker -l INFO

beat: setup
	$(VENV)/bin/celery -A electionportal beat -l INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles .pytest_cache .ruff_cache
