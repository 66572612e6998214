# Two commands on a fresh machine: `make run` (install, build the database if needed, serve)
# and `make test` (install, run the whole test suite). See README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: install db run test audit bench load clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

db: install
	$(PY) -m etl --if-stale --quiet

run: db
	$(PY) -m streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT)

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m bench.run

load: install
	$(PY) -m bench.load

audit: install
	$(PY) -m pip install --quiet pip-audit==2.10.1 && $(PY) -m pip_audit -r requirements.txt

clean:
	rm -rf $(VENV) data/*.builds data/*.duckdb data/*.lock .pytest_cache
