# Portail de la coopération décentralisée. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make
export PYTHONDONTWRITEBYTECODE := 1

# `make run PORT=8001 HOST=0.0.0.0` serves elsewhere; e-mails sent without a request link there too.
HOST ?= 127.0.0.1
PORT ?= 8000
# The Atlas scale `make seed-full` builds (full, demo or small; CI resets the demo at the small scale).
SCALE ?= full
# `make stack` and `make load` run on the demo content (its 215 projects: a PDF of them all is a background
# job, which the worker fault needs); STACK_SCALE= / LOAD_SCALE=small or full seed the Atlas on top.
STACK_SCALE ?=
LOAD_SCALE ?=
# The Atlas scale `make backup-check` backs up and restores (small; full takes a few minutes).
BACKUP_SCALE ?= small

.DEFAULT_GOAL := help
.PHONY: help run test lint format seed seed-full bench lighthouse stack load backup-check assets deps system-deps messages lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP)/deps: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/assets: package.json package-lock.json scripts/vendor_assets.sh
	@command -v npm >/dev/null || { echo "npm est requis pour installer Leaflet et axe-core (apt-get install npm)."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	bash scripts/vendor_assets.sh
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/messages: $(STAMP)/deps $(wildcard locale/*/LC_MESSAGES/django.po)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	@mkdir -p $(STAMP) && touch $@

deps: $(STAMP)/deps ## Create the virtual environment and install the pinned dependencies
assets: $(STAMP)/assets ## Install the front-end libraries (npm) into static/vendor, build the DSFR subset
	@# Rebuilt each time (0.3 s): a template may start using another DSFR component or icon.
	@$(PY) scripts/build_dsfr_css.py

system-deps: ## Install Chromium and WeasyPrint's libraries (apt, as root) or say what is missing
	@bash scripts/system_deps.sh

run: deps assets $(STAMP)/messages ## Set up the embedded SQLite database with demo content and serve http://127.0.0.1:8000 (PORT=, HOST=)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py demo
	WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

test: deps assets system-deps $(STAMP)/messages ## Run the whole suite (SQLite unless DATABASE_URL is set)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: deps assets ## ruff, makemigrations --check, the deploy check, catalogues up to date, production collectstatic, eslint, stylelint
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	SECRET_KEY=lint-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-key-for-the-deploy-check ALLOWED_HOSTS=portail.example.org \
	  DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py check --deploy --fail-level WARNING
	PY=$(PY) bash scripts/lint_gates.sh
	npx --no-install eslint . --max-warnings=0
	npx --no-install stylelint "**/static/**/*.css"

format: deps ## Format and fix the code with ruff
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: deps ## Update the French and English message catalogues
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules --ignore=static --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

seed: deps assets $(STAMP)/messages ## Load the demo content (idempotent)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py demo

seed-full: deps ## Build the Atlas at the 2012 scale on top of the demo (deterministic; best on PostgreSQL; SCALE=small)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py demo --quiet
	$(PY) manage.py seed_atlas --scale $(SCALE) --reset

lighthouse: deps assets $(STAMP)/messages ## Lighthouse (mobile) on seven pages in production settings; fails under the targets (reports in tmp/lighthouse/)
	PY=$(PY) bash scripts/lighthouse.sh

bench: deps assets ## Seed PostgreSQL at full scale, serve with gunicorn, measure (writes bench/latest.json or BENCH_JSON; SCALE=small)
	SCALE=$(SCALE) bash scripts/bench.sh

stack: deps assets $(STAMP)/messages ## Serve the portal as several servers would (nginx, 2 gunicorn, PostgreSQL, Redis, task worker) on https://127.0.0.1:8780 until Ctrl-C (STACK_SCALE=small)
	SCALE=$(STACK_SCALE) bash scripts/stack.sh serve

load: deps assets $(STAMP)/messages ## Start the stack, 50 clients for 60 s, then PostgreSQL restarted, Redis stopped, a worker killed; writes `load` into bench/latest.json (LOAD_CLIENTS=, LOAD_SECONDS=)
	SCALE=$(LOAD_SCALE) bash scripts/stack.sh load

backup-check: deps ## Back up and restore a throw-away PostgreSQL (pg_dump and atlas_dump), compare every Atlas record (BACKUP_SCALE=full)
	BACKUP_SCALE=$(BACKUP_SCALE) bash scripts/backup_roundtrip.sh

lock: ## Re-resolve pyproject.toml into requirements.lock (with dev) and requirements-prod.lock (runtime + production)
	rm -rf $(STAMP)/lock-venv && $(PYTHON) -m venv $(STAMP)/lock-venv
	$(STAMP)/lock-venv/bin/pip install --quiet ".[dev]"
	$(STAMP)/lock-venv/bin/pip freeze --exclude-editable | grep -v '^portail-cooperation' > requirements.lock
	@# The production lock: the runtime dependencies and the production extra, at requirements.lock's versions.
	$(STAMP)/lock-venv/bin/pip install --quiet --dry-run --ignore-installed --constraint requirements.lock \
	  --report $(STAMP)/lock-report.json ".[production]"
	$(STAMP)/lock-venv/bin/python -c 'import json, sys; \
	  names = ["%s==%s" % (p["metadata"]["name"], p["metadata"]["version"]) for p in json.load(open(sys.argv[1]))["install"] \
	           if not p["metadata"]["name"].startswith("portail-")]; \
	  print("\n".join(sorted(names, key=str.lower)))' $(STAMP)/lock-report.json > requirements-prod.lock
	rm -rf $(STAMP)/lock-venv $(STAMP)/lock-report.json build *.egg-info

clean: ## Remove the virtual environment, installed assets and local data
	rm -rf $(VENV) $(STAMP) node_modules static/vendor staticfiles tmp db.sqlite3
