# Two commands for a fresh Debian 12 checkout: `make run` and `make test`.
# Both first run scripts/setup.sh, which installs only what is missing.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test lint

setup:
	bash scripts/setup.sh

# Without a display main.py says so in one line and exits 2: that is not make's error.
run: setup
	@$(PY) main.py || [ $$? -eq 2 ]

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(PY) -m mypy
	$(VENV)/bin/ruff check .

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) -m mypy
