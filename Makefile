# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres install lock messages clean-venv mutation

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Duixian needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p var
	DUIXIAN_DEMO=1 DEBUG=1 $(BIN)/duixian migrate --noinput
	@if [ -d duixian/locale ] && command -v msgfmt >/dev/null; then cd duixian && ../$(BIN)/duixian compilemessages -v 0; fi
	@DUIXIAN_DEMO=1 DEBUG=1 $(BIN)/duixian demo
	@echo ""
	@echo "  通用人工智能政策兑现平台已启动： http://$(HOST):$(PORT)/"
	@echo ""
	@# The background worker (imports, runs, exports, sweeps) lives and dies with the web server.
	DUIXIAN_DEMO=1 DEBUG=1 $(BIN)/duixian worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DUIXIAN_DEMO=1 DEBUG=1 $(BIN)/duixian runserver --noreload $(HOST):$(PORT)

# The import contracts (docs/decisions/0002-import-contracts.md), then the whole suite on the
# embedded SQLite, then again on PostgreSQL when DATABASE_URL names one.
test: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@case "$$DATABASE_URL" in postgres*) \
	  echo "== the same suite on PostgreSQL ($$DATABASE_URL) =="; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS) ;; esac

# Mutation testing of the four cores (docs/testing.md): slow, so not part of `make test`.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[mutation]'
	tools/mutation.sh duixian/applications/workflow.py tests/applications/test_workflow.py tests/applications/test_submission_window.py tests/review
	tools/mutation.sh duixian/policy/engine.py tests/policy/test_engine.py tests/policy/test_engine_questions.py tests/policy/test_hypothesis.py tests/policy/test_adversarial_facts.py tests/policy/test_pack_cases.py tests/policy/test_material_flags.py tests/policy/test_contracts_amended.py
	tools/mutation.sh duixian/audit/services.py tests/audit
	tools/mutation.sh duixian/compute/engine.py tests/compute/test_semantics.py tests/compute/test_command.py tests/compute/test_metering.py

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf /tmp/duixian-lock && $(PYTHON) -m venv /tmp/duixian-lock
	/tmp/duixian-lock/bin/pip install --quiet '.[dev]'
	/tmp/duixian-lock/bin/pip freeze --exclude-editable | grep -v '^duixian' > constraints.txt

clean-venv:
	rm -rf $(VENV)
