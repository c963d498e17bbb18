# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check setup data clean bench

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bluelight needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

data: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_framework
	$(PY) manage.py load_surveys
	$(PY) manage.py load_kpi_suggestions
	$(PY) manage.py load_lessons
	$(PY) manage.py load_demo

# The task worker (emails to leads) runs in the background beside the web server and
# stops with it; its queue is in the database, so no Redis or other service is needed.
run: data
	@echo "Serving on http://$(HOST):$(PORT)/ with a task worker for emails (Ctrl+C to stop)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Speed: scoring against a plain-numpy floor, and the results dashboard's server time.
bench: setup
	$(PY) benchmarks/bench_scoring.py
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_research.py
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_board_paper.py
