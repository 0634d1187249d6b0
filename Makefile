# Cyan: `make run` serves the demo, `make test` runs the whole suite.
.PHONY: run test lint format venv venv-dev lock test-sqlite test-postgres browser pdf-libs

venv:
	@scripts/setup-venv.sh

venv-dev:
	@scripts/setup-venv.sh --dev

run: venv pdf-libs
	.venv/bin/cyan up

browser:
	@scripts/ensure-chromium.sh
	@scripts/ensure-axe.sh

# Pango for WeasyPrint's PDFs (invoicing/pdf.py).
pdf-libs:
	@scripts/ensure-pango.sh

lint: venv-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv-dev
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# SQLite always; PostgreSQL too when CYAN_TEST_DATABASE_URL is set.
test: venv-dev browser pdf-libs lint
	@scripts/run-tests.sh

lock: venv-dev
	.venv/bin/python -m pip install --quiet uv
	.venv/bin/uv pip compile --quiet requirements.in -o requirements.lock
	.venv/bin/uv pip compile --quiet requirements-dev.in -o requirements-dev.lock
