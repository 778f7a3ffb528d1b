"""One sign convention in every output: what a unit lost is negative, what it gained positive, never −0.

Each trace entry's `change` (its signed effect on the total, in the JSON) is the number the
table, the markdown and the workbook show for it; a part's or the unit's deductions are shown
negative wherever a report shows them. One test per output, on the same two units.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import qlrules
from qlrules.numbers import MINUS
from qlrules.scoring import batch

from .test_excel import LANG2, LANG2_FINDINGS

#: A deduction, 注1 (a removed case), 注2 (an item cap giving back what it cut), adjustments both ways.
SEED_UNIT: dict[str, Any] = {"unit": "甲", "findings": [
    {"clause": "0.1a", "count": 2}, {"clause": "6.1c", "cases": ["C1"]}, {"clause": "11.4b", "cases": ["C1"]},
    {"clause": "6.1d", "cases": ["C2", "C3"]}, {"clause": "6.1e", "cases": ["C4"]},
    {"clause": "A2", "count": 1}, {"clause": "A3", "count": 1},
]}
#: Awards, an earned item, an item's own cap, a part's cap, a group's cap and a veto (language 2).
LANG2_UNIT: dict[str, Any] = {"unit": "乙", "findings": LANG2_FINDINGS}
CASES = [pytest.param(None, SEED_UNIT, id="seed"), pytest.param(LANG2, LANG2_UNIT, id="lang2")]

_NUMBER = rf"[+{MINUS}]?\d+(?:\.\d+)?"


def _report(rubric_path: Path | None, unit: dict[str, Any]) -> tuple[qlrules.Rubric, qlrules.Report]:
    rubric = qlrules.load_rubric(rubric_path)
    return rubric, rubric.score(unit)


def _render(rubric: qlrules.Rubric, unit: dict[str, Any], fmt: str, tmp_path: Path) -> Path:
    source = tmp_path / "unit.json"
    source.write_text(json.dumps(unit, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    batch.score([source], rubric, fmt, out, width=400, progress=False)
    return out


def _shown(text: str) -> Decimal:
    """A number as a human output writes it (U+2212 minus, a + on gains) as a Decimal."""
    assert re.fullmatch(_NUMBER, text), text
    assert text != f"{MINUS}0" and text != "+0", text
    return Decimal(text.replace(MINUS, "-"))


def _expected(report: qlrules.Report) -> list[tuple[str, Decimal]]:
    return [(e.clause, e.change) for e in report.trace]


def _sections(report: qlrules.Report) -> list[tuple[str, Decimal]]:
    return [(s.id, -s.deducted) for s in report.sections]


@pytest.mark.parametrize(("rubric_path", "unit"), CASES)
def test_json_change_is_the_signed_effect(rubric_path: Path | None, unit: dict[str, Any], tmp_path: Path) -> None:
    rubric, report = _report(rubric_path, unit)
    data = json.loads(_render(rubric, unit, "json", tmp_path).read_text("utf-8"), parse_float=Decimal)
    assert [(t["clause"], Decimal(t["change"])) for t in data["trace"]] == _expected(report)
    assert sum((Decimal(t["change"]) for t in data["trace"]), Decimal(0)) == Decimal(data["total"]) - Decimal(data["rubric"]["points"])
    # amount keeps the contract's meaning: what the entry adds to its part's deduction (an adjustment: its effect)
    for t in data["trace"]:
        assert Decimal(t["change"]) == (Decimal(t["amount"]) if t["item"] is None else -Decimal(t["amount"])), t
    assert data["deductions"] == report.deductions >= 0  # the JSON's deducted and deductions stay magnitudes


@pytest.mark.parametrize(("rubric_path", "unit"), CASES)
def test_table_shows_the_same_signed_numbers(rubric_path: Path | None, unit: dict[str, Any], tmp_path: Path) -> None:
    rubric, report = _report(rubric_path, unit)
    text = _render(rubric, unit, "table", tmp_path).read_text("utf-8")
    lines = text.splitlines()
    header = re.search(rf"\(deductions ({_NUMBER}), adjustments ({_NUMBER})\)", text)
    assert header is not None and _shown(header.group(1)) == -report.deductions
    assert _shown(header.group(2)) == report.adjustments
    start = next(n for n, line in enumerate(lines) if line.split()[:1] == ["section"])
    sections = [line.split() for line in lines[start + 2:start + 2 + len(report.sections)]]
    assert [(row[0], _shown(row[-2])) for row in sections] == _sections(report)
    top = next(n for n, line in enumerate(lines) if line.split()[:1] == ["clause"])
    # Each entry is two lines (wording, then what happened), the first with its clause and number.
    rows = lines[top + 2:top + 2 + 2 * len(report.trace):2]
    shown = [re.match(rf"^ (\S*)\s+({_NUMBER})   ", row) for row in rows]
    assert all(shown), rows
    assert [(m.group(1), _shown(m.group(2))) for m in shown if m] == _expected(report)


@pytest.mark.parametrize(("rubric_path", "unit"), CASES)
def test_markdown_shows_the_same_signed_numbers(rubric_path: Path | None, unit: dict[str, Any], tmp_path: Path) -> None:
    rubric, report = _report(rubric_path, unit)
    text = _render(rubric, unit, "markdown", tmp_path).read_text("utf-8")
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines() if line.startswith("|")]
    summary = rows[0].index("Deducted"), rows[0].index("Adjustments")
    assert [_shown(rows[2][n]) for n in summary] == [-report.deductions, report.adjustments]
    header = re.search(rf"\(deductions ({_NUMBER}), adjustments ({_NUMBER})\)", text)
    assert header is not None and _shown(header.group(1)) == -report.deductions
    start = next(n for n, r in enumerate(rows) if r[0] == "section")
    assert [(r[0], _shown(r[3])) for r in rows[start + 2:start + 2 + len(report.sections)]] == _sections(report)
    top = next(n for n, r in enumerate(rows) if r[0] == "clause")
    assert rows[top][1] == "± points"
    assert [(r[0], _shown(r[1])) for r in rows[top + 2:]] == _expected(report)


@pytest.mark.parametrize(("rubric_path", "unit"), CASES)
def test_csv_deductions_are_negative_as_in_the_table(rubric_path: Path | None, unit: dict[str, Any], tmp_path: Path) -> None:
    rubric, report = _report(rubric_path, unit)
    rows = list(csv.reader(io.StringIO(_render(rubric, unit, "csv", tmp_path).read_text("utf-8-sig"))))
    assert rows[0][:4] == ["unit", "total", "deductions", "adjustments"]
    assert [Decimal(v) for v in rows[1][1:4]] == [report.total, -report.deductions, report.adjustments]
    assert report.deductions > 0 and rows[1][2].startswith("-")  # a number a spreadsheet reads: ASCII minus
    table = _render(rubric, unit, "table", tmp_path).read_text("utf-8")
    assert f"(deductions {rows[1][2].replace('-', MINUS)}," in table


@pytest.mark.parametrize(("rubric_path", "unit"), CASES)
def test_workbook_shows_the_same_signed_numbers(rubric_path: Path | None, unit: dict[str, Any], tmp_path: Path) -> None:
    rubric, report = _report(rubric_path, unit)
    book = openpyxl.load_workbook(_render(rubric, unit, "xlsx", tmp_path))
    summary = [tuple(r) for r in book["Summary"].iter_rows(values_only=True)]
    head = summary[2]
    assert Decimal(str(summary[3][head.index("Deducted")])) == -report.deductions
    assert Decimal(str(summary[3][head.index("Adjustments")])) == report.adjustments
    sheet = book[report.unit]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert [(r[0], Decimal(str(r[3]))) for r in rows[4:4 + len(report.sections)]] == _sections(report)
    subtotal = next(r for r in rows if r[0] == "Subtotal")
    assert Decimal(str(subtotal[3])) == -report.deductions
    top = next(n for n, r in enumerate(rows) if r[0] == "Clause")
    trace = rows[top + 1:]
    shown = [(r[0] or "", Decimal(str(r[3] if r[2] is None else r[2]))) for r in trace]
    assert shown == _expected(report)
    # A gain shows its + and a loss its − by the cells' number format, and 0 as 0.
    cells = list(sheet.iter_rows(min_row=top + 2, max_col=4))
    assert all(c.number_format == "+General;-General;0" for row in cells for c in row[2:4] if c.value is not None)
    offices = [tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert Decimal(str(offices[3][1])) == -report.deductions
