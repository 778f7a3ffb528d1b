"""Reports cannot attack their reader: no formulas in xlsx or CSV, no escape sequences at a terminal, no HTML in Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from .conftest import ROOT, Cli

#: What a hostile or damaged findings file may hold, as unit names, case ids, evidence and reasons.
HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading CR",
    "Word's line\x0bbreak",
    "nul\x00here",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "rev\u202eersed",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
]
#: What starts a formula in a spreadsheet (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a terminal must not receive: control characters but tab and line feed, and the bidi controls.
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_batch(tmp_path: Path, texts: list[str] = HOSTILE) -> Path:
    """A JSON batch, a unit per text: named by it, with it as evidence, reason and case id (and an adjustment of −0.5)."""
    units = [{"unit": text, "findings": [
        {"clause": "0.1a", "count": 1, "evidence": text},
        {"clause": "6.1h", "amount": "0.5", "cases": [text], "reason": text},
        {"clause": "A4", "count": 1},
    ]} for text in texts]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    return path


def score(cli: Cli, tmp_path: Path, fmt: str, *extra: str, batch: Path | None = None) -> str | Path:
    """Score the hostile batch into ``fmt``: the text written, or the workbook's path for xlsx."""
    batch = batch or hostile_batch(tmp_path)
    if fmt == "xlsx":
        out = tmp_path / "report.xlsx"
        done = cli("score", batch, *extra, "--format", "xlsx", "-o", out)
        assert done.exit_code == 0, done.output
        return out
    done = cli("score", batch, *extra, "--format", fmt)
    assert done.exit_code == 0, done.output
    return done.stdout


def cells(path: str | Path) -> list[Any]:
    """Every cell of every sheet of a workbook, read back with openpyxl."""
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_xlsx_report_has_no_formula(cli: Cli, tmp_path: Path) -> None:
    """No cell of the workbook report is a formula, whatever the units, evidence, reasons and cases say."""
    found = cells(score(cli, tmp_path, "xlsx", batch=hostile_batch(tmp_path, HOSTILE[:6])))
    assert any(c.value == HOSTILE[0] for c in found)  # the names are there…
    assert [c.coordinate for c in found if c.data_type == "f"] == []  # …and none is live


def test_xlsx_text_that_looks_like_a_formula_is_quote_prefixed_text(cli: Cli, tmp_path: Path) -> None:
    """Every xlsx cell whose text starts like a formula is a string cell marked as typed after an apostrophe."""
    book = score(cli, tmp_path, "xlsx", batch=hostile_batch(tmp_path, HOSTILE[:6]))
    found = [c for c in cells(book) if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert {c.value for c in found} >= {'=HYPERLINK("http://x","click")', "+1", "-2", "@SUM(A1)", "\tleading tab"}
    assert [c.coordinate for c in found if c.data_type != "s" or not c.quotePrefix] == []


def test_a_control_character_in_evidence_is_shown_escaped_in_xlsx(cli: Cli, tmp_path: Path) -> None:
    """Word's manual line break (U+000B) in evidence no longer crashes the xlsx report: it is written as \\x0b."""
    batch = hostile_batch(tmp_path, ["甲单位\x0b", "乙单位\x00"])
    values = [c.value for c in cells(score(cli, tmp_path, "xlsx", batch=batch)) if isinstance(c.value, str)]
    assert "甲单位\\x0b" in values
    assert "乙单位\\x00" in values
    assert not any("\x0b" in v or "\x00" in v for v in values)


def test_characters_xml_cannot_hold_do_not_damage_the_workbook(cli: Cli, tmp_path: Path) -> None:
    """U+FFFE, which openpyxl writes unchecked and no reader can open, is escaped: the workbook opens."""
    batch = hostile_batch(tmp_path, ["丙单位\ufffe"])
    values = [c.value for c in cells(score(cli, tmp_path, "xlsx", batch=batch))]
    assert "丙单位\\ufffe" in values


def test_the_xlsx_report_keeps_its_numbers_numbers(cli: Cli, tmp_path: Path) -> None:
    """Totals and adjustments stay numbers in xlsx (a −0.5 adjustment is no text cell)."""
    book = openpyxl.load_workbook(score(cli, tmp_path, "xlsx"))
    summary = book.worksheets[0]
    header = [c.value for c in summary[3]]
    row = list(summary[4])
    assert row[header.index("Total")].value == 98.5
    assert row[header.index("Adjustments")].value == -0.5
    assert row[header.index("Adjustments")].data_type == "n"


def test_csv_text_cells_are_neutralised(cli: Cli, tmp_path: Path) -> None:
    """A CSV unit cell starting with = + - @, tab or CR starts with a single quote instead (OWASP)."""
    rows = list(csv.reader(io.StringIO(str(score(cli, tmp_path, "csv")))))
    units = [row[0] for row in rows[1:]]
    assert units[:6] == ["'" + HOSTILE[0], "'+1", "'-2", "'@SUM(A1)", "'\tleading tab", "'\nleading CR"]
    assert units[6:] == HOSTILE[6:]


def test_csv_numbers_stay_numbers(cli: Cli, tmp_path: Path) -> None:
    """The CSV's own numbers are written as they are, a negative adjustment included: only text is neutralised."""
    rows = list(csv.reader(io.StringIO(str(score(cli, tmp_path, "csv", "--no-bom")))))
    assert rows[0][:4] == ["unit", "total", "deductions", "adjustments"]
    assert {tuple(row[1:4]) for row in rows[1:]} == {("98.5", "-1", "-0.5")}


def test_a_carriage_return_inside_a_csv_cell_does_not_end_the_row(cli: Cli, tmp_path: Path) -> None:
    """A CR inside a unit name is written as a quoted line break: a CSV reader sees one row per unit."""
    batch = hostile_batch(tmp_path, ["甲\r乙", "丙\r\n丁"])
    rows = list(csv.reader(io.StringIO(str(score(cli, tmp_path, "csv", batch=batch)), newline="")))
    assert [row[0] for row in rows[1:]] == ["甲\n乙", "丙\n丁"]


def test_the_terminal_table_sends_no_control_or_bidi_character(cli: Cli, tmp_path: Path) -> None:
    """The table shows ESC, NUL, U+000B and U+202E as visible escapes and sends none of them to the terminal."""
    out = str(score(cli, tmp_path, "table"))
    assert TERMINAL_UNSAFE.findall(out) == []
    assert "\\x1b]8;;http://x\\x1b\\link" in out
    assert "rev\\u202eersed" in out and "nul\\x00here" in out


def _rendered(markdown: str) -> str:
    """The HTML a permissive Markdown renderer makes of ``markdown``: raw HTML on, every link allowed."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.render(markdown)


def test_markdown_passes_no_raw_html(cli: Cli, tmp_path: Path) -> None:
    """No `<script>` reaches the Markdown report: it is escaped text, and renders as text."""
    out = str(score(cli, tmp_path, "markdown"))
    assert "<script" not in out.lower()
    html = _rendered(out)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_makes_no_link_of_a_unit_name(cli: Cli, tmp_path: Path) -> None:
    """A unit named `[x](javascript:alert(1))` is shown as written, never a link, even by a renderer allowing every link."""
    html = _rendered(str(score(cli, tmp_path, "markdown")))
    assert "<a " not in html and "<img" not in html
    assert "[x](javascript:alert(1))" in html


def test_markdown_shows_control_and_bidi_characters_escaped(cli: Cli, tmp_path: Path) -> None:
    """Markdown shows ESC, NUL and U+202E as visible escapes, not the characters."""
    out = str(score(cli, tmp_path, "markdown"))
    assert TERMINAL_UNSAFE.findall(out) == []
    assert "rev\\u202eersed" in _rendered(out)


def test_a_hostile_rubric_is_written_as_text(cli: Cli, tmp_path: Path) -> None:
    """A rubric's title and wording that look like formulas or HTML are text in every report too."""
    rubric = tmp_path / "hostile.qlr"
    mini = (ROOT / "tests" / "fixtures" / "mini.qlr").read_text(encoding="utf-8")
    rubric.write_text(mini.replace('"示例考评细则"', '"=1+2 <script>x</script>"')
                      .replace('"未传达学习、专题研究和调度的,每项扣0.5分"', '"@SUM(A1) <img src=x onerror=alert(1)>"'), encoding="utf-8")
    batch = tmp_path / "unit.json"
    batch.write_text(json.dumps({"unit": "甲单位", "findings": [{"clause": "0.1a", "count": 1}]}), encoding="utf-8")
    book = score(cli, tmp_path, "xlsx", "--rubric", str(rubric), batch=batch)
    found = cells(book)
    assert any(isinstance(c.value, str) and c.value.startswith("=1+2") for c in found)
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    html = _rendered(str(score(cli, tmp_path, "markdown", "--rubric", str(rubric), batch=batch)))
    assert "<script" not in html and "<img" not in html


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","click")', "@SUM(A1)", "Word's\x0bbreak"])
def test_the_form_writes_the_unit_name_as_text(cli: Cli, tmp_path: Path, name: str) -> None:
    """`qlrules template --unit NAME` writes a formula-like or damaged name as a string cell, not a formula or a crash."""
    form = tmp_path / "form.xlsx"
    done = cli("template", "--unit", name, "-o", form)
    assert done.exit_code == 0, done.output
    found = [c for c in cells(form) if c.value == name.replace("\x0b", "\\x0b")]
    assert found and all(c.data_type == "s" for c in found)
    assert [c.coordinate for c in cells(form) if c.data_type == "f"] == []
