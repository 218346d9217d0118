# blocking-io: every target creates or reuses the virtualenv itself.
#   make detect-blocking-io [TARGET=path]   static scan (default: the embedded target packages/)
#   make test-blocking-io                   runtime anchors under the gate, writes anchors.json
#   make coverage-gap                       detect + anchors + join: which findings no anchor guards
#   make teeth                              revert each offload, check an anchor goes red
#   make test | lint | bench | docs
#   make kb                                 regenerate the knowledge base (downloads the pinned libraries)
#   make dist                               sdist + wheel in dist/ (PEP 517), checked by twine

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TARGET ?=
REPORT_DIR ?= .blocking-io
PYTEST_ARGS ?=

.PHONY: install detect-blocking-io test-blocking-io coverage-gap teeth test test-all lint bench docs kb dist clean

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

detect-blocking-io: $(STAMP)
	$(BIN)/blocking-io detect $(TARGET) --format summary --exit-zero

test-blocking-io: $(STAMP)
	$(BIN)/python -m pytest tests/blocking_io -p no:cacheprovider -q --blocking-io-report=$(REPORT_DIR)/anchors.json $(PYTEST_ARGS)

coverage-gap: $(STAMP)
	$(BIN)/blocking-io detect $(TARGET) --format summary --exit-zero
	-$(BIN)/python -m pytest tests/blocking_io -p no:cacheprovider -q --blocking-io-report=$(REPORT_DIR)/anchors.json
	$(BIN)/blocking-io gaps --anchors $(REPORT_DIR)/anchors.json

teeth: $(STAMP)
	$(BIN)/blocking-io detect $(TARGET) --format summary --exit-zero > /dev/null
	$(BIN)/python -m pytest tests/blocking_io -p no:cacheprovider -q --blocking-io-report=$(REPORT_DIR)/anchors.json
	$(BIN)/blocking-io teeth

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow" $(PYTEST_ARGS)

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check blocking_io shared_rules static_detector runtime_gate gap_report tests bench
	$(BIN)/ruff format --check blocking_io shared_rules static_detector runtime_gate gap_report tests bench
	@# mypy cannot follow the editable install's import hook: type-check a link tree shaped
	@# like the installed package (pyproject's package-dir)
	@rm -rf build/typecheck && mkdir -p build/typecheck/blocking_io
	@for part in __init__.py __main__.py cli; do ln -s ../../../blocking_io/$$part build/typecheck/blocking_io/$$part; done
	@for engine in shared_rules static_detector runtime_gate gap_report; do ln -s ../../../$$engine build/typecheck/blocking_io/$$engine; done
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev,bench]'
	@# timed as an installed toolkit runs: bytecode (and the compiled rule registry) written
	@# where Python writes them, even if this shell sets PYTHONDONTWRITEBYTECODE
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q blocking_io shared_rules static_detector runtime_gate gap_report
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m bench

docs: $(STAMP)
	$(BIN)/blocking-io rules --format markdown --output docs/rules.md
	$(BIN)/python -m blocking_io.cli.scaffold.config_docs --output docs/configuration.md

# The knowledge base of libraries that are not installed (docs/knowledge-base.md): pip
# downloads the releases pinned in shared_rules/data/kb/libraries.toml into build/kb-sources
# (kept: a re-run downloads nothing), the detector's own analysis writes kb/<library>.json
kb: $(STAMP)
	$(BIN)/python -m blocking_io.static_detector.kb_build --downloads build/kb-sources

# The distribution files: `pip install dist/blocking_io-*.whl` (add `[gate]` for the
# pytest plugin), or upload them. `python -m build` builds in an isolated environment
# (PEP 517: setuptools and wheel as pyproject's [build-system] asks); twine checks what
# PyPI would refuse (metadata, the README as the long description).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --sdist --wheel --outdir dist .
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf $(REPORT_DIR) build dist *.egg-info
