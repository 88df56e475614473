# Two entry points: `make demo` and `make test`. Each installs what is missing
# (Debian packages, the virtual environment, the Python packages) and nothing
# more on a second run.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME := $(CURDIR)/.rpa-demo
# Pango and HarfBuzz-subset: WeasyPrint lays out the replies by post (drafting/postal.py).
# catdoc reads Word 97-2003 .doc attachments (extractors/readers/doc.py).
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng poppler-utils fonts-dejavu-core dovecot-imapd \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 catdoc
# The browser the workspace's tests drive (Playwright for Python, launched on /usr/bin/chromium).
TEST_APT_PACKAGES := chromium
# Front-end files the workspace serves itself, from their npm packages (package-lock.json).
HTMX := rpa/web/static/vendor/htmx.min.js
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Tesseract is ~3x faster single-threaded on 2 cores; rpa runs pages side by side instead.
export OMP_THREAD_LIMIT := 1

.PHONY: demo serve-demo test setup system-packages test-packages bench lint clean

# Processes the samples and prints the queue; in a terminal, then serves the workspace with a
# demo agent account (Ctrl-C stops it).
demo: setup
	RPA_HOME=$(DEMO_HOME) $(BIN)/rpa process samples/
	RPA_HOME=$(DEMO_HOME) $(BIN)/rpa queue --status all
	@if [ -t 0 ] && [ -t 1 ]; then $(MAKE) --no-print-directory serve-demo; fi

serve-demo: setup
	@mkdir -p $(DEMO_HOME)
	@for account in demo:agent lead:supervisor; do \
	  name=$${account%%:*}; role=$${account##*:}; file=$(DEMO_HOME)/$$name-password; \
	  [ -s $$file ] || (umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))' > $$file); \
	  RPA_HOME=$(DEMO_HOME) $(BIN)/rpa user list | grep -q "^$$name " || \
	    RPA_HOME=$(DEMO_HOME) $(BIN)/rpa user add $$name --role $$role --password-file $$file --agent make-demo >/dev/null; \
	done
	@echo
	@echo "  rpa workspace: http://127.0.0.1:8000"
	@echo "  agent:      demo / $$(cat $(DEMO_HOME)/demo-password)"
	@echo "  supervisor: lead / $$(cat $(DEMO_HOME)/lead-password)"
	@echo "  (Ctrl-C stops it)"
	@echo
	RPA_HOME=$(DEMO_HOME) $(BIN)/rpa web --host 127.0.0.1 --port 8000

# The suite on TEST_PROCESSES processes (pytest-xdist; the tests of a file stay together, so
# its fixtures are built once), then the tests that restart PostgreSQL and RabbitMQ, alone.
TEST_PROCESSES ?= 2

test: setup test-packages
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile -m "not alone"
	$(BIN)/pytest -m alone

setup: system-packages $(STAMP) $(HTMX)

define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-packages:
	$(call apt_install,$(APT_PACKAGES))
	@command -v npm >/dev/null || $(MAKE) --no-print-directory APT_PACKAGES="nodejs npm" system-packages

test-packages:
	$(call apt_install,$(TEST_APT_PACKAGES))

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rpa needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Every benchmark, each printing its figures against a reference measured in the same run.
# bench/web.py loads the workspace with wrk.
bench: setup
	$(call apt_install,wrk)
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/documents.py all
	$(BIN)/python bench/tables.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/intent.py
	$(BIN)/python bench/llm_drafting.py
	$(BIN)/python bench/imap_latency.py
	$(BIN)/python bench/imap_backlog.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/web.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DEMO_HOME) build dist *.egg-info .pytest_cache node_modules $(dir $(HTMX))
