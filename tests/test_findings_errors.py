"""Invalid findings (scoring contract §2): every one is refused with a message an assessor can act on.

Each case is a findings file.  It is checked twice:

* through the Python API (``rubric.score(mapping)``, or ``read_units`` for a batch, or
  ``score_file`` for what only a file can get wrong): the error is a ``qlrules.QlrulesError``
  (a ``FindingsError`` unless the file cannot be read at all) whose message names the unit,
  the clause where one is involved, and says what was expected;
* through ``qlrules score FILE --format json -o OUT`` in a subprocess: exit status 1, the same
  message on stderr with the file and (for YAML, and for JSON syntax) the line, no Python
  traceback, nothing on stdout, and no output file.

In a case's YAML text, ``# <-`` marks the line(s) the message may point at.

Golden messages: a few rendered messages are kept verbatim under ``tests/golden/errors``; run
with ``QLRULES_REGEN_GOLDEN=1`` to rewrite them, then review the diff.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import qlrules

from .golden_messages import golden_check

UNIT = "市财政局"
MARK = "# <-"

Needle = str | tuple[str, ...]  # a text the message must contain, or alternatives of which one must appear


@dataclass(frozen=True)
class Case:
    id: str
    text: str | bytes | None  # the file's contents; None: the file does not exist
    needles: tuple[Needle, ...] = ()
    unit: str | None = UNIT  # the unit the message must name, if any
    clause: str | None = None  # the clause the message must name, if any
    api: str = "score"  # score: rubric.score(loaded); batch: read_units(loaded); file: score_file(path)
    suffix: str = ".yaml"
    error: type[qlrules.QlrulesError] = qlrules.FindingsError
    lines: tuple[int, ...] | None = None  # lines the CLI message may point at; None: the marked lines
    column: bool = False  # the position must carry a column too (JSON syntax)

    def allowed_lines(self) -> tuple[int, ...]:
        if self.lines is not None:
            return self.lines
        assert isinstance(self.text, str)
        return tuple(n for n, line in enumerate(self.text.splitlines(), 1) if MARK in line)


def unit_yaml(body: str, unit: str = UNIT) -> str:
    """A one-unit YAML file whose findings are ``body`` (already indented by two)."""
    return f"unit: {unit}\nfindings:\n{body}"


WHOLE = ("whole", "integer")

CASES = [
    # -- clauses and keys ------------------------------------------------------------------------
    Case(
        "unknown_clause",
        unit_yaml("  - clause: 0.1a\n    count: 1\n  - clause: 6.1j   # <-\n    count: 1\n"),
        needles=("6.1j", ("6.1i", "6.1h")),
    ),
    Case(
        "unknown_key_in_finding",
        unit_yaml("  - clause: 0.1a\n    count: 1\n    evidance: 党组会议记录   # <-\n"),
        needles=("evidance", "evidence"),
        clause="0.1a",
    ),
    Case(
        "unknown_key_in_unit",
        unit_yaml("  - clause: 0.1a\n    count: 1\n") + "finding: []   # <-\n",
        needles=("'finding'", "findings"),
    ),
    Case(
        "clause_id_is_a_number",
        unit_yaml("  - clause: 1.1   # <-\n    count: 1\n"),
        needles=("1.1", ("text", "string", "quote")),
    ),
    # -- count ---------------------------------------------------------------------------------
    Case(
        "count_missing",
        unit_yaml("  - clause: 0.1a   # <-\n    evidence: 党组会议记录   # <-\n"),
        needles=("count",),
        clause="0.1a",
    ),
    Case("count_2.0", unit_yaml("  - clause: 0.1a\n    count: 2.0   # <-\n"), needles=("count", "2.0", WHOLE), clause="0.1a"),
    Case("count_text", unit_yaml("  - clause: 0.1a\n    count: \"2\"   # <-\n"), needles=("count", WHOLE), clause="0.1a"),
    Case("count_true", unit_yaml("  - clause: 0.1a\n    count: true   # <-\n"), needles=("count", WHOLE), clause="0.1a"),
    Case(
        "count_negative",
        unit_yaml("  - clause: 0.1a\n    count: -1   # <-\n"),
        needles=("count", ("negative", "at least 0", ">= 0")),
        clause="0.1a",
    ),
    Case(
        "count_past_of",
        unit_yaml("  - clause: 0.1a\n    count: 2\n  - clause: 0.1a   # <-\n    count: 2   # <-\n"),
        needles=("4", ("of 3", "at most 3", "only 3")),
        clause="0.1a",
    ),
    Case(
        "count_disagrees_with_cases",
        unit_yaml("  - clause: 6.1c   # <-\n    count: 2   # <-\n    cases: [C-2024-07]   # <-\n"),
        needles=("count", "case"),
        clause="6.1c",
    ),
    # -- cases ---------------------------------------------------------------------------------
    Case(
        "case_twice_in_one_finding",
        unit_yaml("  - clause: 6.1c\n    cases: [C-2024-07, C-2024-07]   # <-\n"),
        needles=("C-2024-07", ("twice", "more than once", "duplicate")),
        clause="6.1c",
    ),
    Case(
        "case_twice_across_findings",
        unit_yaml("  - clause: 6.1c\n    cases: [C-2024-07]\n  - clause: 6.1c   # <-\n    cases: [C-2024-07]   # <-\n"),
        needles=("C-2024-07", ("twice", "more than once", "duplicate")),
        clause="6.1c",
    ),
    Case(
        "case_id_empty",
        unit_yaml("  - clause: 6.1c\n    cases: [\"\"]   # <-\n"),
        needles=(("empty", "blank"),),
        clause="6.1c",
    ),
    # -- amount and reason -----------------------------------------------------------------------
    Case(
        "amount_on_once_clause",
        unit_yaml("  - clause: 6.1i\n    amount: 1   # <-\n"),
        needles=("amount", "discretionary"),
        clause="6.1i",
    ),
    Case(
        "amount_on_each_clause",
        unit_yaml("  - clause: 6.1c\n    amount: 1   # <-\n"),
        needles=("amount", "discretionary"),
        clause="6.1c",
    ),
    Case(
        "amount_missing_on_discretionary",
        unit_yaml("  - clause: 6.1h   # <-\n    reason: 主动报告线索,从轻扣分   # <-\n"),
        needles=("amount",),
        clause="6.1h",
    ),
    Case(
        "reason_missing_on_discretionary",
        unit_yaml("  - clause: 6.1h   # <-\n    amount: 1.5   # <-\n"),
        needles=("reason",),
        clause="6.1h",
    ),
    Case(
        "reason_empty_on_discretionary",
        unit_yaml("  - clause: 6.1h   # <-\n    amount: 1.5\n    reason: \"\"   # <-\n"),
        needles=("reason",),
        clause="6.1h",
    ),
    Case(
        "amount_below_zero",
        unit_yaml("  - clause: 6.1h\n    amount: -1   # <-\n    reason: 主动报告线索\n"),
        needles=("amount", "-1", "10"),
        clause="6.1h",
    ),
    Case(
        "amount_above_item_points",
        unit_yaml("  - clause: 6.1h\n    amount: 11   # <-\n    reason: 主动报告线索\n"),
        needles=("amount", "11", "10", "6.1"),
        clause="6.1h",
    ),
    Case(
        "amount_not_a_number",
        unit_yaml("  - clause: 6.1h\n    amount: abc   # <-\n    reason: 主动报告线索\n"),
        needles=("amount", "abc", "number"),
        clause="6.1h",
    ),
    Case(
        "discretionary_two_cases",
        unit_yaml("  - clause: 6.1h   # <-\n    amount: 1\n    cases: [C-1, C-2]   # <-\n    reason: 主动报告线索\n"),
        needles=(("one case", "at most one", "single case", "only one"),),
        clause="6.1h",
    ),
    Case(
        "evidence_is_a_number",
        unit_yaml("  - clause: 0.1a\n    count: 1\n    evidence: 2024   # <-\n"),
        needles=("evidence", ("text", "string")),
        clause="0.1a",
    ),
    Case(
        "reason_is_a_list",
        unit_yaml("  - clause: 0.1a\n    count: 1\n    reason: [自查, 通报]   # <-\n"),
        needles=("reason", ("text", "string")),
        clause="0.1a",
    ),
    # -- adjustments ---------------------------------------------------------------------------
    Case(
        "cases_on_adjustment",
        unit_yaml("  - clause: A1\n    cases: [C-1]   # <-\n"),
        needles=("cases", "count"),
        clause="A1",
    ),
    Case(
        "amount_on_adjustment",
        unit_yaml("  - clause: A1\n    amount: 1   # <-\n"),
        needles=("amount", "count"),
        clause="A1",
    ),
    # -- units and documents -----------------------------------------------------------------------
    Case(
        "duplicate_unit_in_batch",
        "units:\n"
        f"  - unit: {UNIT}\n    findings: []\n"
        "  - unit: 市统计局\n    findings: []\n"
        f"  - unit: {UNIT}   # <-\n    findings: []\n",
        needles=(("twice", "duplicate", "more than once"),),
        api="batch",
    ),
    Case("empty_file", "", needles=("empty",), unit=None, api="file", lines=()),
    Case("file_is_a_list", f"- unit: {UNIT}\n  findings: []\n", needles=("mapping",), unit=None, lines=()),
    Case("file_is_a_string", "市财政局\n", needles=("mapping",), unit=None, lines=()),
    Case(
        "batch_units_not_a_list",
        f"units:   # <-\n  unit: {UNIT}   # <-\n  findings: []\n",
        needles=("units", "list"),
        unit=None,
        api="batch",
    ),
    Case("unit_missing", "findings: []   # <-\n", needles=("unit",), unit=None),
    Case("unit_empty", "unit: \"\"   # <-\nfindings: []   # <-\n", needles=("unit", ("empty", "non-empty")), unit=None),
    Case("findings_missing", f"unit: {UNIT}   # <-\n", needles=("findings",)),
    Case("findings_not_a_list", f"unit: {UNIT}\nfindings: 0.1a   # <-\n", needles=("findings", "list")),
    Case("finding_not_a_mapping", unit_yaml("  - 0.1a   # <-\n"), needles=("mapping",)),
    # -- what only a file can get wrong ------------------------------------------------------------
    Case(
        "yaml_syntax",
        unit_yaml("  - clause: 0.1a\n    count: 1: 2   # <-\n"),
        needles=("YAML",),
        unit=None,
        api="file",
    ),
    Case(
        "json_syntax",
        '{\n  "unit": "市财政局",\n  "findings": [\n    {"clause": "0.1a" "count": 1}\n  ]\n}\n',
        needles=("JSON",),
        unit=None,
        api="file",
        suffix=".json",
        lines=(4,),
        column=True,
    ),
    Case(
        "json_nan",
        '{\n  "unit": "市财政局",\n  "findings": [\n    {"clause": "6.1h", "amount": NaN, "reason": "自查"}\n  ]\n}\n',
        needles=("NaN",),
        unit=None,
        api="file",
        suffix=".json",
        lines=(4,),
    ),
    Case(
        "json_unknown_clause",
        '{"unit": "市财政局", "findings": [{"clause": "6.1j", "count": 1}]}\n',
        needles=("6.1j", ("6.1i", "6.1h")),
        suffix=".json",
        lines=(),  # Python's json keeps no positions for values; the unit and clause locate it
    ),
    Case(
        "not_utf8",
        unit_yaml("  - clause: 0.1a\n    count: 1\n").encode("gb18030"),
        needles=("UTF-8",),
        unit=None,
        api="file",
        error=qlrules.InputError,
        lines=(),
    ),
    Case("file_missing", None, needles=(("no such file", "cannot read", "not found", "does not exist"),), unit=None, api="file",
         error=qlrules.InputError, lines=()),
]

GOLDEN_CASES = [
    "unknown_clause",
    "count_2.0",
    "count_past_of",
    "case_twice_across_findings",
    "amount_above_item_points",
    "duplicate_unit_in_batch",
    "yaml_syntax",
    "json_syntax",
]

BY_ID = {case.id: case for case in CASES}


# -- helpers ---------------------------------------------------------------------------------------


def write_case(case: Case, directory: Path) -> Path:
    path = directory / f"findings{case.suffix}"
    if isinstance(case.text, bytes):
        path.write_bytes(case.text)
    elif case.text is not None:
        path.write_text(case.text, encoding="utf-8")
    return path


def has(message: str, needle: Needle) -> bool:
    options = (needle,) if isinstance(needle, str) else needle
    return any(option.lower() in message.lower() for option in options)


def check_names(case: Case, message: str) -> None:
    """The message names the unit, the clause and what was expected."""
    if case.unit is not None:
        assert case.unit in message, f"the message does not name unit {case.unit!r}: {message}"
    if case.clause is not None:
        assert case.clause in message, f"the message does not name clause {case.clause}: {message}"
    for needle in case.needles:
        assert has(message, needle), f"the message does not say {needle!r}: {message}"


def run_score(path: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qlrules.cli", "score", str(path), *options, "-o", str(out)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        cwd=path.parent,
        timeout=120,
    )


def check_refused(result: subprocess.CompletedProcess[str], directory: Path, inputs: set[str]) -> None:
    """Exit status 1, a message and no traceback on stderr, nothing on stdout, no file written."""
    assert result.returncode == 1, f"exit status {result.returncode}, expected 1; stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip(), "no message on stderr"
    assert result.stdout == "", f"stdout should be empty:\n{result.stdout}"
    left = {p.name for p in directory.iterdir()} - inputs
    assert not left, f"files written although the command failed: {sorted(left)}"


# -- (a) the Python API ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_api_refuses(case: Case, seed: qlrules.Rubric, tmp_path: Path) -> None:
    if case.api == "file":
        path = write_case(case, tmp_path)
        with pytest.raises(qlrules.QlrulesError) as info:
            list(qlrules.score_file(path, seed))
        assert str(path) in str(info.value), f"the message does not name the file: {info.value}"
    else:
        assert isinstance(case.text, str)
        document: Any = yaml.safe_load(case.text) if case.suffix == ".yaml" else json.loads(case.text)
        with pytest.raises(qlrules.QlrulesError) as info:
            if case.api == "batch":
                list(qlrules.read_units(document, seed))
            else:
                seed.score(document)
    error = info.value
    assert isinstance(error, case.error), f"{type(error).__name__}, expected {case.error.__name__}: {error}"
    assert issubclass(qlrules.FindingsError, qlrules.QlrulesError)
    check_names(case, str(error))


def test_api_score_many_refuses_a_duplicate_unit(seed: qlrules.Rubric) -> None:
    units = [{"unit": UNIT, "findings": []}, {"unit": "市统计局", "findings": []}, {"unit": UNIT, "findings": []}]
    with pytest.raises(qlrules.FindingsError) as info:
        list(seed.score_many(units))
    assert UNIT in str(info.value)


def test_api_error_carries_unit_and_clause(seed: qlrules.Rubric) -> None:
    """The structured fields agree with the message, for programs that handle the error."""
    with pytest.raises(qlrules.FindingsError) as info:
        seed.score({"unit": UNIT, "findings": [{"clause": "6.1h", "amount": 11, "reason": "自查"}]})
    assert info.value.unit == UNIT
    assert info.value.clause == "6.1h"


# -- (b) the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli_refuses(case: Case, tmp_path: Path) -> None:
    path = write_case(case, tmp_path)
    out = tmp_path / "report.json"
    result = run_score(path, out, "--format", "json")
    check_refused(result, tmp_path, {path.name} if path.exists() else set())
    stderr = result.stderr
    assert str(path) in stderr, f"stderr does not name the file {path}:\n{stderr}"
    check_names(case, stderr)
    lines = case.allowed_lines()
    if lines:
        position = re.search(re.escape(str(path)) + r":(\d+)(?::(\d+))?:", stderr)
        assert position, f"stderr gives no line in {path.name}:\n{stderr}"
        assert int(position.group(1)) in lines, f"line {position.group(1)}, expected one of {lines}:\n{stderr}"
        if case.column:
            assert position.group(2), f"stderr gives no column:\n{stderr}"


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_one_invalid_unit_in_a_batch_writes_nothing(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "batch.yaml"
    path.write_text(
        "units:\n"
        f"  - unit: {UNIT}\n    findings:\n      - {{clause: 0.1a, count: 1}}\n"
        "  - unit: 市统计局\n    findings:\n      - {clause: 6.1j, count: 1}\n"
        "  - unit: 市审计局\n    findings:\n      - {clause: A1, count: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / f"report.{fmt}"
    result = run_score(path, out, "--format", fmt)
    check_refused(result, tmp_path, {path.name})
    assert "市统计局" in result.stderr and "6.1j" in result.stderr and f"{path}:7" in result.stderr
    # Without -o nothing reaches stdout either: no partial report.
    printed = subprocess.run(
        [sys.executable, "-m", "qlrules.cli", "score", str(path), "--format", fmt],
        capture_output=True, encoding="utf-8", errors="replace", cwd=tmp_path, timeout=120,
    )
    assert printed.returncode == 1 and printed.stdout == "" and "Traceback" not in printed.stderr


def test_valid_files_are_scored(tmp_path: Path) -> None:
    """The control: the same harness on valid input (with a BOM) writes the report and exits 0."""
    path = tmp_path / "batch.yaml"
    path.write_bytes(
        (
            "\ufeffunits:\n"
            f"  - unit: {UNIT}\n    findings:\n      - {{clause: 0.1a, count: 2}}\n"
            "      - {clause: 6.1h, amount: 1.5, cases: [C-1], reason: 主动报告线索}\n"
            "  - unit: 市统计局\n    findings: []\n"
        ).encode()
    )
    out = tmp_path / "report.json"
    result = run_score(path, out, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [u["unit"] for u in report["units"]] == [UNIT, "市统计局"]
    assert report["units"][0]["total"] == 97.5


# -- golden messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_message(name: str, tmp_path: Path) -> None:
    case = BY_ID[name]
    path = write_case(case, tmp_path)
    result = run_score(path, tmp_path / "report.json", "--format", "json")
    assert result.returncode == 1
    golden_check(f"findings_{name}", result.stderr.replace(str(path), "<FILE>"))


# -- every problem in one run ----------------------------------------------------------------------


def test_every_bad_finding_of_a_unit_is_reported(seed: qlrules.Rubric) -> None:
    """Three bad findings: three problems, each with its line, the unit and the clause; the good one is still checked."""
    text = unit_yaml(
        "  - clause: 0.1a\n    count: -1\n"  # line 4
        "  - clause: 0.2a\n    count: 1\n"  # a good finding
        "  - clause: 6.1h\n    amount: 11\n    reason: 自查\n"  # line 8
        "  - clause: 6.1c\n    cases: [C-1, C-1]\n"  # line 11
    )
    document = qlrules.parse_document(text, "u.yaml")
    with pytest.raises(qlrules.FindingsError) as info:
        qlrules.read_unit(document, seed, "u.yaml")
    error = info.value
    assert [(p.source, p.line, p.unit, p.clause, p.where) for p in error.problems] == [
        ("u.yaml", 4, UNIT, "0.1a", "finding 1"), ("u.yaml", 8, UNIT, "6.1h", "finding 3"), ("u.yaml", 11, UNIT, "6.1c", "finding 4")]
    assert error.count == 3 and error.more == 0
    assert str(error).splitlines() == [p.render() for p in error.problems]
    # The first problem's fields stay on the error, for callers that handle one.
    assert (error.line, error.unit, error.clause) == (4, UNIT, "0.1a")


def test_checks_across_findings_run_on_the_valid_ones(seed: qlrules.Rubric) -> None:
    """A bad finding is left out; `of` and cases named twice are still checked over the others, each reported."""
    unit = {"unit": UNIT, "findings": [
        {"clause": "0.1a", "count": 2}, {"clause": "0.1a", "count": "x"}, {"clause": "0.1a", "count": 2},
        {"clause": "6.1c", "cases": ["C-1"]}, {"clause": "6.1c", "cases": ["C-1"]}, {"clause": "6.1d", "cases": ["C-2"]},
        {"clause": "6.1d", "cases": ["C-2"]}]}
    with pytest.raises(qlrules.FindingsError) as info:
        seed.score(unit)
    messages = [(p.where, p.clause, p.message) for p in info.value.problems]
    assert [m[:2] for m in messages] == [("finding 2", "0.1a"), ("finding 3", "0.1a"), ("finding 5", "6.1c"), ("finding 7", "6.1d")]
    assert "counts add up to 4" in messages[1][2] and "named twice" in messages[2][2]


def test_unit_level_problems_are_collected_until_there_is_nothing_to_check(seed: qlrules.Rubric) -> None:
    """Unknown keys and a bad name are reported with the findings' problems; no findings list stops the unit."""
    with pytest.raises(qlrules.FindingsError) as info:
        seed.score({"unit": "", "findings": [{"clause": "0.1z", "count": 1}], "note": 1})
    assert [p.message.split(" ")[:2] for p in info.value.problems] == [["unknown", "key"], ["unit:", "is"], ["unknown", "clause"]]
    with pytest.raises(qlrules.FindingsError) as info:
        seed.score({"unit": UNIT, "finding": []})
    assert len(info.value.problems) == 2 and "missing findings" in info.value.problems[1].message


def test_past_the_limit_problems_are_counted(seed: qlrules.Rubric) -> None:
    """30 problems: the first 20 shown, then '… and 10 more'; only 20 are kept."""
    unit = {"unit": UNIT, "findings": [{"clause": "0.1z", "count": n} for n in range(30)]}
    with pytest.raises(qlrules.FindingsError) as info:
        seed.score(unit)
    error = info.value
    assert len(error.problems) == qlrules.errors.LIMIT == 20 and error.more == 10 and error.count == 30
    lines = str(error).splitlines()
    assert len(lines) == 21 and lines[-1] == "… and 10 more" and "finding 20:" in lines[-2]
    with qlrules.use_language("zh"), pytest.raises(qlrules.FindingsError) as zh:
        seed.score(unit)
    assert "10" in str(zh.value).splitlines()[-1] and "more" not in str(zh.value).splitlines()[-1]


def test_a_single_problem_renders_as_before() -> None:
    """One problem: the message of the one-problem constructor, byte for byte; a collected error pickles whole."""
    import pickle

    one = qlrules.FindingsError("bad", source="f.yaml", unit=UNIT, clause="0.1a", where="finding 2", line=3, column=5)
    assert str(one) == f"f.yaml:3:5: unit '{UNIT}', finding 2, clause 0.1a: bad" == one.problems[0].render()
    several = qlrules.FindingsError(problems=[*one.problems, *one.problems], more=4)
    again = pickle.loads(pickle.dumps(several))
    assert str(again) == str(several) and again.problems == several.problems and again.more == 4
    assert str(several).splitlines()[-1] == "… and 4 more"


def test_every_bad_unit_of_a_batch_is_reported(tmp_path: Path) -> None:
    """Bad units 1 and 3 of three: both reported with their lines, exit 1, nothing written."""
    path = tmp_path / "batch.yaml"
    path.write_text(
        "units:\n"
        f"  - unit: {UNIT}\n    findings:\n      - {{clause: 0.1a, count: 1}}\n      - {{clause: 6.1j, count: 1}}\n"
        "  - unit: 市统计局\n    findings: []\n"
        "  - unit: 市审计局\n    findings:\n      - {clause: A1, amount: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = run_score(path, out, "--format", "json")
    check_refused(result, tmp_path, {path.name})
    assert not out.exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(f"{path}:5:") and UNIT in lines[0] and "6.1j" in lines[0]
    assert lines[1].startswith(f"{path}:10:") and "市审计局" in lines[1] and "clause A1" in lines[1]


def test_every_bad_input_is_reported(tmp_path: Path) -> None:
    """A file that cannot be parsed, one not UTF-8 and a missing one are one problem each; the others are still checked."""
    good = tmp_path / "good.yaml"
    good.write_text(unit_yaml("  - clause: 0.1a\n    count: 1\n", "甲"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(unit_yaml("  - clause: 0.1a\n    count: 1: 2\n", "乙"), encoding="utf-8")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(unit_yaml("  - clause: 0.1a\n    count: 1\n", "丙").encode("gb18030"))
    lines = tmp_path / "units.jsonl"
    lines.write_text('{"unit": "丁", "findings": [{"clause": "0.1z", "count": 1}]}\n{"unit": "戊", "findings": [}\n'
                     '{"unit": "甲", "findings": []}\n', encoding="utf-8")
    out = tmp_path / "out.json"
    inputs = [good, broken, gbk, tmp_path / "missing.yaml", lines]
    result = subprocess.run(
        [sys.executable, "-m", "qlrules.cli", "score", *map(str, inputs), "--format", "json", "-o", str(out)],
        capture_output=True, encoding="utf-8", errors="replace", cwd=tmp_path, timeout=120,
    )
    check_refused(result, tmp_path, {p.name for p in inputs if p.exists()})
    got = result.stderr.splitlines()
    assert len(got) == 6, result.stderr
    assert got[0].startswith(f"{broken}:4:") and "YAML" in got[0]
    assert got[1].startswith(f"{gbk}: ") and "UTF-8" in got[1]
    assert got[2].startswith(f"{tmp_path / 'missing.yaml'}: ")
    assert got[3].startswith(f"{lines}:1: unit '丁'") and "0.1z" in got[3]
    assert got[4].startswith(f"{lines}:2:") and "JSON" in got[4]
    assert got[5].startswith(f"{lines}:3:") and "twice" in got[5] and str(good) in got[5]


def test_a_batch_past_the_limit(tmp_path: Path) -> None:
    """25 bad units of 2 problems each: 20 lines, then '… and 30 more' (the rest counted, not kept)."""
    path = tmp_path / "batch.yaml"
    path.write_text("units:\n" + "".join(
        f"  - unit: 单位{n:02d}\n    findings:\n      - {{clause: 0.1z, count: 1}}\n      - {{clause: 0.1a, count: -1}}\n"
        for n in range(25)), encoding="utf-8")
    result = run_score(path, tmp_path / "out.json", "--format", "json")
    check_refused(result, tmp_path, {path.name})
    got = result.stderr.splitlines()
    assert len(got) == 21 and got[-1] == "… and 30 more", result.stderr
    assert "单位09" in got[19] and "0.1a" in got[19]


@pytest.mark.parametrize(("text", "message"), [
    ("\ufeff\ufeff{}", "x.json:1:1: not valid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig)"),
    ('{"a": 1, "b": {"c": 1, "d": 2, "c": 3}, "a": 2}', "x.json: key 'c' is given twice in one object"),
    ('{"a": "NaN",\n "b": -Infinity}', "x.json:2:7: -Infinity is not a number a score can use"),
    ('{"a": 1', "x.json:1:8: not valid JSON: Expecting ',' delimiter"),
])
def test_json_refusals_name_what_and_where(text: str, message: str) -> None:
    """The one decoder every JSON document (every JSON Lines line) is read with words its refusals with the document's place."""
    with pytest.raises(qlrules.FindingsError) as caught:
        qlrules.parse_document(text, "x.json")
    assert str(caught.value) == message
