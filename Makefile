# The two set-up commands (see README): `make serve` and `make test`.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck pytest install assets fonts model clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/kaleidoscope serve

lint: install
	$(BIN)/ruff check src tests bench tools

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest
	@# CI (.ci/run) sets KALEIDOSCOPE_TEST_POSTGRES: the web suite runs again on PostgreSQL.
	@if [ -n "$$KALEIDOSCOPE_TEST_POSTGRES" ]; then \
		echo "== web suite on PostgreSQL"; \
		DATABASE_URL="$$KALEIDOSCOPE_TEST_POSTGRES" \
		KALEIDOSCOPE_TEST_DB_NAME="test_kaleidoscope_web_$$$$" $(BIN)/pytest tests/web; \
	fi

test: lint typecheck pytest

# Long fuzzing of the archive readers and the Twine/YAML importers (issue 14): `make test`
# runs the same targets briefly. FUZZ_EXAMPLES cases per target (2000: about 10 minutes
# on two shared cores); the cases tried per target are printed at the end.
FUZZ_EXAMPLES ?= 2000
fuzz: install
	rm -f $(VENV)/fuzz-report.json
	KALEIDOSCOPE_FUZZ=1 KALEIDOSCOPE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	KALEIDOSCOPE_FUZZ_REPORT=$(VENV)/fuzz-report.json \
		$(BIN)/pytest -q -p no:cacheprovider tests/check/test_fuzz_archives.py \
		tests/check/test_fuzz_importers.py
	@cat $(VENV)/fuzz-report.json

# Rebuild the committed front-end assets from node_modules (needs npm; `make serve` and
# `make test` do not: the built files are committed).
WEB_STATIC := src/kaleidoscope/web/core/static/kaleidoscope
assets:
	npm ci --no-audit --no-fund
	npx sass --load-path=node_modules --style=compressed --no-source-map \
		src/kaleidoscope/web/core/assets/app.scss $(WEB_STATIC)/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(WEB_STATIC)/
	cp node_modules/htmx.org/dist/htmx.min.js $(WEB_STATIC)/
	mkdir -p tests/web/vendor
	cp node_modules/axe-core/axe.min.js tests/web/vendor/

# Rebuild the PDF font subsets from Debian's fonts-dejavu-core (committed; see tools/).
fonts: install
	$(BIN)/python tools/subset_fonts.py

# Retrain the checker's learned layer from data/posts/train and tests/fixtures/check
# (deterministic: the same data gives the same bytes; see tools/train_checker.py).
model: install
	$(BIN)/python tools/train_checker.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
