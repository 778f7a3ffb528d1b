# Two commands do all the set-up on a fresh machine with Python >= 3.11 and make:
#   make demo   scores the bundled sample unit on the bundled rubric
#   make test   runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test typecheck clean messages fuzz docs bench browser

# constraints.txt pins every package the test and docs extras install, so a fresh machine tests
# with what was tested; pyproject.toml keeps only lower bounds.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qlrules score examples/unit.yaml

# The browser tests of the assessors' page drive Debian's Chromium with Playwright (Playwright's own
# browser download is not used: it needs a server this machine may not reach). Installed once, as
# root (CI) or with sudo; a machine that has /usr/bin/chromium already skips this in no time.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null

browser: $(CHROMIUM)

# The round trip of the Excel form and the workbook report through LibreOffice Calc
# (tests/test_workbook_report.py) needs Calc itself, not just `soffice`; installed the same way.
CALC := /usr/lib/libreoffice/program/libsclo.so
$(CALC):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils >/dev/null

test: $(STAMP) $(CHROMIUM) $(CALC)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check src tests benchmarks docs/conf.py

# The benchmarks (several minutes; `make test` runs only a smoke run of them).
# Installs the peer engines (zen-engine, rule-engine) they compare against: the bench extra.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python benchmarks/run.py

# Translations: extract qlrules' own words into the template, merge them into the Chinese
# catalog (the .po, the source of truth: translate there what this adds; messages gone from the
# code are dropped), compile it. tests/test_i18n.py checks all three are current and complete.
# Then the same for click's own words (click.pot from the installed click, click.po), which the
# command line shows in the user's language (cli/lang.py; tests/test_cli_language.py checks them).
LOCALE := src/qlrules/locale
messages: $(STAMP)
	$(BIN)/pybabel extract -k _ -k N_ --no-location --sort-output --omit-header -o $(LOCALE)/qlrules.pot src/qlrules
	$(BIN)/pybabel update -i $(LOCALE)/qlrules.pot -d $(LOCALE) -D qlrules -l zh_CN --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 120
	$(BIN)/pybabel compile -d $(LOCALE) -D qlrules --statistics
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -o $(LOCALE)/click.pot "$$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(BIN)/pybabel update -i $(LOCALE)/click.pot -d $(LOCALE) -D click -l zh_CN --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 120
	$(BIN)/pybabel compile -d $(LOCALE) -D click --statistics

# The documentation site, warnings as errors, and its doctests. tests/test_sphinxext.py
# builds it too, so `make test` fails on a broken page.
docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html -d docs/_build/doctrees docs docs/_build/html
	$(BIN)/sphinx-build -W --keep-going -b doctest -d docs/_build/doctrees docs docs/_build/doctest

# A long fuzzing run of the compiler and the findings reader (CI runs the same tests with a small budget).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz_findings.py tests/test_compile_fuzz.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .hypothesis
