"""`qlrules test`: a rubric's examples run as tests, failures in rubric terms, and clause coverage."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import qlrules
from qlrules.authoring.examples import coverage, examples_path, read_examples, run_examples
from qlrules.errors import FindingsError

from .conftest import ROOT, Cli

BUNDLED = ROOT / "rubrics" / "qinglian-jiguan.qlr"
MINI = ROOT / "tests" / "fixtures" / "mini.qlr"


def _beside(tmp_path: Path, rubric: Path, examples: str, name: str = "x") -> Path:
    """A copy of ``rubric`` in tmp_path with ``examples`` beside it."""
    copy = tmp_path / f"{name}.qlr"
    shutil.copyfile(rubric, copy)
    (tmp_path / f"{name}.examples.yaml").write_text(examples, encoding="utf-8")
    return copy


def test_the_bundled_examples_pass_with_full_coverage(seed: qlrules.Rubric) -> None:
    """Every bundled example passes, and together they exercise all 89 clauses, 8 adjustments, 注1, 注2 and 6.1h."""
    examples = read_examples(examples_path(BUNDLED), seed)
    outcomes = run_examples(seed, examples)
    assert [o.example.unit.name for o in outcomes if not o.passed] == []
    result = coverage(seed, (o.report for o in outcomes))
    assert (result.clauses, result.adjustments) == (89, 8)
    assert result.unexercised_clauses == () and result.unexercised_adjustments == ()
    assert [(rule.label, rule.name, done) for rule, done in result.rules] == [
        ("注1", "highest-per-case", True), ("注2", "item-cap", True)]
    assert result.replacing == (("6.1h", True),)
    assert result.complete


def test_qlrules_test_rubrics_directory_passes_strictly(cli: Cli) -> None:
    """`qlrules test rubrics/` passes, even with --strict-coverage."""
    result = cli("test", str(ROOT / "rubrics"), "--strict-coverage")
    assert result.exit_code == 0, result.output
    assert "qinglian-jiguan.qlr: 17/17 examples passed" in result.stdout
    assert "coverage: 89/89 clauses, 8/8 adjustments exercised" in result.stdout
    assert "注1 highest-per-case: exercised; 注2 item-cap: exercised; replacement by 6.1h: exercised" in result.stdout


def test_the_bundled_examples_hold_real_units_and_hand_arithmetic() -> None:
    """Each example has its arithmetic written above it, and the file documents its shape."""
    text = examples_path(BUNDLED).read_text(encoding="utf-8")
    assert "# Shape:" in text
    for block in text.split("\n- unit: ")[1:]:
        name = block.splitlines()[0]
        assert name.startswith("市"), name
    assert text.count("total ") >= 16  # "total 100 − … = …" in every worked unit's comment


def test_a_failing_example_names_unit_item_expected_got_and_trace(tmp_path: Path, cli: Cli) -> None:
    rubric = _beside(tmp_path, BUNDLED, """\
- unit: 市财政局
  findings:
    - {clause: 0.1a, count: 2}
  expect:
    total: 99
    items: {0.1: 1.5}
    sections: {S0: 4}
- unit: 市统计局
  findings: []
  expect:
    total: 100
""")
    result = cli("test", str(rubric))
    assert result.exit_code == 1
    out = result.stdout
    assert "x.qlr: 1/2 examples failed" in out
    assert "FAIL 市财政局 (" in out and "x.examples.yaml:1)" in out
    assert "item 0.1 (学习贯彻重要论述、专题研究部署、调度推进): expected to deduct 1.5, got 1" in out
    assert "0.1a  deducted −1 · 每项 −0.5 × 2 · 未传达学习、专题研究和调度的,每项扣0.5分" in out
    assert "total:" not in out and "section S0" not in out  # those matched
    assert "市统计局" not in out


def test_a_wrong_total_and_section_are_reported_with_their_trace(seed: qlrules.Rubric, tmp_path: Path, cli: Cli) -> None:
    rubric = _beside(tmp_path, BUNDLED, """\
- unit: 市审计局
  findings:
    - {clause: 6.1d, count: 3}
  expect:
    total: 85
    sections: {S2: 15}
""")
    (outcome,) = run_examples(seed, read_examples(examples_path(rubric), seed))
    # 6.1d 5 × 3 = 15 > item 6.1's 10 points: 注2 cuts 5 → total 90, S2 30 − 10 = 20.
    assert [(m.what, m.id, m.expected, m.got) for m in outcome.mismatches] == [
        ("total", None, Decimal(85), Decimal(90)), ("section", "S2", Decimal(15), Decimal(20))]
    out = cli("test", str(rubric)).stdout
    assert "total: expected 85, got 90" in out
    assert "section S2 (规范权力运行): expected score 15, got 20" in out
    assert "6.1d  item cap +5" in out


def test_coverage_lists_what_no_example_exercises(tmp_path: Path, cli: Cli) -> None:
    """On a small rubric, the clauses, adjustments, rules, replacement and caps left out are named."""
    rubric = _beside(tmp_path, MINI, """\
# 0.1a 0.5 × 1 + 6.1b 1 × 1 = 1.5 deducted; A1 +1; total 12 − 1.5 + 1 = 11.5
- unit: 甲单位
  findings:
    - {clause: 0.1a, count: 1}
    - {clause: 6.1b, count: 1}
    - {clause: A1, count: 1}
  expect:
    total: 11.5
    items: {0.1: 0.5, 6.1: 1}
""", name="mini")
    loaded = qlrules.load_rubric(rubric)
    result = coverage(loaded, (o.report for o in run_examples(loaded, read_examples(examples_path(rubric), loaded))))
    assert result.unexercised_clauses == ("6.1a", "6.1c", "6.1d", "6.1h", "6.1i", "6.2a", "6.2b")
    assert result.unexercised_adjustments == ("A2", "A3")
    assert [done for _rule, done in result.rules] == [False, False]
    assert result.replacing == (("6.1h", False),)
    assert result.caps == (("6.2a", False), ("6.2b", False), ("A1", False))
    assert not result.complete

    lenient = cli("test", str(rubric))
    assert lenient.exit_code == 0, lenient.output
    out = lenient.stdout
    assert "mini.qlr: 1/1 examples passed" in out
    assert "coverage: 2/9 clauses, 1/3 adjustments exercised" in out
    assert "注1 highest-per-case: not exercised; 注2 item-cap: not exercised; replacement by 6.1h: not exercised" in out
    assert "cap of 6.2a: not exercised" in out
    assert "    6.1c    line 21  受重处分每人次扣2分" in out
    assert "0.1a " not in out.split("not exercised by any example:")[1]
    strict = cli("test", str(rubric), "--strict-coverage")
    assert strict.exit_code == 1


def test_a_rubric_without_examples_is_reported_and_fails(tmp_path: Path, cli: Cli) -> None:
    """No examples file: `qlrules test` says so and exits 1 (nothing was tested)."""
    rubric = tmp_path / "bare.qlr"
    shutil.copyfile(MINI, rubric)
    result = cli("test", str(tmp_path))
    assert result.exit_code == 1
    assert "bare.qlr: no examples (bare.examples.yaml not found)" in result.stdout
    assert cli("test", str(tmp_path), "--strict-coverage").exit_code == 1


def test_a_directory_runs_each_rubric_in_it(tmp_path: Path, cli: Cli) -> None:
    _beside(tmp_path, MINI, "- unit: 甲\n  findings: []\n  expect: {total: 12}\n", name="a")
    _beside(tmp_path, MINI, "- unit: 乙\n  findings: []\n  expect: {total: 11}\n", name="b")
    result = cli("test", str(tmp_path))
    assert result.exit_code == 1
    assert "a.qlr: 1/1 examples passed" in result.stdout
    assert "b.qlr: 1/1 examples failed" in result.stdout and "total: expected 11, got 12" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = cli("test", str(empty))
    assert missing.exit_code == 1 and "no rubric files" in missing.stderr


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ("- unit: 甲\n  findings:\n    - {clause: 0.9z, count: 1}\n  expect: {total: 12}\n",
         "x.examples.yaml:3:16: unit '甲', finding 1: unknown clause '0.9z'"),
        ("- unit: 甲\n  findings: []\n", "x.examples.yaml:1:3: unit '甲', example 1: missing expect:"),
        ("- unit: 甲\n  findings: []\n  expect: {total: 12, items: {6.3: 1}}\n",
         "x.examples.yaml:3:36: unit '甲', expect: unknown item '6.3' (did you mean 6.2 or 6.1?)"),
        ("- unit: 甲\n  findings: []\n  expect: {total: '12'}\n", "expect: total: expected a number like 97.5; found '12'"),
        ("- unit: 甲\n  findings: []\n  expect: {totl: 12}\n", "unknown key 'totl'; expect: has total, items, sections"),
        ("- unit: 甲\n  findings: []\n  expect: {total: 12}\n- unit: 甲\n  findings: []\n  expect: {total: 12}\n",
         "unit '甲': the same unit name appears twice in these examples"),
        ("unit: 甲\nfindings: []\n", "an examples file is a list of units"),
    ],
)
def test_an_invalid_examples_file_is_an_error_with_its_place(tmp_path: Path, examples: str, message: str, cli: Cli) -> None:
    rubric = _beside(tmp_path, MINI, examples)
    result = cli("test", str(rubric))
    assert result.exit_code == 1
    assert message in result.stdout, result.stdout
    with pytest.raises(FindingsError):
        read_examples(examples_path(rubric), qlrules.load_rubric(rubric))


def test_bare_numeric_ids_keep_their_digits(tmp_path: Path, cli: Cli) -> None:
    """``6.10`` in expect: stays the text 6.10 (YAML would read the number 6.1)."""
    rubric = _beside(tmp_path, MINI, "- unit: 甲\n  findings: []\n  expect: {total: 12, items: {6.10: 0}}\n")
    result = cli("test", str(rubric))
    assert result.exit_code == 1 and "unknown item '6.10'" in result.stdout


def test_a_rubric_that_does_not_compile_fails_the_run(tmp_path: Path, cli: Cli) -> None:
    broken = tmp_path / "broken.qlr"
    broken.write_text(MINI.read_text(encoding="utf-8").replace("points 12", "points 13", 1), encoding="utf-8")
    result = cli("test", str(broken))
    assert result.exit_code == 1 and "broken.qlr:" in result.stdout
