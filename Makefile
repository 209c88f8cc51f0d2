# The README's two commands are `make run` and `make test`; both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast lint bench bench-hostile bench-store bench-scale sample lock clean mutation fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the dependency list or the lock changes.
$(STAMP): pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -e '.[dev,scale]'
	touch $(STAMP)

# The demo opens on a temporary workspace (two weekly imports and a few reviews), deleted when
# the app stops. A clinic's own file: make run REHAB_WORKSPACE=/path/to/clinic.db
# app_pages.serve is `streamlit run app.py` (same options) that prepares the first page in the
# background once the server is up, so the first visitor does not wait for it.
REHAB_WORKSPACE ?= demo
run: $(STAMP)
	REHAB_WORKSPACE=$(REHAB_WORKSPACE) $(BIN)/python -m app_pages.serve --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/files_bench.py
	$(BIN)/python benchmarks/analysis_bench.py
	$(BIN)/python benchmarks/screening_bench.py

# Pathological uploads against clean files of the same size, each in its own process.
bench-hostile: $(STAMP)
	$(BIN)/python benchmarks/hostile_bench.py

# The clinic workspace (3-4 min): store -> triage table against the raw CSVs, one weekly import,
# and SQLite against DuckDB on the store's own work (--skip-engines leaves that part out).
bench-store: $(STAMP)
	$(BIN)/python benchmarks/store_bench.py $(BENCH_STORE_ARGS)

# Out-of-core screening on Dask (issue 13), not in CI: 20,000 patients x 90 days (about 17M
# rows) as Parquet, 1 and 2 local workers limited to 2 GB each (docs/scale.md).
# A shorter run: make bench-scale BENCH_SCALE_ARGS='--patients 2000'
BENCH_SCALE_ARGS ?=
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale_bench.py $(BENCH_SCALE_ARGS)

# Mutation testing, not in CI (hours on 2 cores): small changes to rehab/analysis/ and
# rehab/importer/ that the tests must notice; config in [tool.mutmut] of pyproject.toml.
# Narrow it with mutmut's name globs: make mutation MUTANTS='rehab.analysis.pain*'
MUTANTS ?=
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -e '.[dev,scale,mutation]'
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

# Fuzzing, not in CI (tens of minutes): the importer's property tests with 10,000 examples
# each (hypothesis profile 'fuzz') and 20,000 mutants of the sample files through both
# parsers. FUZZ_MUTANTS and REHAB_FUZZ_SEED change the mutants.
FUZZ_MUTANTS ?= 20000
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz REHAB_FUZZ_MUTANTS=$(FUZZ_MUTANTS) $(BIN)/python -m pytest -q \
		-p no:cacheprovider tests/importer/test_import_properties.py \
		tests/importer/test_import_dates_properties.py tests/importer/test_import_parse_properties.py \
		tests/importer/test_import_mutation_fuzz.py

sample: $(STAMP)
	$(BIN)/rehab sample --out sample_data --end 2026-11-20

lock: $(BIN)/python
	{ echo "# Every package the project installs, pinned, so a fresh machine gets the same set."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements/constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
