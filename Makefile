# Two commands for a new user: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: install demo serve test test-sqlite test-postgres check messages clean

install: $(VENV)/.installed node_modules/.installed $(MO_FILES)
	@.ci/ensure-pango

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues are not kept in git: they are built here, at install.
locale/%.mo: locale/%.po
	@command -v msgfmt >/dev/null || .ci/ensure-apt gettext msgfmt
	msgfmt --check -o $@ $<

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: install
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

check: install
	.ci/checks

test: install
	.ci/checks
	.ci/ensure-chromium
	.ci/ensure-clamd
	.ci/ensure-two-nodes
	# the two-node test runs on PostgreSQL whatever the pass, so once, in the PostgreSQL pass
	$(BIN)/python -m pytest -m "not two_nodes"
	.ci/with-postgres $(BIN)/python -m pytest

test-sqlite: install
	$(BIN)/python -m pytest

test-postgres: install
	.ci/with-postgres $(BIN)/python -m pytest

# Refresh the catalogues after changing user-facing strings (then translate ru and tk).
messages: install
	$(BIN)/python manage.py makemessages -l ru -l tk --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests
	$(BIN)/python manage.py makemessages -d djangojs -l ru -l tk --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=static_collected || true

clean:
	rm -rf $(VENV) node_modules static_collected
