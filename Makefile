# Two entry points: `make demo` and `make test`. Each installs what is missing
# (Debian packages, the virtual environment, the Python packages) and nothing
# more on a second run.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME := $(CURDIR)/.rpa-demo
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng poppler-utils fonts-dejavu-core dovecot-imapd
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Tesseract is ~3x faster single-threaded on 2 cores; rpa runs pages side by side instead.
export OMP_THREAD_LIMIT := 1

.PHONY: demo test setup system-packages bench lint clean

demo: setup
	RPA_HOME=$(DEMO_HOME) $(BIN)/rpa process samples/
	RPA_HOME=$(DEMO_HOME) $(BIN)/rpa queue --status all

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

setup: system-packages $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rpa needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Every benchmark, each printing its figures against a reference measured in the same run.
bench: setup
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/documents.py all
	$(BIN)/python bench/tables.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/intent.py
	$(BIN)/python bench/llm_drafting.py
	$(BIN)/python bench/imap_latency.py
	$(BIN)/python bench/imap_backlog.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DEMO_HOME) build dist *.egg-info .pytest_cache
