# The two commands of the README:
#   make run   set up and run the portal on its zero-setup default (SQLite, filesystem broker)
#   make test  install what the tests need and run every check and test
# With DATABASE_URL / CELERY_BROKER_URL set, both use PostgreSQL / Redis instead.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check

.PHONY: run test lint messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: $(PY) requirements.txt requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

$(VENV)/.test-installed: $(PY) requirements.txt requirements-test.txt
	$(PIP) install -q -r requirements-test.txt
	touch $@

messages: $(PY)
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var -v 0

run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(MAKE) --no-print-directory messages
	$(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:8000/  (Ctrl-C stops the web server, the worker and beat)"
	$(VENV)/bin/honcho start -f Procfile.dev

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(VENV)/.test-installed lint messages
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2

clean:
	rm -rf var .pytest_cache .ruff_cache
