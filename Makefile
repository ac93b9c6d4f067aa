# Two commands on a fresh machine (Python 3.11 + pip): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast bench bench-search golden clean

$(BIN)/govdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

run: $(BIN)/govdocs
	$(BIN)/govdocs search 人民政府 --facets

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

clean:
	rm -rf $(VENV) bench/data .pytest_cache
