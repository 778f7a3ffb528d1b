# Two commands do all the set-up on a fresh machine with Python >= 3.11 and make:
#   make demo   scores the bundled sample unit on the bundled rubric
#   make test   runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test typecheck clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qlrules score examples/unit.yaml

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .hypothesis
