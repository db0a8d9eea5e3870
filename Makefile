# Zhizao: `make run` serves the demo city; `make test` runs everything CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8000

.PHONY: run install dev-install system-deps test lint lock pytest bench stress messages clean help

help:
	@echo "make run    install into .venv, migrate, load the demo city, serve http://127.0.0.1:$(PORT)"
	@echo "make test   install test needs (incl. Debian chromium) and run lint + the whole suite"
	@echo "make lint   ruff, mypy, migrations check, translations check"
	@echo "make bench  benchmarks -> bench/results/*.json"
	@echo "make stress load test, kills and a PostgreSQL restart at full size -> bench/results/stress.json"
	@echo "make lock   regenerate uv.lock from pyproject.toml"

# Installs come from uv.lock only (exact versions and hashes; docs/decisions/0003-locked-installs.md).
# uv itself is pinned by hash in requirements-bootstrap.txt and lives in .venv beside the project.
UV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(BIN)/uv
UV_SYNC := $(UV) sync --frozen --inexact --quiet --python $(BIN)/python

$(BIN)/uv: requirements-bootstrap.txt
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip uninstall -q -y setuptools 2>/dev/null || true
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
		-r requirements-bootstrap.txt
	touch $@

$(VENV)/.installed: uv.lock pyproject.toml | $(BIN)/uv
	$(UV_SYNC)
	touch $@

$(VENV)/.installed-dev: uv.lock pyproject.toml | $(BIN)/uv
	$(UV_SYNC) --extra dev
	touch $@ $(VENV)/.installed

# Regenerate uv.lock from pyproject.toml (PyPI as of [tool.uv] exclude-newer).
lock: $(BIN)/uv
	$(UV) lock

install: $(VENV)/.installed

dev-install: $(VENV)/.installed-dev

run: install
	$(BIN)/zhizao migrate --noinput -v0
	$(BIN)/zhizao demo --logins
	$(BIN)/zhizao collectstatic --noinput -v0
	@echo "Zhizao: open http://127.0.0.1:$(PORT)/"
	$(BIN)/zhizao serve --port $(PORT)

# Browser tests drive Debian's chromium; the CJK font makes Chinese render in screenshots and
# PDFs; WeasyPrint needs Pango; the PDF tests read text back with poppler's pdftotext; the
# backup round trip on PostgreSQL runs pg_dump / pg_restore; the fault tests start a private
# PostgreSQL cluster (initdb, pg_ctl: the server package).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	postgresql-client postgresql
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! command -v pg_dump >/dev/null \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then \
		echo "installing $(SYSTEM_PACKAGES) (Debian)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

lint: dev-install
	$(UV) lock --check --offline
	$(BIN)/python tools/check_lock.py
	$(BIN)/ruff check src bench tools tests
	$(BIN)/ruff format --check src bench tools tests
	$(BIN)/mypy src
	$(BIN)/zhizao makemigrations --check --dry-run -v1
	$(BIN)/python tools/check_translations.py

pytest: dev-install system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

bench: dev-install
	@for script in bench/*_bench.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Long (tens of minutes), not part of `make test`: locust against `zhizao serve` on PostgreSQL with
# the full demo, SIGKILL during 1-million-row imports, PostgreSQL restarted during a write burst
# (docs/reliability.md). STRESS_ARGS="--database-url postgres://USER@HOST/DB --run-time 60s".
stress: dev-install system-deps
	$(BIN)/python bench/stress.py $(STRESS_ARGS)

messages: dev-install
	cd src/zhizao && ../../$(BIN)/zhizao makemessages -l zh_Hans --no-location --no-obsolete
	cd src/zhizao && ../../$(BIN)/zhizao compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
