# Set-up and the main jobs. Every target installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_MODELS ?= 20000
DEMO_DB ?= demo.duckdb

.PHONY: install system-packages crawl demo test lint

$(BIN)/registry: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/registry

# The main job: crawl HF_ENDPOINT (default https://huggingface.co) into REGISTRY_DB, then report.
crawl: install
	$(BIN)/registry crawl
	$(BIN)/registry stats

# The same job against a local Hub stand-in, for machines without internet access: a generated
# population shaped like the Hub (tests/hub_standin/calibration.py).
demo: install
	@rm -f .standin.url; \
	$(BIN)/python -m tests.hub_standin --models $(DEMO_MODELS) --seed 1 --profile hub --port 0 > .standin.url & pid=$$!; \
	trap "kill $$pid 2>/dev/null; rm -f .standin.url" EXIT; \
	until [ -s .standin.url ]; do sleep 0.2; done; \
	endpoint=$$(head -n 1 .standin.url); echo "Hub stand-in with $(DEMO_MODELS) models at $$endpoint"; \
	HF_ENDPOINT=$$endpoint $(BIN)/registry crawl --db $(DEMO_DB) && \
	$(BIN)/registry stats --db $(DEMO_DB)

# Chromium and PostgreSQL's server for the browser and lake tests (apt, when missing).
system-packages:
	./.ci/system-packages

test: system-packages install
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2 --dist loadfile  # two workers (2 cores); a file's tests share one, and its fixtures
