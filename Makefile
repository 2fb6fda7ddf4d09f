# `make run` (set up and serve the demo on SQLite), `make serve` (serve as in production: bin/serve) and `make test`
# (set up and pass the suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve test lint bench messages css clean web-forms-harness

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	mkdir -p var/media
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production serve: gunicorn, DEBUG off, migrations, static files, a secret key kept in var/ (see bin/serve, README).
serve: $(VENV)/.runtime
	bin/serve

# Browser tests drive Debian's Chromium: Playwright cannot download its own browser here.
/usr/bin/chromium:
	(command -v apt-get >/dev/null && (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null))) || \
	  echo "Chromium could not be installed: browser tests will fail."

test: $(VENV)/.dev /usr/bin/chromium
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -q

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# Re-extract and compile the translations (needs GNU gettext: apt-get install gettext). The .mo files are committed,
# so neither `make run` nor `make test` needs gettext.
messages: $(VENV)/.dev
	DEBUG=1 $(BIN)/python manage.py makemessages -l ar --no-obsolete -i '.venv/*' -i 'var/*' -i 'static/*' -i 'tests/*' -i 'bench/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages -l ar -i .venv

# Rewrite the trimmed Bootstrap stylesheets the pages load (only the rules for classes the templates and scripts use):
# after adding a Bootstrap class to a template. The files are committed; the suite checks they are up to date.
css: $(VENV)/.dev
	DEBUG=1 $(BIN)/python manage.py trim_bootstrap

clean:
	rm -rf $(VENV) var/staticfiles

# ODK Web Forms bundled for the OpenRosa end-to-end test (committed; rebuild only after changing tests/web_forms/).
web-forms-harness:
	cd tests/web_forms && npm install --no-audit --no-fund && npm run build
