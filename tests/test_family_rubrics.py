"""The three rubrics of the family in examples/rubrics/ (a state enterprise's, a county's, a city's 负面清单):
each compiles, passes `check --strict` and `fmt --check`, and its worked examples pass with full coverage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import qlrules
from qlrules.authoring.examples import coverage, read_examples, run_examples
from qlrules.authoring.fmt import format_text
from qlrules.authoring.lint import lint

ROOT = Path(__file__).resolve().parents[1]
FAMILY = sorted((ROOT / "examples" / "rubrics").glob("*.qlr"))
NAMES = [p.stem for p in FAMILY]


def test_there_are_three_family_rubrics() -> None:
    """One rubric modelled on each document of the family's corpus."""
    assert NAMES == ["guoqi-dflz", "wenzhou-fumian", "xxxian-zongzhi"]


@pytest.mark.parametrize("path", FAMILY, ids=NAMES)
def test_compiles_without_a_warning_or_a_lint(path: Path) -> None:
    """What `check --strict` requires: no compiler warning and no wording lint."""
    text = path.read_text(encoding="utf-8")
    rubric = qlrules.compile_rubric(text, str(path))
    assert [p.render() for p in (*rubric.warnings, *lint(rubric, text))] == []


@pytest.mark.parametrize("path", FAMILY, ids=NAMES)
def test_is_in_the_canonical_layout(path: Path) -> None:
    """`qlrules fmt` would leave the file as it is."""
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


@pytest.mark.parametrize("path", FAMILY, ids=NAMES)
def test_worked_examples_pass_with_full_coverage(path: Path) -> None:
    """Every hand-worked unit scores as its comment says, and together they exercise every clause, veto and cap."""
    rubric = qlrules.load_rubric(path, use_cache=False)
    examples = read_examples(path.with_suffix(".examples.yaml"), rubric)
    assert len(examples) >= 8
    outcomes = run_examples(rubric, examples)
    assert [o.example.unit.name for o in outcomes if not o.passed] == []
    result = coverage(rubric, (o.report for o in outcomes))
    assert result.complete, (result.unexercised_clauses, result.unexercised_adjustments, result.unexercised_vetoes, result.caps)


def test_the_command_agrees() -> None:
    """`qlrules check --strict` and `qlrules test --strict-coverage` exit 0 on the folder."""
    for command in (["check", "--strict", *map(str, FAMILY)], ["test", "--strict-coverage", str(FAMILY[0].parent)]):
        done = subprocess.run([sys.executable, "-m", "qlrules", *command], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
