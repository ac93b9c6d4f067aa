# Two commands on a fresh machine (Python 3.11 + pip): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast bench bench-search golden cli-reference clean

# setup.py builds the compiled parts in place (engine/_positions.c, engine/_postings.c, engine/_bulk.c, _wordtable.c): a change rebuilds
$(BIN)/govdocs: pyproject.toml setup.py govdocs/index/engine/_positions.c govdocs/index/engine/_postings.c govdocs/index/engine/_bulk.c \
		govdocs/index/_wordtable.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

# `make run` searches an index of this checkout's own corpus, kept inside the checkout
# (.govdocs-index, not committed), never the per-user index another project may have filled
run: $(BIN)/govdocs
	$(BIN)/govdocs search 人民政府 --facets --index .govdocs-index

# lint and types first (seconds), then every test, the slow ones included
test: $(BIN)/govdocs
	$(BIN)/ruff check govdocs tests bench
	$(BIN)/mypy govdocs
	$(BIN)/pytest tests

# the fast unit suite, for the edit-test loop (`make test` runs everything)
test-fast: $(BIN)/govdocs
	$(BIN)/pytest tests -m "not slow"

bench: $(BIN)/govdocs
	$(BIN)/python bench/parse_throughput.py

bench-search: $(BIN)/govdocs
	$(BIN)/python bench/search_bench.py --mb 50

golden: $(BIN)/govdocs
	$(BIN)/python -m tests.golden

# docs/cli.md from every command's --help (after changing a command's options or help)
cli-reference: $(BIN)/govdocs
	$(BIN)/python -m tests.cli_reference

clean:
	rm -rf $(VENV) bench/data .pytest_cache .govdocs-index govdocs/index/engine/*.so govdocs/index/*.so
