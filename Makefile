# Two commands for a fresh Debian 12 checkout: `make run` and `make test`.
# Both first run scripts/setup.sh, which installs only what is missing.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test lint

setup:
	bash scripts/setup.sh

run: setup
	$(PY) main.py

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(PY) -m mypy
	$(VENV)/bin/ruff check .

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) -m mypy
