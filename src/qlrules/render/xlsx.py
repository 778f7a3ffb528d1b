"""The Excel report of a batch: a ranked summary, what each office lost (two sheets), and a sheet per unit.

Streamed: openpyxl's write-only sheets, each written straight into the workbook's zip archive
(the output file being made) as its unit is scored, instead of into the named temporary file
openpyxl makes per sheet and copies at the end. No file is made but the output's own (which
`qlrules.io.output` removes on any signal it can catch); the office sheet, which grows while the
units come, goes to an anonymous temporary file that has no name to leave behind. What is kept
until the end is one small summary row and the bookkeeping of one sheet per unit (the ranking
needs every total), and a running sum per office and item: time and memory linear in the units.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from ..i18n import _
from ..model import Levels, Measure, Rubric
from ..numbers import exact, negated, plain
from ..scoring.report import Report, TraceEntry
from .safe import cell_text, text_cell
from .words import competition_ranks, effect_words

if TYPE_CHECKING:
    from ..io.stream import Missing

def office_sheet_names() -> tuple[str, str]:
    """The two sheets the offices read, in the output's language: per unit and office; per office and item.

    Two sheets, not two tables on one: a sheet repeats one header on every printed page, so a
    second table below the first would print under the first one's header.
    """
    return _("By office"), _("Items by office")


def no_office() -> str:
    """Where the items no office owns are counted: the office sheets leave no deduction out."""
    return _("No office named")

_FONT = "宋体"
_HEADING_FONT = "黑体"
_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_ZERO = Decimal(0)

# Widths of a unit sheet's columns: the section table (A–E) and the trace (A–K) share them.
_UNIT_WIDTHS = (7, 18, 9, 9, 11, 6, 12, 36, 24, 18, 11)
#: The same with the trace's "Level / value" column after "Cases", for rubrics with levels or measures.
_UNIT_WIDTHS_MEASURED = (*_UNIT_WIDTHS[:7], 11, *_UNIT_WIDTHS[7:])
#: What a sheet name cannot hold: Excel's []:*?/\, control characters and bidi controls (a tab's label is one line).
_NOT_IN_SHEET_NAME = re.compile("[\\[\\]:*?/\\\\\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shows_levels(rubric: Rubric) -> bool:
    """Whether the rubric has clauses whose trace names a level or a measured value (language 2)."""
    return any(isinstance(c.rule, Levels | Measure) for c in rubric.clauses) or any(
        isinstance(a.rule, Levels | Measure) for a in rubric.adjustments)


def several_groups(rubric: Rubric) -> bool:
    """Whether the report shows each adjustment group's total on its own (v1's single block: one column)."""
    return len(rubric.adjustment_groups) > 1


def group_label(group: Any) -> str:
    return group.title if group.id is None else f"{group.id} {group.title}"


def level_words(entry: TraceEntry) -> str | None:
    """The level a trace entry counted at, or the value measured and the whole steps counted."""
    parts = []
    if entry.level is not None:
        parts.append(entry.level)
    if entry.value is not None:
        parts.append(plain(entry.value) if entry.steps is None
                     else _("{value} ({steps} steps)").format(value=plain(entry.value), steps=entry.steps))
    return "；".join(parts) or None


def number(value: Decimal) -> int | Decimal:
    """A cell value that is a real number: 7 as an int, 93.5 as an exact decimal (never text)."""
    value = exact(value)
    return int(value) if value == value.to_integral_value() else value


def lost(deducted: Decimal) -> int | Decimal:
    """A deduction as every report shows it: a negative number (a part that lost 2 shows −2; nothing lost, 0)."""
    return number(negated(deducted))


def offices_of(rubric: Rubric) -> list[str]:
    """Every owning office (责任科室) in the order the rubric first names it, and `no_office` last if an item has none."""
    return list(dict.fromkeys(o for item in rubric.items for o in owners_of(item)))


def owners_of(item: Any) -> tuple[str, ...]:
    return item.owners or (no_office(),)


def text_width(text: str) -> float:
    """The column width that shows ``text`` on one line (CJK counts 1.8, as `qlrules.io.form.text_lines`)."""
    import unicodedata

    return max((sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in line) for line in text.split("\n")),
               default=0.0) + 2


@attrs.frozen
class SummaryRow:
    """What the summary keeps of a unit once its sheet is written."""

    unit: str
    sheet: str
    total: Decimal
    deductions: Decimal
    adjustments: Decimal
    sections: tuple[Decimal, ...]
    groups: tuple[Decimal, ...] = ()
    grade: str | None = None
    vetoes: tuple[str, ...] = ()


class _Styles:
    """The cell styles of the report, made once (openpyxl shares equal styles anyway)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=_HEADING_FONT, size=16, bold=True)
        self.subtitle = Font(name=_FONT, size=10, color="595959")
        self.heading = Font(name=_HEADING_FONT, size=12, bold=True)
        self.body = Font(name=_FONT, size=10)
        self.bold = Font(name=_FONT, size=10, bold=True)
        self.header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
        self.total_fill = PatternFill("solid", fgColor=_TOTAL_FILL)
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="center", wrap_text=True)
        self.number = Alignment(horizontal="right", vertical="center")
        self.left = Alignment(horizontal="left", vertical="center")


def _streamed_sheet_class() -> type:
    """`_StreamedSheet`, made on first use: openpyxl is imported only when a workbook is written."""
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet._writer import WorksheetWriter

    class _StreamedSheet(WriteOnlyWorksheet):
        """A write-only sheet whose XML goes into the stream ``open_stream`` gives, when its first row comes.

        Its title is taken as given: `WorkbookReport.sheet_name` has made it valid and unique
        already, and openpyxl's own check compares it with every sheet's (quadratic in the units).
        """

        def __init__(self, parent: Any, title: str, open_stream: Callable[[Any], IO[bytes]]) -> None:
            self._open_stream = open_stream
            self._name = title
            super().__init__(parent, title)

        @property
        def title(self) -> str:
            return self._name

        @title.setter
        def title(self, value: Any) -> None:
            self._name = value

        def _get_writer(self) -> None:
            if getattr(self, "_writer", None) is None:
                writer: Any = WorksheetWriter(self, out=self._open_stream(self))
                writer.write_top()
                self._writer = writer

    return _StreamedSheet


def _excel_writer_class() -> type:
    """openpyxl's workbook writer, for sheets already in the archive: it writes everything else."""
    from openpyxl.writer.excel import ExcelWriter

    class _StreamedWriter(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            ws._drawing = None
            ws._rels = ws._writer._rels
            self.manifest.append(ws)

    return _StreamedWriter


class _Sheet:
    """A write-only sheet that knows its row number and column widths, to size rows as it writes them.

    Neither Excel nor LibreOffice grows a row for wrapped text it did not lay out itself, and a
    write-only row's height must be known before the row is written.
    """

    def __init__(self, sheet: Any, widths: Sequence[float]) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet = sheet
        self.widths = list(widths)
        self.row = 0
        for n, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(n)].width = width

    @property
    def last_column(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(len(self.widths))

    def append(self, cells: Sequence[Any], height: float | None = None, merge: str | None = None) -> int:
        """Write a row; ``merge`` ("A:K") merges it across those columns. Returns its number."""
        from ..io.form import row_height

        self.row += 1
        if height is None:
            if merge:
                first, last = (ord(c) - ord("A") for c in merge.split(":"))
                spans = [(cells[0].value if cells else None, sum(self.widths[first:last + 1]))]
            else:
                spans = [(c.value, w) for c, w in zip(cells, self.widths) if isinstance(getattr(c, "value", None), str)]
            height = row_height(spans, size=10) if spans else None
        if height is not None:
            self.sheet.row_dimensions[self.row].height = height
        self.sheet.append(list(cells))
        if merge:
            left, right = merge.split(":")
            self.sheet.merged_cells.add(f"{left}{self.row}:{right}{self.row}")
        return self.row

    def blank(self) -> None:
        self.row += 1
        self.sheet.append([])


class WorkbookReport:
    """Collects reports one by one into an xlsx file; `save` ranks the units and writes it.

    Example::

        with open("report.xlsx", "wb") as out:
            book = WorkbookReport(rubric, out)
            for report in reports:
                book.add(report)
            book.save()
    """

    def __init__(self, rubric: Rubric, out: IO[bytes]) -> None:
        from zipfile import ZIP_DEFLATED, ZipFile

        from openpyxl import Workbook

        self.rubric = rubric
        self.archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
        self.book: Any = Workbook(write_only=True)  # and some of its private parts: a workbook streamed
        self.sheet_class = _streamed_sheet_class()
        self.open_entry: IO[bytes] | None = None  # the archive's member being written: one at a time
        self.office_file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by save() or discard()
        self.style = _Styles()
        self.named: dict[tuple[int, int, int, bool, bool], str] = {}
        self.style_arrays: dict[str, Any] = {}
        self.summary_name = _("Summary")
        summary = self.new_sheet(self.summary_name)
        graded = [9, 10] if rubric.grades else []
        groups = [12 for _g in rubric.adjustment_groups] if several_groups(rubric) else []
        self.summary = _Sheet(summary, [6, 22, 9, *graded, 9, 9, *groups, *(12 for _s in rubric.sections)])
        self.offices = offices_of(rubric)
        by_office, office_items = office_sheet_names()
        office_widths = [20, 10, *(max(10, text_width(o)) for o in self.offices)]
        self.by_office = _Sheet(self.new_sheet(by_office, lambda _sheet: self.office_file), office_widths)
        self.office_items = _Sheet(self.new_sheet(office_items), [
            max(12, *(text_width(o) for o in self.offices)), 10, 12, 60])
        self.rows: list[SummaryRow] = []
        self.office_totals = dict.fromkeys(self.offices, _ZERO)
        self.item_totals: dict[str, tuple[Decimal, int]] = {}
        self.deducted_total = _ZERO
        self.names_taken = {self.summary_name.casefold(), by_office.casefold(), office_items.casefold(), "history"}
        self.owners = {item.id: owners_of(item) for item in rubric.items}
        # A unit sheet's first column holds the row labels and the clause ids: wide enough for the longest.
        labels = [_("No."), _("Subtotal"), _("Adjustments"), _("Total"), _("Clause"), rubric.grades_title or _("Grade"),
                  *(c.id for c in rubric.clauses), *(a.id for a in rubric.adjustments), *(v.id for v in rubric.vetoes)]
        self.first_width = max(_UNIT_WIDTHS[0], *(text_width(t) for t in labels))
        self._start_office_sheet()

    # -- sheets in the archive ------------------------------------------------------------------

    def new_sheet(self, name: str, open_stream: Callable[[Any], IO[bytes]] | None = None) -> Any:
        """A sheet at the end of the workbook, written into the archive (or into ``open_stream``) as it comes."""
        sheet = self.sheet_class(self.book, name, open_stream or self.entry)
        self.book._add_sheet(sheet)
        sheet._id = len(self.book._sheets)  # what the workbook's writer numbers it: its place
        return sheet

    def entry(self, sheet: Any) -> IO[bytes]:
        """The archive member of ``sheet``'s XML, open for writing."""
        assert self.open_entry is None, "one sheet at a time"
        self.open_entry = self.archive.open(sheet.path[1:], "w")
        return self.open_entry

    def close_sheet(self, sheet: Any) -> None:
        """End ``sheet``'s XML and its archive member; keep only what the workbook's writer needs of it."""
        sheet.close()
        if self.open_entry is not None:
            self.open_entry.close()
            self.open_entry = None
        _release(sheet)

    # -- cells ------------------------------------------------------------------------------

    def cell(self, sheet: _Sheet, value: Any, *, font: Any = None, fill: Any = None, align: Any = None,
             border: bool = True, signed: bool = False) -> Any:
        """A styled cell. Each combination of styles becomes one named style, made once: setting
        fonts and borders cell by cell hashes them every time and made big reports crawl."""
        from openpyxl.cell import WriteOnlyCell

        if align is None:
            align = self.style.number if isinstance(value, (int, Decimal)) else self.style.wrap
        key = (id(font), id(fill), id(align), border, signed)
        name = self.named.get(key)
        if name is None:
            from openpyxl.styles import Border, NamedStyle, PatternFill

            name = f"qlrules {len(self.named) + 1}"
            style = NamedStyle(name=name, font=font or self.style.body, fill=fill or PatternFill(), alignment=align,
                               border=self.style.border if border else Border())
            if signed:
                style.number_format = "+General;-General;0"  # an amount shows its sign (−2 lost, +0.5 gained), still a number
            self.book.add_named_style(style)
            self.named[key] = name
        cell: Any = WriteOnlyCell(sheet.sheet)
        # First: a named style replaces the cell's whole style, quote prefix included. Looking a
        # style up by name scans every named style, so each one's resulting style array is kept.
        made = self.style_arrays.get(name)
        if made is None:
            cell.style = name
            made = self.style_arrays[name] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(made)
        if isinstance(value, str):  # text from a rubric or a findings file: a string cell, never a formula
            text_cell(cell, value)
        else:
            cell.value = value
        return cell

    def title_rows(self, sheet: _Sheet, title: str, subtitle: str) -> None:
        span = f"A:{sheet.last_column}"
        sheet.append([self.cell(sheet, title, font=self.style.title, align=self.style.centre, border=False)], height=30, merge=span)
        sheet.append([self.cell(sheet, subtitle, font=self.style.subtitle, align=self.style.centre, border=False)], merge=span)

    def header_row(self, sheet: _Sheet, headers: Sequence[str]) -> int:
        cells = [self.cell(sheet, h, font=self.style.bold, fill=self.style.header_fill, align=self.style.centre) for h in headers]
        return sheet.append(cells)

    def print_setup(self, sheet: _Sheet, header_row: int, freeze: bool = True) -> None:
        """A4 landscape, one page wide, the table header repeated on every page."""
        from ..io.form import print_setup

        print_setup(sheet.sheet, f"{header_row}:{header_row}")
        if freeze:
            sheet.sheet.freeze_panes = f"A{header_row + 1}"

    # -- per unit ------------------------------------------------------------------------------

    def sheet_name(self, unit: str) -> str:
        """A unique, valid sheet name for ``unit``: at most 31 characters, none of []:*?/\\, no control characters."""
        base = re.sub(_NOT_IN_SHEET_NAME, "_", cell_text(unit)).strip("' ") or _("unit")
        base = base[:31]
        name, n = base, 1
        while name.casefold() in self.names_taken:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        self.names_taken.add(name.casefold())
        return name

    def add(self, report: Report) -> None:
        """Write ``report``'s sheet and its row of the office sheet; keep its summary row."""
        name = self.sheet_name(report.unit)
        widths = (self.first_width, *(_UNIT_WIDTHS_MEASURED if shows_levels(self.rubric) else _UNIT_WIDTHS)[1:])
        self._unit_sheet(_Sheet(self.new_sheet(name), widths), report)
        self.rows.append(SummaryRow(report.unit, name, report.total, report.deductions, report.adjustments,
                                    tuple(s.score for s in report.sections), tuple(g.total for g in report.adjustment_groups),
                                    report.grade, report.vetoes))
        self._office_row(report)

    def _unit_sheet(self, sheet: _Sheet, report: Report) -> None:
        s = self.style
        rubric = self.rubric
        c = self.cell
        several = several_groups(rubric) and len(report.adjustment_groups) > 1
        measured = shows_levels(rubric)
        # title, subtitle, blank, header, the sections, three total rows (a row per adjustment group when
        # there are several; a grade row when the rubric has grades), blank, heading: then the trace header
        extra = (len(report.adjustment_groups) - 1 if several else 0) + (1 if rubric.grades else 0)
        self.print_setup(sheet, 10 + len(report.sections) + extra, freeze=False)
        self.title_rows(sheet, _("{unit}: assessment details").format(unit=report.unit), _rubric_line(rubric))
        sheet.blank()
        self.header_row(sheet, [_("No."), _("Section"), _("Points"), _("Deducted"), _("Score")])
        for section in report.sections:
            sheet.append([c(sheet, section.id, align=s.centre), c(sheet, section.title), c(sheet, number(section.points)),
                          c(sheet, lost(section.deducted), signed=True), c(sheet, number(section.score))])
        points = report_points(report)
        total: dict[str, Any] = {"font": s.bold, "fill": s.total_fill}
        shaded: dict[str, Any] = {"fill": s.total_fill}
        sheet.append([c(sheet, _("Subtotal"), align=s.centre, **total), c(sheet, "", **shaded), c(sheet, number(points), **shaded),
                      c(sheet, lost(report.deductions), signed=True, **shaded), c(sheet, number(points - report.deductions), **shaded)])
        group_rows = ([(group_label(g), g.total) for g in report.adjustment_groups] if several
                     else [(rubric.adjustments_title or "", report.adjustments)])
        for label, amount in group_rows:
            sheet.append([c(sheet, _("Adjustments"), align=s.centre, **total), c(sheet, label, **shaded),
                          c(sheet, "", **shaded), c(sheet, "", **shaded), c(sheet, number(amount), signed=True, **shaded)])
        sheet.append([c(sheet, _("Total"), align=s.centre, **total), c(sheet, "", **shaded), c(sheet, "", **shaded),
                      c(sheet, "", **shaded), c(sheet, number(report.total), **total)])
        if rubric.grades:
            vetoed = _("vetoed: {vetoes}").format(vetoes="、".join(report.vetoes)) if report.vetoes else ""
            sheet.append([c(sheet, rubric.grades_title or _("Grade"), align=s.centre, **total),
                          c(sheet, report.grade or _("no grade"), **total), c(sheet, vetoed, **shaded),
                          c(sheet, "", **shaded), c(sheet, "", **shaded)])
        sheet.blank()
        sheet.append([c(sheet, _("Deductions and adjustments, clause by clause"), font=s.heading, border=False, align=s.left)],
                     merge=f"A:{sheet.last_column}")
        self.header_row(sheet, [
            _("Clause"), _("Item"), _("Deducted"), _("Adjustment"), _("Effect"), _("Count"), _("Cases"),
            *([_("Level / value")] if measured else []),
            _("Official wording"), _("How"), _("Evidence / reason"), _("Office"),
        ])
        if not report.trace:
            sheet.append([c(sheet, _("no deductions or adjustments"), border=False)], merge=f"A:{sheet.last_column}")
        parts = rubric.part_index
        for entry in report.trace:
            part = parts.get(entry.item) if entry.item else None
            adjusting = entry.item is None
            if part is not None:
                place = f"{part.id} {part.title}"
            elif not several:
                place = rubric.adjustments_title or ""
            else:
                place = next((group_label(g) for g in rubric.adjustment_groups
                              if entry.clause == g.id or any(a.id == entry.clause for a in g.adjustments)), "")
            if any(v.id == entry.clause for v in rubric.vetoes):
                place = rubric.vetoes_title or ""
            sheet.append([
                c(sheet, entry.clause, align=s.centre),
                c(sheet, place),
                c(sheet, None if adjusting else number(entry.change), signed=True),
                c(sheet, number(entry.change) if adjusting else None, signed=True),
                c(sheet, effect_words(entry, rubric), align=s.centre),
                c(sheet, entry.count, align=s.centre),
                c(sheet, "、".join(entry.cases) or entry.case or None),
                *([c(sheet, level_words(entry), align=s.centre)] if measured else []),
                c(sheet, entry.text),
                c(sheet, entry.note),
                c(sheet, "；".join(x for x in (entry.evidence, entry.reason) if x) or None),
                c(sheet, "、".join(part.owners) if part is not None else None),
            ])
        self.close_sheet(sheet.sheet)  # its rows are in the archive now: only the summary row stays in memory

    # -- by office ---------------------------------------------------------------------------

    def _start_office_sheet(self) -> None:
        sheet = self.by_office
        self.print_setup(sheet, 3)
        self.title_rows(sheet, _("Deductions by owning office"),
                        _("Each item's deduction counts for every office that owns it, so an item two offices share "
                          "appears under both and the offices can add up to more than the deductions."))
        self.header_row(sheet, [_("Unit"), _("Deducted"), *self.offices])

    def _office_row(self, report: Report) -> None:
        per_office = dict.fromkeys(self.offices, _ZERO)
        for score in report.items:
            if score.deducted:
                for office in self.owners.get(score.id, ()):
                    per_office[office] += score.deducted
                total, units = self.item_totals.get(score.id, (_ZERO, 0))
                self.item_totals[score.id] = (total + score.deducted, units + 1)
        for office, amount in per_office.items():
            self.office_totals[office] += amount
        self.deducted_total += report.deductions
        sheet = self.by_office
        sheet.append([self.cell(sheet, report.unit), self.cell(sheet, lost(report.deductions), signed=True),
                      *(self.cell(sheet, lost(per_office[o]), signed=True) for o in self.offices)])

    def _finish_office_sheet(self) -> None:
        s = self.style
        sheet = self.by_office
        c = self.cell
        total: dict[str, Any] = {"font": s.bold, "fill": s.total_fill}
        sheet.append([c(sheet, _("Sum"), align=s.centre, **total), c(sheet, lost(self.deducted_total), signed=True, **total),
                      *(c(sheet, lost(self.office_totals[o]), signed=True, **total) for o in self.offices)])

    def _write_office_items(self) -> None:
        """The second office sheet: for each office, the items that lost points over all units, in how many units."""
        s = self.style
        sheet = self.office_items
        c = self.cell
        self.print_setup(sheet, 3)
        self.title_rows(sheet, _("What each office's items lost, over all units"),
                        _("An item two offices share appears under both."))
        self.header_row(sheet, [_("Office"), _("Deducted"), _("Units"), _("Item")])
        for office in self.offices:
            for item in self.rubric.items:
                if office in self.owners[item.id] and item.id in self.item_totals:
                    amount, units = self.item_totals[item.id]
                    sheet.append([c(sheet, office), c(sheet, lost(amount), signed=True), c(sheet, units, align=s.centre),
                                  c(sheet, f"{item.id} {item.title or item.text}")])

    # -- the summary, last: it needs every total -------------------------------------------------

    def _write_summary(self) -> None:
        s = self.style
        sheet = self.summary
        c = self.cell
        sections = self.rubric.sections
        self.print_setup(sheet, 3)
        self.title_rows(sheet, _("{title}: results").format(title=self.rubric.title),
                        _("{units} units, ranked by total; equal totals share a rank (1, 2, 2, 4). Out of {points} points.").format(
                            units=len(self.rows), points=plain(self.rubric.points)))
        rubric = self.rubric
        graded = [rubric.grades_title or _("Grade"), rubric.vetoes_title or _("Vetoes")] if rubric.grades else []
        groups = [group_label(g) for g in rubric.adjustment_groups] if several_groups(rubric) else []
        self.header_row(sheet, [_("Rank"), _("Unit"), _("Total"), *graded, _("Deducted"), _("Adjustments"), *groups,
                                *(f"{x.id} {x.title}\n({plain(x.points)})" for x in sections)])
        ranks = competition_ranks([r.total for r in self.rows])
        for rank, row in sorted(zip(ranks, self.rows), key=lambda pair: pair[0]):
            grade = [c(sheet, row.grade or _("no grade"), align=s.centre, font=s.bold), c(sheet, "、".join(row.vetoes) or None, align=s.centre)]
            sheet.append([c(sheet, rank, align=s.centre), c(sheet, row.unit), c(sheet, number(row.total), font=s.bold),
                          *(grade if rubric.grades else []),
                          c(sheet, lost(row.deductions), signed=True), c(sheet, number(row.adjustments), signed=True),
                          *((c(sheet, number(x), signed=True) for x in row.groups) if groups else ()),
                          *(c(sheet, number(x)) for x in row.sections)])
        if self.rows:
            sheet.sheet.auto_filter.ref = f"A3:{sheet.last_column}{3 + len(self.rows)}"

    def missing(self, units: Sequence[Missing]) -> None:
        """A last sheet listing the units ``--keep-going`` left out, each with its errors."""
        s = self.style
        sheet = _Sheet(self.new_sheet(self.sheet_name(_("Missing units"))), [22, 30, 80])
        self.title_rows(sheet, _("Units left out"), _("{count} units were not scored: their findings are invalid.").format(count=len(units)))
        self.header_row(sheet, [_("Unit"), _("File"), _("Errors")])
        for unit in units:
            sheet.append([self.cell(sheet, unit.unit if unit.unit is not None else "—"), self.cell(sheet, unit.source),
                          self.cell(sheet, "\n".join(unit.errors), align=s.wrap)])
        self.close_sheet(sheet.sheet)

    def discard(self) -> None:
        """Give up on the workbook (a unit was invalid): close what is being written.

        The output itself is dropped by `qlrules.io.output`; the office sheet's temporary file
        has no name and goes with its closing. Left open, openpyxl's writers would be closed by
        the garbage collector later, and print an ignored exception on stderr.
        """
        steps: list[Callable[[], Any]] = []
        for sheet in self.book._sheets:  # the generators writing a sheet's XML, while their streams are open
            if not sheet.closed and sheet._writer is not None:
                steps += [*((sheet._rows.close,) if sheet._rows is not None else ()), sheet._writer.xf.close]
        steps += [*((self.open_entry.close,) if self.open_entry is not None else ()), self.office_file.close, self.archive.close]
        self.open_entry = None
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001, S110 - nothing of a discarded workbook is kept
                pass

    def save(self) -> None:
        """Rank, write the summary and the office totals, then what ties the sheets into a workbook."""
        import datetime

        self._write_summary()
        self.close_sheet(self.summary.sheet)
        self._write_office_items()
        self.close_sheet(self.office_items.sheet)
        self._finish_office_sheet()
        self.by_office.sheet.close()
        self.office_file.seek(0)
        with self.archive.open(self.by_office.sheet.path[1:], "w") as member:
            shutil.copyfileobj(self.office_file, member)
        self.office_file.close()
        _release(self.by_office.sheet)
        self.book.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _excel_writer_class()(self.book, self.archive).save()  # styles, workbook, names, content types; closes the archive


#: What a closed write-only sheet no longer needs: its XML, page setup included, is on disk, and
#: saving uses only its title, path, relationships and print titles. openpyxl would otherwise keep
#: some 20 kB of these objects per sheet until the end: 200 MB for 10,000 units.
_WRITTEN = ("column_dimensions", "row_dimensions", "views", "page_setup", "print_options", "page_margins", "HeaderFooter",
            "protection", "sheet_properties", "sheet_format", "data_validations", "conditional_formatting",
            "merged_cells", "scenarios", "row_breaks", "col_breaks")


def _release(sheet: Any) -> None:
    for name in _WRITTEN:
        if hasattr(sheet, name):
            setattr(sheet, name, None)
    if not sheet.defined_names:
        sheet.defined_names = None  # the workbook writer only asks whether there are any


def report_points(report: Report) -> Decimal:
    """The rubric's points as the report states them."""
    return sum((s.points for s in report.sections), _ZERO)


def _rubric_line(rubric: Rubric) -> str:
    return _("Rubric: {title}{edition}, {points} points").format(
        title=rubric.title, edition=f" ({rubric.edition})" if rubric.edition else "", points=plain(rubric.points))


def write_workbook(reports: Iterable[Report], rubric: Rubric, path: str | Path) -> None:
    """Write the xlsx report of ``reports`` (one or many units) to ``path``, whole or not at all."""
    from ..io.output import open_output

    with open_output(path, binary=True) as out:
        book = WorkbookReport(rubric, out)
        try:
            for report in reports:
                book.add(report)
        except BaseException:
            book.discard()
            raise
        book.save()


class XlsxRenderer:
    """The workbook report as a renderer: sheets are written as reports come, the file at the end."""

    binary = True

    def __init__(self, out: IO[bytes], rubric: Rubric, width: int | None = None) -> None:
        self.book = WorkbookReport(rubric, out)

    def add(self, report: Report, batch: bool) -> None:
        self.book.add(report)

    def missing(self, units: Sequence[Missing]) -> None:
        self.book.missing(units)

    def finish(self, batch: bool) -> None:
        self.book.save()

    def discard(self) -> None:
        self.book.discard()
