# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
# PYTHON=/path/to/python3.12 picks the interpreter (3.12 or newer).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Local work only: debug on, SQLite in the project folder unless DATABASE_URL says otherwise.
RUN_ENV := DJANGO_DEBUG=1
# The suite runs with debug off, as production does, with a throwaway key.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-not-secret \
	DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0

# Where `make test` runs the PostgreSQL-only tests when DATABASE_URL is not set.
LOCAL_POSTGRES := postgres://postgres@127.0.0.1:5432/night_cramp_diary

# The translations, compiled (gettext's msgfmt: Debian's package gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: run test bench bench-refresh bench-load two-servers lint clean

run: $(VENV)/.run-installed node_modules/.installed $(MO_FILES)
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Night Cramp Diary: open http://127.0.0.1:8000/"
	@echo "  Sign in as demo.patient@example.org or demo.clinician@example.org, password cramps-demo."
	@echo "  Site admin: $(BIN)/python manage.py createsuperuser, then http://127.0.0.1:8000/admin/"
	@echo "  A task worker runs beside the server (reminder e-mails print here); queue the"
	@echo "  morning reminders due now with: $(RUN_ENV) $(BIN)/python manage.py send_reminders"
	@echo ""
	@# The worker and the hourly clean-up (expired sessions and prepared files) in the background,
	@# the server in the foreground; both go with it.
	@$(RUN_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	(trap 'kill $$nap 2>/dev/null; exit' TERM; while :; do \
		$(RUN_ENV) $(BIN)/python manage.py clearsessions; \
		$(RUN_ENV) $(BIN)/python manage.py clear_prepared_files; \
		sleep 3600 & nap=$$!; wait $$nap; done) & cleaner=$$!; \
	trap 'kill $$worker $$cleaner 2>/dev/null; wait $$worker $$cleaner 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.test-installed node_modules/.installed $(MO_FILES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The layers' contracts (docs/architecture.md, pyproject.toml [tool.importlinter]).
	$(BIN)/lint-imports --no-cache --no-logo
ifdef DATABASE_URL
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)
else
	$(TEST_ENV) $(BIN)/python -m pytest -m "not postgresql" $(PYTEST_ARGS)
	@# The tests of row locks, races and query plans need PostgreSQL: run whenever it answers.
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== the PostgreSQL-only tests (races, row locks, query plans) on 127.0.0.1:5432"; \
		$(TEST_ENV) DATABASE_URL=$(LOCAL_POSTGRES) $(BIN)/python -m pytest -m postgresql $(PYTEST_ARGS) || [ $$? -eq 5 ]; \
	else \
		echo "== SKIPPED: the PostgreSQL-only tests (races, row locks, query plans): nothing answers on"; \
		echo "   127.0.0.1:5432. Start PostgreSQL (docs/testing.md) and run make test again to run them."; \
	fi
endif

# Page speed at the scale of issue 13 (docs/performance.md): SQLite in memory, or
# DATABASE_URL=postgres://... (and REDIS_URL=redis://...) for a throwaway database there.
# BENCH_SCALE=10: ten times the clinic (5,000 patients, a 10-year diary).
bench: $(VENV)/.test-installed node_modules/.installed
	$(TEST_ENV) $(BIN)/python bench/pages.py

# refresh_prompts for 5,000 patients (BENCH_PATIENTS), in one process and two: seconds, CPU and
# queries a patient; BENCH_BEFORE=<another checkout> times it too on the same data. DATABASE_URL as above.
bench-refresh: $(VENV)/.test-installed
	$(TEST_ENV) $(BIN)/python bench/refresh.py

# The morning peak (docs/performance.md, "Load"): two app servers of 2 gunicorn workers and the
# task worker on the local PostgreSQL and Redis, a stepped rate; bounded, 5-10 minutes.
bench-load: $(VENV)/.bench-installed node_modules/.installed
	$(BIN)/python bench/load.py

# Two app servers on one PostgreSQL and one Redis behave as one (docs/deploy.md); ~30 s.
two-servers: $(VENV)/.test-installed node_modules/.installed
	bench/two_servers.sh

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install gettext"; exit 1; }
	msgfmt --check-format -o $@ $<

lint: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/.python-checked:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		echo "The Night Cramp Diary needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install it (pyenv install 3.12) or point at one: make run PYTHON=/path/to/python3.12"; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.run-installed: pyproject.toml $(VENV)/.python-checked
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.python-checked
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.run-installed

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.test-installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

clean:
	rm -rf $(VENV) node_modules staticfiles
