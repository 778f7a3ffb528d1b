"""The xlsx report: a ranked summary, what each office lost (two sheets), a sheet per unit with its whole trace."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import qlrules
from qlrules.i18n import use_language
from qlrules.io import form as excel
from qlrules.render.xlsx import WorkbookReport, write_workbook

from .conftest import ROOT, Cli
from .test_excel import UNIT_ROWS, fill, template  # noqa: F401 - template is a fixture

#: Four units, two of them tied: the ranking must read 1, 2, 2, 4.
UNITS: list[dict[str, Any]] = [
    {"unit": "市财政局", "findings": [{"clause": "0.1a", "count": 2}, {"clause": "6.1c", "cases": ["C-01"]},
                                  {"clause": "11.4b", "cases": ["C-01"]}, {"clause": "A3", "count": 1, "evidence": "通报"}]},
    {"unit": "市统计局", "findings": [{"clause": "6.1d", "cases": ["C-11", "C-12", "C-13"]}, {"clause": "6.1i", "count": 1}]},
    {"unit": "市审计局", "findings": [{"clause": "2.1b", "count": 1}]},  # 99, as 市商务局: a tie
    {"unit": "市商务局", "findings": [{"clause": "2.2a", "count": 1},
                                  {"clause": "6.1h", "amount": "0", "cases": ["C-21"], "reason": "主动报告"},
                                  {"clause": "6.1e", "cases": ["C-21"]}]},
]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[qlrules.Report]]:
    rubric = qlrules.load_rubric()
    reports = [rubric.score(u) for u in UNITS]
    path = tmp_path_factory.mktemp("report") / "report.xlsx"
    write_workbook(reports, rubric, path)
    return path, reports


def values(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_sheets(book: tuple[Path, list[qlrules.Report]]) -> None:
    """Summary first, then the two office sheets, then one sheet per unit in input order."""
    path, _reports = book
    assert openpyxl.load_workbook(path).sheetnames == ["Summary", "By office", "Items by office",
                                                       "市财政局", "市统计局", "市审计局", "市商务局"]


def test_summary_ranks_with_ties_and_holds_real_numbers(seed: qlrules.Rubric, book: tuple[Path, list[qlrules.Report]]) -> None:
    path, reports = book
    sheet = openpyxl.load_workbook(path)["Summary"]
    rows = values(sheet)
    header = rows[2]
    assert header[:5] == ("Rank", "Unit", "Total", "Deducted", "Adjustments")
    assert [h.split("\n")[0] for h in header[5:]] == [f"{s.id} {s.title}" for s in seed.sections]
    body = rows[3:]
    assert [(r[0], r[1], r[2]) for r in body] == [(1, "市审计局", 99), (1, "市商务局", 99), (3, "市财政局", 97.5), (4, "市统计局", 90)]
    by_unit = {r.unit: r for r in reports}
    for row in body:
        report = by_unit[row[1]]
        assert all(isinstance(v, (int, float)) for v in row[2:]), row  # numbers, never text
        assert [Decimal(str(v)) for v in row[2:5]] == [report.total, -report.deductions, report.adjustments]
        assert [Decimal(str(v)) for v in row[5:]] == [s.score for s in report.sections]
    assert sheet.auto_filter.ref == "A3:J7"


def test_a_unit_sheet_holds_its_whole_trace(seed: qlrules.Rubric, book: tuple[Path, list[qlrules.Report]]) -> None:
    """Every trace entry: clause, official wording, amount, cases, what 注1 removed and what a cap cut."""
    path, reports = book
    wb = openpyxl.load_workbook(path)
    for report in reports:
        rows = values(wb[report.unit])
        header = next(n for n, r in enumerate(rows) if r and r[0] == "Clause")
        trace = rows[header + 1:]
        assert len(trace) == len(report.trace)
        for row, entry in zip(trace, report.trace):
            assert row[0] == entry.clause and row[7] == entry.text and row[8] == entry.note
            shown = row[3] if entry.item is None else row[2]
            assert Decimal(str(shown)) == entry.change and isinstance(shown, (int, float))
        sections = {r[0]: r for r in rows[4:4 + len(seed.sections)]}
        assert [Decimal(str(sections[s.id][4])) for s in seed.sections] == [s.score for s in report.sections]
        total = next(r for r in rows if r and r[0] == "Total")
        assert Decimal(str(total[4])) == report.total
    finance = values(wb["市财政局"])
    removed = next(r for r in finance if r and r[0] == "11.4b")
    assert removed[4] == "注1: counted in 6.1c" and removed[6] == "C-01" and removed[2] == 0
    capped = [r for r in values(wb["市统计局"]) if r and r[4] == "注2: item cap"]
    assert sum(Decimal(str(r[2])) for r in capped) == 6  # 6.1d −15 + 6.1i −1, item 6.1 loses 10: 6 given back
    replaced = next(r for r in values(wb["市商务局"]) if r and r[0] == "6.1e")
    assert replaced[4] == "replaced by 6.1h"


def test_by_office(seed: qlrules.Rubric, book: tuple[Path, list[qlrules.Report]]) -> None:
    """Per unit and in total, each office's items' deductions; an item two offices own counts for both."""
    path, reports = book
    wb = openpyxl.load_workbook(path)
    rows = values(wb["By office"])
    header = rows[2]
    offices = list(header[2:])
    assert offices == list(dict.fromkeys(o for i in seed.items for o in i.owners))
    body = {r[0]: r for r in rows[3:3 + len(reports)]}
    for report in reports:
        expected = {o: sum((s.deducted for s in report.items if o in seed.item_index[s.id].owners), Decimal(0)) for o in offices}
        row = body[report.unit]
        assert Decimal(str(row[1])) == -report.deductions
        assert {o: -Decimal(str(v)) for o, v in zip(offices, row[2:])} == expected
    shared = body["市商务局"]  # 2.2a is owned by 机关党委 and 各科室(单位): −1 under each
    assert shared[offices.index("机关党委") + 2] == -1 and shared[offices.index("各科室(单位)") + 2] == -1
    total = rows[3 + len(reports)]
    assert Decimal(str(total[1])) == -sum(r.deductions for r in reports)
    for n, office in enumerate(offices):
        assert Decimal(str(total[n + 2])) == sum(Decimal(str(body[r.unit][n + 2])) for r in reports)
    assert len(rows) == 3 + len(reports) + 1  # the items are on a sheet of their own
    lost = {(r[0], r[3]): r for r in values(wb["Items by office"])[3:]}
    assert Decimal(str(lost[("机关纪委", "6.1 有案必查")][1])) == -2 - 10  # 市财政局 −2, 市统计局 −10 after 注2
    assert lost[("机关纪委", "6.1 有案必查")][2] == 2


def test_print_setup(book: tuple[Path, list[qlrules.Report]]) -> None:
    """Every sheet: A4 landscape, one page wide, its table header repeated on every page."""
    path, _reports = book
    for sheet in openpyxl.load_workbook(path).worksheets:
        assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows


def test_sheet_names_are_valid_and_unique(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """Unit names become sheet names Excel accepts: no []:*?/\\, at most 31 characters, no clash."""
    long = "某某市某某区某某局/办公室[二级]:很长很长很长很长很长很长的单位名称"
    names = [long, long + "乙", "Summary", "by office", "History"]
    reports = [seed.score({"unit": n, "findings": []}) for n in names]
    write_workbook(reports, seed, tmp_path / "r.xlsx")
    sheets = openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames
    assert len(sheets) == len(set(s.casefold() for s in sheets)) == 8
    assert all(len(s) <= 31 and not set(s) & set("[]:*?/\\") for s in sheets)


def test_an_empty_batch_still_makes_a_workbook(seed: qlrules.Rubric, tmp_path: Path) -> None:
    with (tmp_path / "empty.xlsx").open("wb") as out:
        WorkbookReport(seed, out).save()
    assert openpyxl.load_workbook(tmp_path / "empty.xlsx").sheetnames == ["Summary", "By office", "Items by office"]


def test_command_writes_the_report(template: Path, tmp_path: Path, cli: Cli) -> None:
    """`qlrules score FORM.xlsx --format xlsx -o report.xlsx`, quietly."""
    form = fill(template, tmp_path / "市财政局.xlsx", "市财政局", UNIT_ROWS)
    done = cli("score", str(form), "--format", "xlsx", "-o", str(tmp_path / "report.xlsx"), cwd=ROOT, env={"COLUMNS": "200"})
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["Summary"]
    assert values(sheet)[3][:3] == (1, "市财政局", 89.5)


def test_the_report_speaks_the_language(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """Sheet and header words follow the language; unit names and wording do not change."""
    with use_language("zh"):
        write_workbook([seed.score(UNITS[0])], seed, tmp_path / "zh.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "zh.xlsx")
    assert wb.sheetnames == ["汇总", "按责任科室", "按责任科室(子项目)", "市财政局"]
    texts = {v for row in values(wb["市财政局"]) for v in row if isinstance(v, str)}
    assert seed.clause_index["0.1a"].text in texts


# -- LibreOffice: the files open, print and come back -------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Calc is a package of its own (libreoffice-calc, or -nogui, which `make test` installs): Writer alone
#: cannot open a spreadsheet. Both ship Calc's library; only the GUI package has the `scalc` launcher.
CALC = SOFFICE is not None and (Path(SOFFICE).resolve().parent / "libsclo.so").exists()


def convert(path: Path, to: str, out: Path) -> Path:
    profile = out / "profile"
    done = subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    converted = out / f"{path.stem}.{to.split(':')[0]}"
    assert converted.is_file(), done.stdout + done.stderr
    return converted


@pytest.mark.skipif(not CALC, reason="LibreOffice Calc is not installed")
def test_libreoffice_opens_the_form_and_the_report(seed: qlrules.Rubric, template: Path, tmp_path: Path,
                                                    book: tuple[Path, list[qlrules.Report]]) -> None:
    """Headless LibreOffice renders both to PDF; a form it saves again still scores the same."""
    out = tmp_path / "out"
    out.mkdir()
    for source in (template, book[0]):
        pdf = convert(source, "pdf", out)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 10_000
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert int(info.split("Pages:")[1].split()[0]) >= 2
    filled = fill(template, tmp_path / "市财政局.xlsx", "市财政局", UNIT_ROWS)
    resaved_dir = tmp_path / "resaved"
    resaved_dir.mkdir()
    resaved = convert(filled, "xlsx:Calc MS Excel 2007 XML", resaved_dir)
    (expected,) = qlrules.score_file(ROOT / "examples" / "unit.yaml", seed)
    assert qlrules.evaluate(seed, excel.read_workbook(resaved, seed)).to_dict() == expected.to_dict()


def test_language_2_workbook_shows_grades_groups_and_levels(tmp_path: Path) -> None:
    """Grade and vetoes on the summary, a column per adjustment group, and the level or value of each trace entry."""
    from .test_excel import LANG2, LANG2_FINDINGS

    rubric = qlrules.load_rubric(LANG2)
    units = [{"unit": "甲镇", "findings": LANG2_FINDINGS},
             {"unit": "乙镇", "findings": [{"clause": "1.2a", "count": 1}, {"clause": "1.3a", "count": 1}, {"clause": "N1", "count": 2}]}]
    reports = [rubric.score(u) for u in units]
    path = tmp_path / "report.xlsx"
    write_workbook(reports, rubric, path)
    wb = openpyxl.load_workbook(path)
    rows = values(wb["Summary"])
    header = rows[2]
    assert header[:9] == ("Rank", "Unit", "Total", "考核结果", "否决项", "Deducted", "Adjustments", "B 加分项", "N 扣分")
    by_unit = {r[1]: r for r in rows[3:]}
    for report in reports:
        row = by_unit[report.unit]
        assert row[3] == (report.grade or "no grade")
        assert row[4] == ("、".join(report.vetoes) or None)
        assert [Decimal(str(v)) for v in row[7:9]] == [g.total for g in report.adjustment_groups]
        assert [Decimal(str(v)) for v in row[9:]] == [s.score for s in report.sections]
    assert by_unit["甲镇"][3:5] == ("不达标", "V1")

    sheet = values(wb["甲镇"])
    heads = [r[:5] for r in sheet]
    assert ("Adjustments", "B 加分项", None, None, 3) in heads and ("Adjustments", "N 扣分", None, None, -1) in heads
    assert ("考核结果", "不达标", "vetoed: V1", None, None) in heads
    top = next(n for n, r in enumerate(sheet) if r and r[0] == "Clause")
    assert sheet[top][7] == "Level / value"
    assert wb["甲镇"].print_title_rows == f"${top + 1}:${top + 1}"  # the trace header repeats on every page
    trace = {(r[0], r[4]): r for r in sheet[top + 1:]}
    assert trace[("3.1d", "deducted")][7] == "市"
    assert trace[("3.1a", "deducted")][7] == "93.6 (2 steps)"
    assert trace[("3.1c", "deducted")][7] == "6"
    assert trace[("S1a", "deducted")][1] == "S1 领导责任制"
    assert trace[("B1", "adjusted")][1] == "B 加分项"
    assert len(sheet) - top - 1 == len(reports[0].trace)


def test_the_workbook_is_streamed_into_the_output_with_no_temporary_file(seed: qlrules.Rubric, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unit's sheet goes straight into the archive: no file per sheet (openpyxl's), none left by a failure."""
    import tempfile

    from openpyxl.worksheet import _writer

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    made_before = list(_writer.ALL_TEMP_FILES)
    seen: list[list[str]] = []

    def reports(fail_after: int | None = None) -> Any:
        for n, unit in enumerate(UNITS * 3):
            if n == fail_after:
                raise RuntimeError("a unit failed")
            yield seed.score({**unit, "unit": f"{unit['unit']}{n}"})
            seen.append(sorted(p.name for p in temporary.iterdir()) + _writer.ALL_TEMP_FILES[len(made_before):])

    out = tmp_path / "report.xlsx"
    write_workbook(reports(), seed, out)
    assert len(seen) == 12 and all(names == [] for names in seen), seen
    assert list(temporary.iterdir()) == [] and _writer.ALL_TEMP_FILES == made_before
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 3 + 12 and values(book["市统计局1"])[0][0] == "市统计局1: assessment details"
    failed = tmp_path / "failed.xlsx"
    with pytest.raises(RuntimeError):
        write_workbook(reports(fail_after=5), seed, failed)
    assert not failed.exists() and list(temporary.iterdir()) == [] and list(tmp_path.glob("*failed*")) == []


#: A rubric whose item 0.2 names no office: its deductions must still reach the office sheets.
UNOWNED = """\
rubric "无科室" points 4
section S0 "部分" points 4
  item 0.1 points 2 owners "办公室"
    text "有科室"
    0.1a "扣1分" once −1
  item 0.2 points 2
    text "无科室"
    0.2a "每项扣0.5分" each 项 −0.5
"""


@pytest.mark.parametrize(("language", "names", "nobody"), [
    ("en", ["Summary", "By office", "Items by office"], "No office named"),
    ("zh", ["汇总", "按责任科室", "按责任科室(子项目)"], "未指定责任科室"),
])
def test_the_office_sheets(tmp_path: Path, language: str, names: list[str], nobody: str) -> None:
    """Two office sheets named in the output's language, each table printed under its own header;
    items no office owns are listed under their own heading, not dropped."""
    rubric = qlrules.compile_rubric(UNOWNED, "unowned.qlr")
    units = [{"unit": "甲", "findings": [{"clause": "0.1a", "count": 1}, {"clause": "0.2a", "count": 3}]},
             {"unit": "乙", "findings": [{"clause": "0.2a", "count": 1}]}]
    path = tmp_path / "r.xlsx"
    with use_language(language):
        write_workbook([rubric.score(u) for u in units], rubric, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*names, "甲", "乙"]
    assert "按责任科室" not in wb.sheetnames or language == "zh"
    per_unit, per_item = wb[names[1]], wb[names[2]]
    for sheet in (per_unit, per_item):  # the repeated header row is the table's own header, and nothing follows the table
        rows = values(sheet)
        assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
        assert rows[2][0] in ("Unit", "Office", "被考评单位", "责任科室")
        assert all(r[0] not in ("Unit", "Office", "被考评单位", "责任科室") for r in rows[3:])
    rows = values(per_unit)
    assert rows[2][2:] == ("办公室", nobody)
    assert [r[:4] for r in rows[3:]] == [("甲", -2.5, -1, -1.5), ("乙", -0.5, 0, -0.5), (rows[5][0], -3, -1, -2)]
    items = values(per_item)[3:]
    assert [r[:4] for r in items] == [("办公室", -1, 1, "0.1 有科室"), (nobody, -2, 2, "0.2 无科室")]


def test_the_first_column_fits_its_labels_in_english(seed: qlrules.Rubric, tmp_path: Path) -> None:
    """A unit sheet's column A holds Subtotal, Adjustments, Total and clause ids: wide enough for each, in any language."""
    from qlrules.render.xlsx import text_width

    for language in ("en", "zh"):
        path = tmp_path / f"{language}.xlsx"
        with use_language(language):
            write_workbook([seed.score(UNITS[0])], seed, path)
        sheet = openpyxl.load_workbook(path)["市财政局"]
        merged = {r.min_row for r in sheet.merged_cells.ranges}  # titles and headings span the sheet
        labels = [str(r[0]) for n, r in enumerate(values(sheet), 1) if n not in merged and r and r[0] is not None]
        assert "Adjustments" in labels or language == "zh"
        width = sheet.column_dimensions["A"].width
        assert all(text_width(label) <= width for label in labels), (width, labels)
