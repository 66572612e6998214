# Two commands on a fresh machine: `make run` (install, build the database if needed, serve)
# and `make test` (install, run the whole test suite). See README.md.
# `make check`: the fast tier for every change, the tests that need no browser, no server and no long run (pytest.ini's
# markers browser, server and slow).
# `make serve`: the same behind nginx with REPLICAS Streamlit replicas under supervisord, for many viewers
# (deploy/README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 8501
REPLICAS ?= 3
# make bake: the static edition's folder and the address it will be published at (optional, for citations).
BAKE_OUT ?= site
BASE_URL ?=
# make serve listens on 8080 unless PORT is given (on the command line or in the environment).
SERVE_PORT = $(if $(filter file,$(origin PORT)),8080,$(PORT))

# Tests run in parallel on TEST_WORKERS pytest-xdist workers (auto: one per CPU); tests/conftest.py keeps together what
# must share a worker. The 25 slowest tests are listed after every run, so the next slowdown shows.
TEST_WORKERS ?= auto
PYTEST = $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=25

.PHONY: install db run serve bake test check audit bench load clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

db: install
	$(PY) -m etl --if-stale --quiet

run: db
	$(PY) -m streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT)

# The database is built (if stale) before anything serves; the replicas only read it.
serve: db
	$(PY) -m deploy.serve --replicas $(REPLICAS) --host $(HOST) --port $(SERVE_PORT)

# The static edition of the current build (app/bake, deploy/README.md): every page, figure and download as files.
bake: db
	$(PY) -m app.bake --out $(BAKE_OUT) --lang all $(if $(BASE_URL),--base-url $(BASE_URL))

test: install
	$(PYTEST)

check: install
	$(PYTEST) -m "not browser and not server and not slow"

bench: install
	$(PY) -m bench.run

load: install
	$(PY) -m bench.load

audit: install
	$(PY) -m pip install --quiet pip-audit==2.10.1 && $(PY) -m pip_audit -r requirements.txt

clean:
	rm -rf $(VENV) data/*.builds data/*.duckdb data/*.lock .pytest_cache
