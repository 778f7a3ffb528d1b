"""The Excel form: `qlrules template` writes it, an assessor fills it, `qlrules score` reads it back as a unit.

Round trips go through real files: the form is filled with openpyxl the way a person fills it in a
spreadsheet program (finding the row by its 条款 and the column by its header), and the score must
equal the score of the same findings written in YAML.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import qlrules
from qlrules.i18n import use_language
from qlrules.io import form as excel

from .conftest import ROOT

UNIT_YAML = ROOT / "examples" / "unit.yaml"

#: examples/unit.yaml as an assessor types it into the form: full-width comma and 、 between case
#: ids, a discretionary row with its 说明, evidence in 说明, everything else blank.
UNIT_ROWS: dict[str, dict[str, Any]] = {
    "0.1a": {"数量": 2, "说明": "2024年度党组会议记录"},
    "6.1d": {"案件编号": "C-2024-03，C-2024-05"},
    "6.1c": {"案件编号": "C-2024-07"},
    "11.4b": {"案件编号": "C-2024-07"},
    "6.1h": {"酌情扣分": 1.5, "案件编号": "C-2024-09", "说明": "主动报告线索,从轻扣分"},
    "6.1b": {"案件编号": "C-2024-09"},
    "A3": {"数量": 1, "说明": "市委办公室通报 2024-3号"},
}


# -- helpers other test modules use too ------------------------------------------------------------


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m qlrules ARGS`` in English, as a user runs it (no progress bar: stderr is a pipe)."""
    env = {**os.environ, "QLRULES_LANG": "en", "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "qlrules", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or ROOT, timeout=300, check=False)


def header_row(sheet: Any) -> tuple[int, dict[str, int]]:
    """The form's header row and its columns by header word, found as a person finds them."""
    for row in sheet.iter_rows(min_row=1, max_row=20):
        words = {str(c.value).split("\n")[0]: c.column for c in row if c.value is not None}
        if "条款" in words and "数量" in words:
            return row[0].row, words
    raise AssertionError("no header row")


def clause_rows(sheet: Any) -> dict[str, int]:
    """Each clause's (first) row."""
    top, columns = header_row(sheet)
    rows: dict[str, int] = {}
    for r in range(top + 1, sheet.max_row + 1):
        if sheet.cell(r, columns["条款"]).value:
            rows.setdefault(sheet.cell(r, columns["条款"]).value, r)
    return rows


def fill(template: Path, out: Path, unit: str | None, rows: dict[str, dict[str, Any]],
         extra: list[tuple[str, dict[str, Any]]] = ()) -> Path:  # type: ignore[assignment]
    """Fill ``template`` into ``out``: the unit's name, and for each clause the given cells.

    ``extra`` rows are copies of a clause's row inserted below it (what an assessor does, with the
    protection lifted, for a second discretionary case).
    """
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    label = next(c for row in sheet.iter_rows(max_row=10) for c in row if c.value == "被考评单位")
    sheet.cell(label.row, label.column + 1, unit)
    _top, columns = header_row(sheet)
    for clause, copy in extra:
        row = clause_rows(sheet)[clause]
        sheet.insert_rows(row + 1)
        sheet.cell(row + 1, columns["条款"], clause)
        for header, value in copy.items():
            sheet.cell(row + 1, columns[header], value)
    where = clause_rows(sheet)
    for clause, cells in rows.items():
        for header, value in cells.items():
            sheet.cell(where[clause], columns[header], value)
    book.save(out)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "template.xlsx"
    excel.write_template(qlrules.load_rubric(), path)
    return path


def cell_of(path: Path, clause: str, header: str) -> str:
    """``path!评分表!H23``: the reference a message must give for ``clause``'s ``header`` cell."""
    from openpyxl.utils import get_column_letter

    sheet = openpyxl.load_workbook(path).worksheets[0]
    _top, columns = header_row(sheet)
    return f"{path}!评分表!{get_column_letter(columns[header])}{clause_rows(sheet)[clause]}"


# -- the form --------------------------------------------------------------------------------------------


def test_form_has_a_row_per_clause_and_adjustment_in_rubric_order(seed: qlrules.Rubric, template: Path) -> None:
    """One row per clause and adjustment, in rubric order, with the official wording beside the id."""
    sheet = openpyxl.load_workbook(template).worksheets[0]
    assert sheet.title == "评分表"
    rows = clause_rows(sheet)
    assert list(rows) == [c.id for c in seed.clauses] + [a.id for a in seed.adjustments]
    top, columns = header_row(sheet)
    assert {"条款", "数量", "案件编号", "酌情扣分", "说明"} <= set(columns)
    wording = next(col for word, col in columns.items() if word == "Official wording")
    for clause in seed.clauses[:5] + seed.clauses[-3:]:
        assert sheet.cell(rows[clause.id], wording).value == clause.text


def test_form_names_the_unit_right_of_its_label(tmp_path: Path, seed: qlrules.Rubric) -> None:
    """The cell 被考评单位 has the unit's name to its right (prefilled by --unit)."""
    path = tmp_path / "甲.xlsx"
    excel.write_template(seed, path, unit="甲单位")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    label = next(c for row in sheet.iter_rows(max_row=5) for c in row if c.value == "被考评单位")
    assert sheet.cell(label.row, label.column + 1).value == "甲单位"


def test_form_validates_counts_and_amounts(seed: qlrules.Rubric, template: Path) -> None:
    """Whole numbers ≥ 0 (≤ `of` where the clause has one); amounts 0 to the item's points."""
    sheet = openpyxl.load_workbook(template).worksheets[0]
    rows = clause_rows(sheet)
    _top, columns = header_row(sheet)

    def rule(clause: str, header: str) -> Any:
        from openpyxl.utils import get_column_letter

        ref = f"{get_column_letter(columns[header])}{rows[clause]}"
        found = [dv for dv in sheet.data_validations.dataValidation if ref in dv.sqref]
        assert len(found) == 1, (clause, header, found)
        return found[0]

    of3 = rule("0.1a", "数量")
    assert (of3.type, of3.operator, of3.formula1, of3.formula2) == ("whole", "between", "0", "3")
    open_ended = rule("1.3a", "数量")
    assert (open_ended.type, open_ended.operator, open_ended.formula1) == ("whole", "greaterThanOrEqual", "0")
    amount = rule("6.1h", "酌情扣分")
    assert (amount.type, amount.formula1, amount.formula2) == ("decimal", "0", "10")
    assert rule("A1", "数量").type == "whole"
    assert all(dv.showErrorMessage for dv in sheet.data_validations.dataValidation)


def test_form_looks_like_a_form(template: Path) -> None:
    """Input cells unlocked and yellow, the rest locked; header frozen; A4 landscape, header on every page."""
    sheet = openpyxl.load_workbook(template).worksheets[0]
    top, columns = header_row(sheet)
    row = clause_rows(sheet)["0.1a"]
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.protection.sheet
    assert not sheet.cell(row, columns["数量"]).protection.locked
    assert sheet.cell(row, columns["条款"]).protection.locked
    assert sheet.cell(row, columns["数量"]).fill.fgColor.rgb.endswith(excel.INPUT_FILL)
    assert sheet.cell(row, columns["酌情扣分"]).fill.fgColor.rgb.endswith(excel.UNUSED_FILL)  # not discretionary
    assert sheet.cell(row, columns["条款"]).alignment.wrap_text
    assert sheet.column_dimensions["E"].width >= 30
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.print_title_rows == f"${top}:${top}"
    assert sheet.row_dimensions[row].height  # sized for its wrapped text


def test_template_command(tmp_path: Path) -> None:
    """`qlrules template -o FILE` writes the form; without -o it is a usage error (exit 2)."""
    out = tmp_path / "form.xlsx"
    done = run("template", "-o", str(out), "--unit", "乙单位")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and out.is_file()
    assert openpyxl.load_workbook(out).worksheets[0]["B2"].value == "乙单位"
    assert run("template").returncode == 2


# -- round trips --------------------------------------------------------------------------------------------


def test_round_trip_equals_the_same_findings_in_yaml(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """examples/unit.yaml typed into the form scores exactly as the YAML does."""
    filled = fill(template, tmp_path / "市财政局.xlsx", "市财政局", UNIT_ROWS)
    from_form = qlrules.evaluate(seed, excel.read_workbook(filled, seed))
    (from_yaml,) = qlrules.score_file(UNIT_YAML, seed)
    assert from_form.total == from_yaml.total == Decimal("89.5")
    assert from_form.to_dict() == from_yaml.to_dict()


def test_round_trip_through_the_command(template: Path, tmp_path: Path) -> None:
    """`qlrules score FORM.xlsx --format json` prints what it prints for the YAML."""
    filled = fill(template, tmp_path / "市财政局.xlsx", "市财政局", UNIT_ROWS)
    form = run("score", str(filled), "--format", "json")
    yaml = run("score", str(UNIT_YAML), "--format", "json")
    assert form.returncode == 0, form.stderr
    assert form.stdout == yaml.stdout


def test_cells_become_findings_as_written(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """Blank is zero; ints stay ints; 0.5 stays 0.5; 、 , ， all separate case ids; 2.0 counts as 2."""
    rows = {
        "0.2a": {"数量": 2.0},
        "6.1d": {"案件编号": "C1、C2,C3，C4"},
        "6.1h": {"酌情扣分": 0.5, "案件编号": "C9", "说明": "主动报告"},
        "0.3a": {"说明": "无问题"},  # only a note: a finding with count 0
    }
    mapping, _form = excel.workbook_mapping(fill(template, tmp_path / "u.xlsx", "乙单位", rows), seed)
    findings = {f["clause"]: f for f in mapping["findings"]}
    assert findings["0.2a"]["count"] == 2 and type(findings["0.2a"]["count"]) is int
    assert findings["6.1d"]["cases"] == ["C1", "C2", "C3", "C4"]
    assert findings["6.1h"]["amount"] == Decimal("0.5") and findings["6.1h"]["reason"] == "主动报告"
    assert findings["0.3a"] == {"clause": "0.3a", "count": 0, "evidence": "无问题"}
    assert set(findings) == set(rows)  # every blank row is no finding at all
    unit = excel.read_workbook(tmp_path / "u.xlsx", seed)
    assert qlrules.evaluate(seed, unit).total == 100 - Decimal("2") - 10  # 0.2a −2, item 6.1 capped at 10


def test_spaces_and_semicolons_separate_case_ids_too(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """"C-1 C-2" is two cases, not one: 6.1c (受重处分每人次扣2分) deducts 4, not 2."""
    rows = {"6.1c": {"案件编号": "C-1 C-2"}, "6.1d": {"案件编号": "C-3;C-4\u3000C-5"}}
    mapping, _form = excel.workbook_mapping(fill(template, tmp_path / "u.xlsx", "乙单位", rows), seed)
    findings = {f["clause"]: f for f in mapping["findings"]}
    assert (findings["6.1c"]["cases"], findings["6.1d"]["cases"]) == (["C-1", "C-2"], ["C-3", "C-4", "C-5"])
    report = qlrules.evaluate(seed, excel.read_workbook(tmp_path / "u.xlsx", seed))
    assert sum(e.amount for e in report.trace if e.clause == "6.1c") == 4


def test_a_copied_row_is_a_second_finding(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """A second 6.1h row (the protection lifted, the row copied) is a second discretionary finding."""
    filled = fill(template, tmp_path / "u.xlsx", "丙单位",
                  {"6.1h": {"酌情扣分": 1, "案件编号": "C1", "说明": "主动报告"}},
                  extra=[("6.1h", {"酌情扣分": 0.5, "案件编号": "C2", "说明": "查处问题"})])
    same = {"unit": "丙单位", "findings": [
        {"clause": "6.1h", "amount": 1, "cases": ["C1"], "reason": "主动报告"},
        {"clause": "6.1h", "amount": "0.5", "cases": ["C2"], "reason": "查处问题"},
    ]}
    assert qlrules.evaluate(seed, excel.read_workbook(filled, seed)).to_dict() == seed.score(same).to_dict()


# -- bad cells name the cell ---------------------------------------------------------------------------------


BAD_CELLS = [
    pytest.param({"0.1a": {"数量": "两项"}}, "0.1a", "数量", "数量: is a whole number", id="text-in-count"),
    pytest.param({"0.1a": {"数量": 12}}, "0.1a", "数量", "past the 3 things", id="count-past-of"),
    pytest.param({"0.1a": {"数量": -1}}, "0.1a", "数量", "cannot be negative", id="negative-count"),
    pytest.param({"0.1a": {"数量": 1.5}}, "0.1a", "数量", "数量: is a whole number", id="fraction-count"),
    pytest.param({"6.1h": {"酌情扣分": 1, "案件编号": "C1"}}, "6.1h", "说明", "missing 说明", id="discretionary-without-reason"),
    pytest.param({"6.1h": {"案件编号": "C1", "说明": "主动报告"}}, "6.1h", "酌情扣分", "is blank on this discretionary row",
                 id="discretionary-without-amount"),
    pytest.param({"6.1h": {"酌情扣分": 11, "说明": "x"}}, "6.1h", "酌情扣分", "outside 0 to 10", id="amount-above-points"),
    pytest.param({"6.1h": {"酌情扣分": 1, "说明": "x", "案件编号": "C1、C2"}}, "6.1h", "案件编号", "at most one case",
                 id="two-cases-on-discretionary"),
    pytest.param({"6.1h": {"酌情扣分": 1, "说明": "x", "数量": 1}}, "6.1h", "数量", "not for a discretionary clause",
                 id="count-on-discretionary"),
    pytest.param({"0.1a": {"酌情扣分": 1}}, "0.1a", "酌情扣分", "only for a discretionary clause", id="amount-on-counted"),
    pytest.param({"6.1c": {"数量": 2, "案件编号": "C1"}}, "6.1c", "数量", "1 cases are named", id="count-disagrees-with-cases"),
    pytest.param({"6.1c": {"案件编号": "C1、C1"}}, "6.1c", "案件编号", "named twice", id="case-twice"),
    pytest.param({"A1": {"数量": 1, "案件编号": "C1"}}, "A1", "案件编号", "not for an adjustment", id="cases-on-adjustment"),
]


@pytest.mark.parametrize(("rows", "clause", "header", "words"), BAD_CELLS)
def test_a_bad_cell_is_named(seed: qlrules.Rubric, template: Path, tmp_path: Path,
                             rows: dict[str, dict[str, Any]], clause: str, header: str, words: str) -> None:
    """The message names workbook!sheet!cell, the unit and the clause, and says what is wrong."""
    filled = fill(template, tmp_path / "甲单位.xlsx", "甲单位", rows)
    with pytest.raises(qlrules.FindingsError) as raised:
        excel.read_workbook(filled, seed)
    message = str(raised.value)
    assert message.startswith(cell_of(filled, clause, header) + ": "), message
    assert words in message and "'甲单位'" in message and f"clause {clause}" in message


def test_a_bad_cell_fails_the_command_with_no_output(template: Path, tmp_path: Path) -> None:
    """Exit 1, the cell on stderr without a traceback, nothing on stdout, no output file."""
    filled = fill(template, tmp_path / "甲单位.xlsx", "甲单位", {"0.1a": {"数量": 12}})
    out = tmp_path / "report.json"
    done = run("score", "甲单位.xlsx", "--format", "json", "-o", str(out), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("甲单位.xlsx!评分表!") and "Traceback" not in done.stderr
    assert cell_of(filled, "0.1a", "数量").split("!", 1)[1] in done.stderr
    assert done.stdout == "" and not out.exists()


def test_unknown_clause_typed_over_the_id(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """An id typed over (the protection lifted) is an unknown clause, at its 条款 cell, with a suggestion."""
    filled = fill(template, tmp_path / "u.xlsx", "丁单位", {"0.1a": {"数量": 1, "条款": "0.1z"}})
    with pytest.raises(qlrules.FindingsError) as raised:
        excel.read_workbook(filled, seed)
    assert str(raised.value).startswith(cell_of(fill(template, tmp_path / "v.xlsx", "x", {}), "0.1a", "条款").replace("v.xlsx", "u.xlsx"))
    assert "unknown clause '0.1z'" in str(raised.value) and "0.1a" in str(raised.value)


def test_blank_unit_name_names_its_cell(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    filled = fill(template, tmp_path / "u.xlsx", None, {"0.1a": {"数量": 1}})
    with pytest.raises(qlrules.FindingsError, match=r"u\.xlsx!评分表!B2: .*unit's name"):
        excel.read_workbook(filled, seed)


def test_not_a_form(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """A workbook without the header row, or a file that is no workbook, is refused in words."""
    book = openpyxl.Workbook()
    book.active["A1"] = "hello"  # type: ignore[index]
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(qlrules.FindingsError, match="no header row"):
        excel.read_workbook(tmp_path / "other.xlsx", seed)
    (tmp_path / "fake.xlsx").write_text("not a zip", encoding="utf-8")
    done = run("score", str(tmp_path / "fake.xlsx"))
    assert done.returncode == 1 and "not an Excel workbook" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "save it as .xlsx" in run("score", str(tmp_path / "old.xls")).stderr


def test_messages_follow_the_language(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """In Chinese the checks speak Chinese; the cell reference, clause id and form words stay as they are."""
    filled = fill(template, tmp_path / "甲单位.xlsx", "甲单位", {"0.1a": {"数量": "两项"}})
    with use_language("zh"), pytest.raises(qlrules.FindingsError) as raised:
        excel.read_workbook(filled, seed)
    message = str(raised.value)
    assert message.startswith(cell_of(filled, "0.1a", "数量"))
    assert "单位 '甲单位'" in message and "条款 0.1a" in message and "应为整数" in message


def test_form_words_are_fixed_in_every_language(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """A form made in Chinese is read the same way in English, and the other way round."""
    for made, read in (("zh", "en"), ("en", "zh")):
        path = tmp_path / f"{made}.xlsx"
        with use_language(made):
            excel.write_template(seed, path)
        fill(path, path, "甲单位", {"0.1a": {"数量": 1}})
        with use_language(read):
            assert qlrules.evaluate(seed, excel.read_workbook(path, seed)).total == Decimal("99.5")


def test_every_bad_cell_of_a_form_is_named(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """Bad cells in several rows, one of them a row the form itself refuses: each named at its cell, in one error."""
    rows = {"0.1a": {"数量": 12}, "6.1h": {"案件编号": "C1", "说明": "主动报告"}, "A1": {"数量": 1, "案件编号": "C1"}, "0.2a": {"数量": 1}}
    filled = fill(template, tmp_path / "甲单位.xlsx", "甲单位", rows)
    with pytest.raises(qlrules.FindingsError) as raised:
        excel.read_workbook(filled, seed)
    sources = sorted(p.source or "" for p in raised.value.problems)
    assert sources == sorted([cell_of(filled, "0.1a", "数量"), cell_of(filled, "6.1h", "酌情扣分"), cell_of(filled, "A1", "案件编号")])
    assert all(p.unit == "甲单位" for p in raised.value.problems)
    assert len(str(raised.value).splitlines()) == 3


# -- language 2: level, value, amounts on ranges, vetoes, clauses of sections and topics ---------------------

LANG2 = ROOT / "tests" / "fixtures" / "lang2.qlr"

#: A unit on tests/fixtures/lang2.qlr typed into the form, and the same findings in YAML.
LANG2_ROWS: dict[str, dict[str, Any]] = {
    "S1a": {"数量": 1},
    "1.2a": {"数量": 1},
    "1.3a": {"数量": 1},
    "1.3b": {"数量": 2, "说明": "会议记录"},
    "1.4a": {"数量": 2, "酌情扣分": 3, "说明": "两例,一例较重"},
    "1.4b": {"酌情扣分": 5, "说明": "情节较重"},
    "1.4c": {"酌情扣分": 0.5, "说明": "其他"},
    "3a": {"案件编号": "C1"},
    "3.1a": {"测得值": 93.6},
    "3.1c": {"测得值": 6},
    "3.1d": {"等级": "市", "数量": 2},
    "3.1e": {"等级": "不合格", "酌情扣分": 1.5, "说明": "测评不合格"},
    "B1": {"等级": "县"},
    "B2": {"酌情扣分": 2, "说明": "镇党委会决定"},
    "B3": {"测得值": 7},
    "N1": {"数量": 1},
    "V1": {"数量": 1},
}
LANG2_FINDINGS: list[dict[str, Any]] = [
    {"clause": "S1a", "count": 1},
    {"clause": "1.2a", "count": 1},
    {"clause": "1.3a", "count": 1},
    {"clause": "1.3b", "count": 2, "evidence": "会议记录"},
    {"clause": "1.4a", "count": 2, "amount": 3, "reason": "两例,一例较重"},
    {"clause": "1.4b", "amount": 5, "reason": "情节较重"},
    {"clause": "1.4c", "amount": "0.5", "reason": "其他"},
    {"clause": "3a", "cases": ["C1"]},
    {"clause": "3.1a", "value": "93.6"},
    {"clause": "3.1c", "value": 6},
    {"clause": "3.1d", "level": "市", "count": 2},
    {"clause": "3.1e", "level": "不合格", "count": 1, "amount": "1.5", "reason": "测评不合格"},
    {"clause": "B1", "level": "县", "count": 1},
    {"clause": "B2", "amount": 2, "reason": "镇党委会决定"},
    {"clause": "B3", "value": 7},
    {"clause": "N1", "count": 1},
    {"clause": "V1", "count": 1},
]


@pytest.fixture(scope="module")
def lang2() -> qlrules.Rubric:
    return qlrules.load_rubric(LANG2)


@pytest.fixture(scope="module")
def lang2_template(tmp_path_factory: pytest.TempPathFactory, lang2: qlrules.Rubric) -> Path:
    path = tmp_path_factory.mktemp("form2") / "template.xlsx"
    excel.write_template(lang2, path)
    return path


def _validation(sheet: Any, clause: str, header: str) -> Any:
    from openpyxl.utils import get_column_letter

    _top, columns = header_row(sheet)
    ref = f"{get_column_letter(columns[header])}{clause_rows(sheet)[clause]}"
    found = [dv for dv in sheet.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) <= 1, (clause, header, found)
    return found[0] if found else None


def test_language_2_form_has_every_clause_adjustment_and_veto(lang2: qlrules.Rubric, lang2_template: Path) -> None:
    """Clauses of sections and topics, every group's adjustments and the vetoes each have their row, in rubric order."""
    sheet = openpyxl.load_workbook(lang2_template).worksheets[0]
    assert list(clause_rows(sheet)) == [c.id for c in lang2.clauses] + [a.id for a in lang2.adjustments] + [v.id for v in lang2.vetoes]
    _top, columns = header_row(sheet)
    assert {"条款", "数量", "案件编号", "等级", "测得值", "酌情扣分", "说明"} <= set(columns)


def test_language_2_round_trip_equals_yaml(lang2: qlrules.Rubric, lang2_template: Path, tmp_path: Path) -> None:
    """Filled with openpyxl, the form gives exactly the findings keys of the YAML, and the same report."""
    filled = fill(lang2_template, tmp_path / "甲.xlsx", "甲镇", LANG2_ROWS)
    mapping, _form = excel.workbook_mapping(filled, lang2)
    keys = {f["clause"]: set(f) for f in mapping["findings"]}
    assert keys == {f["clause"]: set(f) for f in LANG2_FINDINGS}
    from_form = qlrules.evaluate(lang2, excel.read_workbook(filled, lang2))
    from_yaml = lang2.score({"unit": "甲镇", "findings": LANG2_FINDINGS})
    assert from_form.to_dict() == from_yaml.to_dict()
    assert from_form.grade == "不达标" and from_form.vetoes == ("V1",)


def test_language_2_inputs_and_validation(lang2_template: Path) -> None:
    """A level list, decimal values, range bounds on amounts; the inputs a rule does not take are grey."""
    sheet = openpyxl.load_workbook(lang2_template).worksheets[0]
    _top, columns = header_row(sheet)
    rows = clause_rows(sheet)
    level = _validation(sheet, "3.1d", "等级")
    assert (level.type, level.formula1) == ("list", '"县,市,省,京"') and level.showErrorMessage
    assert _validation(sheet, "B1", "等级").formula1 == '"镇,县,市,省"'
    assert _validation(sheet, "3.1a", "测得值").type == "decimal"
    once = _validation(sheet, "1.4b", "酌情扣分")
    assert (once.type, once.operator, once.formula1, once.formula2) == ("decimal", "between", "4", "8")
    each = _validation(sheet, "1.4a", "酌情扣分")
    assert (each.type, each.operator, each.formula1) == ("decimal", "greaterThanOrEqual", "1")
    assert (_validation(sheet, "B2", "酌情扣分").formula1, _validation(sheet, "B2", "酌情扣分").formula2) == ("0", "5")
    assert (_validation(sheet, "1.4c", "酌情扣分").formula1, _validation(sheet, "1.4c", "酌情扣分").formula2) == ("0", "2")
    assert _validation(sheet, "V1", "数量").type == "whole"

    def used(clause: str) -> set[str]:
        return {h for h in ("数量", "案件编号", "等级", "测得值", "酌情扣分", "说明")
                if sheet.cell(rows[clause], columns[h]).fill.fgColor.rgb.endswith(excel.INPUT_FILL)}

    assert used("1.1a") == {"数量", "案件编号", "说明"}
    assert used("1.2a") == {"数量", "说明"}  # an award names no cases
    assert used("1.4a") == {"数量", "案件编号", "酌情扣分", "说明"}
    assert used("3.1a") == {"测得值", "说明"}
    assert used("3.1d") == {"数量", "案件编号", "等级", "说明"}
    assert used("3.1e") == {"数量", "案件编号", "等级", "酌情扣分", "说明"}
    assert used("B1") == {"数量", "等级", "说明"}
    assert used("V1") == {"数量", "说明"}
    assert used("S1a") == {"数量", "案件编号", "说明"}
    assert sheet.cell(rows["3.1a"], columns["数量"]).protection.locked


LANG2_BAD = [
    pytest.param({"3.1d": {"等级": "乡", "数量": 1}}, "3.1d", "等级", "unknown level '乡'", id="unknown-level"),
    pytest.param({"3.1d": {"数量": 1}}, "3.1d", "等级", "is blank on this row", id="no-level"),
    pytest.param({"3.1e": {"等级": "不合格", "说明": "x"}}, "3.1e", "酌情扣分", "level 不合格 gives a range", id="ranged-level-without-amount"),
    pytest.param({"1.4b": {"酌情扣分": 9, "说明": "x"}}, "1.4b", "酌情扣分", "outside the range of clause 1.4b: 4 to 8", id="amount-outside-range"),
    pytest.param({"1.4b": {"酌情扣分": 5}}, "1.4b", "说明", "missing 说明", id="range-without-reason"),
    pytest.param({"1.4a": {"数量": 1, "说明": "x"}}, "1.4a", "酌情扣分", "gives a range", id="range-without-amount"),
    pytest.param({"3.1a": {"测得值": "九十"}}, "3.1a", "测得值", "测得值: is a number", id="text-in-value"),
    pytest.param({"3.1a": {"说明": "x"}}, "3.1a", "测得值", "is blank on this measured row", id="no-value"),
    pytest.param({"3.1a": {"测得值": 90, "数量": 1}}, "3.1a", "数量", "数量: is not for clause 3.1a", id="count-on-measure"),
    pytest.param({"1.2a": {"数量": 1, "案件编号": "C1"}}, "1.2a", "案件编号", "案件编号 are for deductions", id="cases-on-award"),
    pytest.param({"V1": {"案件编号": "C1"}}, "V1", "案件编号", "a veto takes only 数量", id="cases-on-veto"),
]


@pytest.mark.parametrize(("rows", "clause", "header", "words"), LANG2_BAD)
def test_language_2_bad_cell_is_named(lang2: qlrules.Rubric, lang2_template: Path, tmp_path: Path,
                                      rows: dict[str, dict[str, Any]], clause: str, header: str, words: str) -> None:
    filled = fill(lang2_template, tmp_path / "甲.xlsx", "甲镇", rows)
    with pytest.raises(qlrules.FindingsError) as raised:
        excel.read_workbook(filled, lang2)
    message = str(raised.value)
    assert message.startswith(cell_of(filled, clause, header) + ": "), message
    assert words in message and f"clause {clause}" in message


def test_a_form_without_the_language_2_columns_is_still_read(seed: qlrules.Rubric, template: Path, tmp_path: Path) -> None:
    """A form made before 等级 and 测得值 existed (the columns taken out) reads as before."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    _top, columns = header_row(sheet)
    for header in ("测得值", "等级"):  # the right one first, so the other keeps its place
        sheet.delete_cols(columns[header])
    old = tmp_path / "old.xlsx"
    book.save(old)
    assert "等级" not in header_row(openpyxl.load_workbook(old).worksheets[0])[1]
    filled = fill(old, tmp_path / "市财政局.xlsx", "市财政局", UNIT_ROWS)
    (from_yaml,) = qlrules.score_file(UNIT_YAML, seed)
    assert qlrules.evaluate(seed, excel.read_workbook(filled, seed)).to_dict() == from_yaml.to_dict()
