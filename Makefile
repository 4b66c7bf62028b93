# Regard croisé — the commands a developer runs. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EXTRA_PIP ?=
# Where `make run` and `make serve` listen (make run PORT=8101 HOST=0.0.0.0).
HOST ?= 127.0.0.1
PORT ?= 8000
# The commands of a development machine run with DEBUG on (config/settings.py: off unless asked).
DEV := DJANGO_DEBUG=1

.DEFAULT_GOAL := help
# The compiled translations: one .mo beside each .po (make install).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
.PHONY: help install system-deps run serve test e2e e2e-deps bench bench-deps lint format messages clean

help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'
	@echo
	@echo "Variables (make run PORT=8101 serves on http://$(HOST):8101 and links its e-mails there):"
	@echo "  HOST                    where make run and make serve listen (now $(HOST))"
	@echo "  PORT                    their port (now $(PORT))"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]" $(EXTRA_PIP)
	touch $@

install: system-deps $(VENV)/.installed $(MO_FILES) ## Install system libraries, Python packages and compiled translations

# Each step redoes only what changed: pip when pyproject.toml is newer than its stamp, msgfmt
# for a .po newer than its .mo; the system packages are checked every time (dpkg-query, 0.1 s).
system-deps: ## Check the system packages (WeasyPrint's libraries, gettext, poppler), install missing ones as root
	@./scripts/system-deps.sh

%.mo: %.po | system-deps
	msgfmt --check-format -o $@ $<

# DEBUG on; the e-mails' links lead to the address served; e-mails printed in this terminal
# (the console backend, unless EMAIL_URL says otherwise).
RUN_ENV := $(DEV) DJANGO_SITE_URL=http://$(HOST):$(PORT)
run: install ## Set up the SQLite database with the demo data and serve on http://HOST:PORT (DEBUG on, e-mails printed here)
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py load_demo
	@# The task worker renders restitutions and sends e-mails in the background; it stops with the server.
	$(RUN_ENV) $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## Serve as in production: gunicorn, whitenoise, task worker (DATABASE_URL, DJANGO_SECRET_KEY)
	BIND=$(HOST):$(PORT) VENV=$(VENV) ./scripts/serve.sh

.PHONY: cluster cluster-test
cluster: install ## Two app servers and two task workers on PostgreSQL, Redis and an S3 server (moto), on this machine
	VENV=$(VENV) ./scripts/cluster.sh

cluster-test: install ## The stories of tests_cluster/ against a cluster started for them (two servers, a worker killed)
	$(PY) -m pytest -c tests_cluster/pytest.ini tests_cluster $(PYTEST_ARGS)

# One process a core; a test file stays in one process (its module-scoped fixtures load once).
TEST_WORKERS ?= auto
test: install ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default; TEST_WORKERS=0 for one process)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

e2e: e2e-deps ## Browser tests of the user journeys (Chromium, axe-core, Nu Html Checker); screenshots in e2e-screenshots/
	$(PY) -m pytest -c e2e/pytest.ini e2e

e2e-deps: install $(VENV)/.installed-e2e node_modules/.installed ## Install Debian's chromium, Java and npm if missing, Playwright, axe-core and vnu-jar
	./e2e/system-deps.sh

$(VENV)/.installed-e2e: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[dev,e2e]" $(EXTRA_PIP)
	touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's runs it.
node_modules/.installed: package.json package-lock.json
	./e2e/system-deps.sh
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

bench: install bench-deps $(VENV)/.installed-e2e ## Benchmark the pages at 100 000 exchanges on PostgreSQL and an 8 MB document over Bignona's link (about 30 min; BENCH_ARGS=--reuse)
	$(PY) -m benchmarks.run --server $(BENCH_SERVER) $(BENCH_ARGS)

BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
bench-deps: ## Install hey, the HTTP load generator of make bench, and Chromium (Debian packages), if missing
	@command -v hey >/dev/null || apt-get install -y -qq hey || \
	  { echo "make bench needs hey: apt-get install hey"; exit 1; }
	@[ -x "$${E2E_CHROMIUM:-/usr/bin/chromium}" ] || apt-get install -y -qq chromium || \
	  { echo "make bench needs Chromium: apt-get install chromium"; exit 1; }

.PHONY: loadtest
loadtest: install ## Load test: 50 users for 60 s on the production server and a throwaway PostgreSQL database (LOADTEST_CLUSTER=1: on make cluster)
	$(PY) -m pip install --quiet ".[loadtest]"
	VENV=$(VENV) ./loadtest/run.sh

lint: install ## Check style (ruff), types (mypy), the apps' layers (import-linter) and that no migration is missing
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(DEV) $(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache
	$(DEV) $(PY) manage.py makemigrations --check --dry-run --verbosity 0

format: install ## Format the code with ruff
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: install ## Extract the interface strings into locale/ (French and English)
	$(DEV) $(PY) manage.py makemessages -l fr -l en --ignore '.venv*' --ignore 'staticfiles/*' --no-obsolete

clean: ## Remove the virtual environment and the local database
	rm -rf $(VENV) db.sqlite3 staticfiles var
