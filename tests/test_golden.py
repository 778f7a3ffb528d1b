"""Golden reports: hand-checked findings files and the exact JSON the scorer must give for them.

Every ``tests/golden/<case>.yaml`` is a case. Its findings are the file itself or, when it carries a
``# findings: PATH`` line (PATH relative to the case file), the file at PATH; that is how the shipped
``examples/*.yaml`` are scored as they are, without copying them. Next to it,
``tests/golden/<case>.report.json`` holds the exact standard output of

    qlrules score FINDINGS --format json

(``Report.to_json()`` for one unit, ``{"units": [...]}`` for a batch, plus the newline the command
prints after it), and the tests require both the Python API and the command to reproduce it byte for
byte.

The JSON is not the only thing that ties the numbers down. Each case file opens with its hand
arithmetic in comments, and states the facts it arrives at as machine-readable lines::

    # expect: total=93.5 deductions=7 adjustments=0.5 entries=9
    # expect: item:6.1=10 topic:6=10 section:S2=10
    # expect: entry=11.4b|removed|0|case=C1|by=6.1c
    # expect[市财政局]: total=97.5          (a batch names the unit in brackets)

``total``/``deductions``/``adjustments`` are the report's; ``entries`` is the length of its trace.
``item:ID``, ``topic:ID`` and ``section:ID`` give what that item, topic or section *deducts* (not its
score); every item, topic and section a unit's lines leave out must deduct 0. ``entry=`` asks for a
trace entry with the given clause, effect and amount (a cap's cut is negative) and, optionally,
``count=``, ``cases=`` (joined with ``+``), ``case=``, ``by=``, ``evidence=`` and ``reason=``.
Tokens are split like a shell line, so a token with spaces is written in double quotes.
These facts are checked against the live report and against the stored golden JSON, together with
invariants every report must hold (an item's trace amounts add up to its deduction, and so on).

To regenerate the golden JSON after an intended change, run with ``QLRULES_REGEN_GOLDEN=1``: the
command-line test then rewrites every ``.report.json`` that differs and fails, asking for a review of
the diff; rerun without the variable to compare again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import qlrules
from qlrules.render.json import to_json as reports_to_json

from .conftest import ROOT, Cli, Run

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(GOLDEN.glob("*.yaml"))
REGEN = os.environ.get("QLRULES_REGEN_GOLDEN") == "1"
RUBRIC_FILE = ROOT / "rubrics" / "qinglian-jiguan.qlr"
RUBRIC_SHA256 = hashlib.sha256(RUBRIC_FILE.read_bytes()).hexdigest()

EXPECT = re.compile(r"^#\s*expect(?:\[(?P<unit>[^\]]+)\])?:(?P<facts>.*)$")
FINDINGS = re.compile(r"^#\s*findings:\s*(?P<path>\S+)\s*$")
ENTRY_KEYS = ("count", "cases", "case", "by", "evidence", "reason")


# -- reading the cases ----------------------------------------------------------------


def findings_path(case: Path) -> Path:
    """The findings a case scores: the file named by its ``# findings:`` line, else the case itself."""
    for line in case.read_text(encoding="utf-8").splitlines():
        match = FINDINGS.match(line)
        if match:
            return (case.parent / match["path"]).resolve()
    return case


def golden_path(case: Path) -> Path:
    return case.with_name(case.stem + ".report.json")


def expectations(case: Path) -> dict[str | None, list[str]]:
    """The ``# expect`` tokens of a case, by unit (None: the file's one unit)."""
    facts: dict[str | None, list[str]] = {}
    for line in case.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            facts.setdefault(match["unit"], []).extend(shlex.split(match["facts"]))
    return facts


def api_reports(rubric: qlrules.Rubric, source: Path) -> tuple[list[qlrules.Report], bool]:
    document = qlrules.parse_document(source.read_bytes(), str(source))
    reports = [qlrules.evaluate(rubric, unit) for unit in qlrules.read_units(document, rubric, str(source))]
    return reports, isinstance(document, dict) and "units" in document


def api_json(reports: list[qlrules.Report], batch: bool) -> str:
    """What ``qlrules score --format json`` prints: the JSON text and a newline."""
    text = reports_to_json(reports, batch=True) if batch else reports[0].to_json()
    return text + "\n"


def run_cli(cli: Cli, source: Path, fmt: str) -> Run:
    return cli("score", str(source), "--format", fmt, cwd=ROOT, env={"COLUMNS": "400", "LC_ALL": "C.UTF-8"})


def cli_text(cli: Cli, source: Path, fmt: str) -> str:
    result = run_cli(cli, source, fmt)
    assert result.returncode == 0, f"qlrules score {source} --format {fmt} exited {result.returncode}:\n{result.stderr}"
    assert result.stderr_bytes == b"", result.stderr
    return result.stdout_bytes.decode("utf-8")


def units_of(report_json: Any) -> dict[str | None, dict[str, Any]]:
    if "units" in report_json:
        return {u["unit"]: u for u in report_json["units"]}
    return {None: report_json}


def D(text: str) -> Decimal:
    return Decimal(text)


# -- the hand facts and the invariants ---------------------------------------------------


def entry_matches(entry: dict[str, Any], spec: str) -> bool:
    clause, effect, amount, *rest = spec.split("|")
    if entry["clause"] != clause or entry["effect"] != effect or Decimal(str(entry["amount"])) != D(amount):
        return False
    for field in rest:
        key, _, value = field.partition("=")
        assert key in ENTRY_KEYS, f"unknown entry field {key!r} in {spec!r}"
        if key == "count":
            if entry["count"] != int(value):
                return False
        elif key == "cases":
            if entry["cases"] != value.split("+"):
                return False
        elif entry[key] != value:
            return False
    return True


def check_facts(report: dict[str, Any], tokens: list[str], where: str) -> None:
    """The case's ``# expect`` facts hold in ``report`` (one unit's JSON, numbers as Decimal)."""
    listed: dict[str, dict[str, Decimal]] = {"item": {}, "topic": {}, "section": {}}
    for token in tokens:
        key, sep, value = token.partition("=")
        assert sep, f"{where}: expect token {token!r} has no '='"
        if key in ("total", "deductions", "adjustments"):
            assert report[key] == D(value), f"{where}: {key} is {report[key]}, the hand arithmetic says {value}"
        elif key == "entries":
            assert len(report["trace"]) == int(value), f"{where}: {len(report['trace'])} trace entries, expected {value}"
        elif key == "entry":
            shown = json.dumps(report["trace"], ensure_ascii=False, indent=1, default=str)
            assert any(entry_matches(e, value) for e in report["trace"]), f"{where}: no trace entry {value}; trace:\n{shown}"
        elif ":" in key:
            level, ident = key.split(":", 1)
            assert level in listed, f"{where}: unknown level {level!r} in {token!r}"
            listed[level][ident] = D(value)
        else:
            raise AssertionError(f"{where}: unknown expect token {token!r}")
    for level, plural in (("item", "items"), ("topic", "topics"), ("section", "sections")):
        ids = [line["id"] for line in report[plural]]
        unknown = set(listed[level]) - set(ids)
        assert not unknown, f"{where}: no {level} {sorted(unknown)} in the report"
        for line in report[plural]:
            want = listed[level].get(line["id"], Decimal(0))
            assert line["deducted"] == want, (
                f"{where}: {level} {line['id']} deducts {line['deducted']}, the hand arithmetic says {want}"
            )


def check_invariants(rubric: qlrules.Rubric, report: dict[str, Any], where: str) -> None:
    """What every report holds, whatever its findings (scoring.md §3, §4)."""
    items = {line["id"]: line for line in report["items"]}
    assert list(items) == [i.id for i in rubric.items], f"{where}: items not listed in rubric order"
    assert [t["id"] for t in report["topics"]] == [t.id for t in rubric.topics], f"{where}: topics not in rubric order"
    assert [s["id"] for s in report["sections"]] == [s.id for s in rubric.sections], f"{where}: sections not in rubric order"
    for item in rubric.items:
        line = items[item.id]
        assert 0 <= line["deducted"] <= line["points"] == item.points, f"{where}: item {item.id} out of bounds"
        assert line["score"] == line["points"] - line["deducted"], f"{where}: item {item.id} score"
        traced = sum((Decimal(str(e["amount"])) for e in report["trace"] if e["item"] == item.id), Decimal(0))
        assert traced == line["deducted"], f"{where}: item {item.id}'s trace adds up to {traced}, not {line['deducted']}"
    for level, groups in (("topics", rubric.topics), ("sections", rubric.sections)):
        shown = {line["id"]: line for line in report[level]}
        for group in groups:
            summed = sum((items[i.id]["deducted"] for i in group.items), Decimal(0))
            assert shown[group.id]["deducted"] == summed, f"{where}: {level} {group.id} is not the sum of its items"
            assert shown[group.id]["score"] == shown[group.id]["points"] - summed
    deductions = sum((line["deducted"] for line in report["items"]), Decimal(0))
    adjustments = sum((Decimal(str(e["amount"])) for e in report["trace"] if e["item"] is None), Decimal(0))
    assert report["deductions"] == deductions, f"{where}: deductions"
    assert report["adjustments"] == adjustments, f"{where}: adjustments are not their trace's sum"
    assert report["total"] == report["rubric"]["points"] - deductions + adjustments, f"{where}: total"
    assert report["rubric"]["sha256"] == RUBRIC_SHA256, f"{where}: rubric.sha256 is not the hash of {RUBRIC_FILE.name}"
    seen: dict[str, str] = {}
    for entry in report["trace"]:
        if entry["effect"] == "deducted" and entry["amount"] > 0:
            for case in entry["cases"]:
                assert case not in seen, f"{where}: case {case} deducted in {seen[case]} and {entry['clause']}"
                seen[case] = entry["clause"]


# -- the tests --------------------------------------------------------------------------


def test_there_are_cases() -> None:
    assert len(CASES) >= 10, "tests/golden holds the golden cases"
    for case in CASES:
        assert expectations(case), f"{case.name} states no '# expect:' facts"
        assert findings_path(case).is_file(), f"{case.name}: findings file {findings_path(case)} is missing"


@pytest.mark.parametrize("module", ["qlrules", "qlrules.cli"])
def test_python_m_runs(module: str) -> None:
    """``python -m qlrules`` and ``python -m qlrules.cli`` are working entry points.

    A real process on purpose: the other tests run the command in-process (the ``cli`` fixture),
    which never goes through ``__main__``.
    """
    result = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert b"score" in result.stdout


def test_the_installed_command_runs() -> None:
    """The ``qlrules`` console script installed beside this Python works (a real process, on purpose)."""
    script = Path(sys.executable).with_name("qlrules")
    if not script.is_file():
        pytest.skip(f"no qlrules script beside {sys.executable}")
    result = subprocess.run([str(script), "--help"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert b"score" in result.stdout


def test_a_real_process_prints_the_golden_json() -> None:
    """``python -m qlrules score FILE --format json`` in a real process prints a golden JSON byte for byte.

    A real process on purpose: the encoding of a real stdout (``PYTHONIOENCODING``, the C.UTF-8 locale)
    is not exercised in-process, where the other golden tests run.
    """
    if REGEN:
        pytest.skip("QLRULES_REGEN_GOLDEN=1: the golden files are being rewritten by test_cli_matches_golden")
    case = GOLDEN / "seed_batch.yaml"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="400", LC_ALL="C.UTF-8")
    result = subprocess.run([sys.executable, "-m", "qlrules", "score", str(findings_path(case)), "--format", "json"],
                            cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b"", result.stderr.decode()
    assert result.stdout == golden_path(case).read_bytes()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_api_matches_golden(seed: qlrules.Rubric, case: Path) -> None:
    """The Python API gives the golden JSON byte for byte, through ``evaluate`` and through ``Rubric.score``."""
    if REGEN:
        pytest.skip("QLRULES_REGEN_GOLDEN=1: the golden files are being rewritten by test_cli_matches_golden")
    golden = golden_path(case)
    assert golden.is_file(), f"{golden.name} is missing: run with QLRULES_REGEN_GOLDEN=1 and review it"
    expected = golden.read_text(encoding="utf-8")
    source = findings_path(case)
    reports, batch = api_reports(seed, source)
    assert api_json(reports, batch) == expected

    document = qlrules.parse_document(source.read_bytes(), str(source))
    if batch:
        again = list(seed.score_many(document["units"]))
    else:
        again = [seed.score(document)]
    assert api_json(again, batch) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_cli_matches_golden(case: Path, cli: Cli) -> None:
    """``qlrules score FILE --format json`` prints the golden JSON byte for byte."""
    golden = golden_path(case)
    text = cli_text(cli, findings_path(case), "json")
    if REGEN:
        old = golden.read_bytes() if golden.is_file() else None
        if old == text.encode("utf-8"):
            pytest.skip(f"{golden.name} unchanged")
        golden.write_bytes(text.encode("utf-8"))
        pytest.fail(
            f"QLRULES_REGEN_GOLDEN=1: rewrote {golden.relative_to(ROOT)}. Review the change "
            f"(git diff -- tests/golden) against the hand arithmetic in {case.name}, then rerun without the variable."
        )
    assert golden.is_file(), f"{golden.name} is missing: run with QLRULES_REGEN_GOLDEN=1 and review it"
    assert text.encode("utf-8") == golden.read_bytes()


@pytest.mark.parametrize("against", ["report", "golden"])
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_hand_facts(seed: qlrules.Rubric, case: Path, against: str) -> None:
    """The hand-computed ``# expect`` facts hold in the live report and in the stored golden JSON."""
    if against == "golden":
        golden = golden_path(case)
        if not golden.is_file():
            pytest.fail(f"{golden.name} is missing")
        shown = json.loads(golden.read_text(encoding="utf-8"), parse_float=Decimal)
    else:
        reports, batch = api_reports(seed, findings_path(case))
        shown = json.loads(api_json(reports, batch), parse_float=Decimal)
    units = units_of(shown)
    facts = expectations(case)
    assert set(facts) == set(units), (
        f"{case.name}: expect lines name units {sorted(map(str, facts))}, the report has {sorted(map(str, units))}"
    )
    for unit, tokens in facts.items():
        where = f"{case.name} [{unit or units[unit]['unit']}] ({against})"
        check_facts(units[unit], tokens, where)
        check_invariants(seed, units[unit], where)


def _facts(case: Path, unit: str | None) -> dict[str, str]:
    return dict(t.partition("=")[::2] for t in expectations(case)[unit] if not t.startswith("entry="))


def test_table_format(seed: qlrules.Rubric, cli: Cli) -> None:
    """``--format table`` shows the total, every section and the official wording of every deducting clause."""
    case = GOLDEN / "example_unit.yaml"
    out = cli_text(cli, findings_path(case), "table")
    total = _facts(case, None)["total"]
    assert re.search(rf"^total {re.escape(total)} / 100\b", out, re.M), out
    for section in seed.sections:
        row = rf"^\s*{re.escape(section.id)}\s+{re.escape(section.title)}\s"
        assert re.search(row, out, re.M), f"section {section.id} missing:\n{out}"
    reports, _ = api_reports(seed, findings_path(case))
    deducting = {e.clause for e in reports[0].trace if e.effect == "deducted" and e.amount > 0}
    assert deducting == {"0.1a", "6.1c", "6.1d", "6.1h"}  # by hand: see example_unit.yaml
    for clause in sorted(deducting):
        wording = seed.clause_index[clause].text
        assert wording in out, f"the official wording of {clause} ({wording!r}) is missing:\n{out}"


def test_csv_format(seed: qlrules.Rubric, cli: Cli) -> None:
    """``--format csv`` of a batch: a header, then one row per unit in input order with the hand totals."""
    case = GOLDEN / "seed_batch.yaml"
    rows = list(csv.reader(io.StringIO(cli_text(cli, findings_path(case), "csv").removeprefix("\ufeff"))))
    assert rows[0] == ["unit", "total", "deductions", "adjustments", "S0", "S1", "S2", "S3", "S4"]
    units = ["甲单位", "乙单位", "丙单位"]
    assert [row[0] for row in rows[1:]] == units
    for row, unit in zip(rows[1:], units):
        facts = _facts(case, unit)
        assert [D(row[1]), -D(row[2]), D(row[3])] == [D(facts["total"]), D(facts["deductions"]), D(facts["adjustments"])], row
        for section, shown in zip(seed.sections, row[4:]):
            assert D(shown) == section.points - D(facts.get(f"section:{section.id}", "0")), (unit, section.id, row)


def test_table_shows_brackets_in_names_as_written(tmp_path: Path, cli: Cli) -> None:
    """A unit named like terminal markup is printed as written, not styled or refused."""
    findings = tmp_path / "u.yaml"
    findings.write_text('unit: "[/x] [red]甲"\nfindings:\n  - {clause: 0.1a, count: 1}\n', encoding="utf-8")
    done = cli("score", str(findings))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[/x] [red]甲")
