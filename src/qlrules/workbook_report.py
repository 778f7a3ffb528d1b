"""The Excel report of a batch: a ranked summary, a sheet per unit with its trace, and `按责任科室`.

Written with openpyxl's write-only mode as the units are scored, so a unit's rows leave memory
once its sheet is written; what is kept until the end is one small summary row per unit (the
ranking needs every total) and a running sum per office and item.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .errors import InputError
from .i18n import _
from .model import HIGHEST_PER_CASE, ITEM_CAP, Rubric, exact, plain
from .report import Report, TraceEntry

#: The sheet each office reads. Named as the issue names it, in every language (like the form's
#: 条款 and 数量): people and scripts look for it by this name.
OFFICE_SHEET = "按责任科室"

_FONT = "宋体"
_HEADING_FONT = "黑体"
_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_ZERO = Decimal(0)

# Widths of a unit sheet's columns: the section table (A–E) and the trace (A–K) share them.
_UNIT_WIDTHS = (8, 22, 8, 8, 14, 6, 16, 44, 28, 24, 14)


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Rank by total, highest first; equal totals share a rank and the next is skipped (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for place, total in enumerate(ordered, 1):
        first.setdefault(total, place)
    return [first[t] for t in totals]


def number(value: Decimal) -> int | Decimal:
    """A cell value that is a real number: 7 as an int, 93.5 as an exact decimal (never text)."""
    value = exact(value)
    return int(value) if value == value.to_integral_value() else value


def offices_of(rubric: Rubric) -> list[str]:
    """Every owning office (责任科室) in the order the rubric first names it."""
    return list(dict.fromkeys(o for item in rubric.items for o in item.owners))


@attrs.frozen
class SummaryRow:
    """What the summary keeps of a unit once its sheet is written."""

    unit: str
    sheet: str
    total: Decimal
    deductions: Decimal
    adjustments: Decimal
    sections: tuple[Decimal, ...]


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


class WorkbookReport:
    """Collects reports one by one into an xlsx file; `save` ranks the units and writes it.

    Example::

        book = WorkbookReport(rubric)
        for report in reports:
            book.add(report)
        book.save("report.xlsx")
    """

    def __init__(self, rubric: Rubric) -> None:
        from openpyxl import Workbook

        self.rubric = rubric
        self.book = Workbook(write_only=True)
        self.style = _Styles()
        self.summary_name = _("Summary")
        self.summary = self.book.create_sheet(self.summary_name)
        self.offices = offices_of(rubric)
        self.by_office = self.book.create_sheet(OFFICE_SHEET)
        self.rows: list[SummaryRow] = []
        self.office_totals = dict.fromkeys(self.offices, _ZERO)
        self.item_totals: dict[str, tuple[Decimal, int]] = {}
        self.deducted_total = _ZERO
        self.names_taken = {self.summary_name.casefold(), OFFICE_SHEET.casefold(), "history"}
        self.owners = {item.id: item.owners for item in rubric.items}
        self._start_office_sheet()

    # -- cells ------------------------------------------------------------------------------

    def cell(self, sheet: Any, value: Any, *, font: Any = None, fill: Any = None, align: Any = None,
             border: bool = True) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.font = font or self.style.body
        if fill is not None:
            cell.fill = fill
        if align is not None:
            cell.alignment = align
        elif isinstance(value, (int, Decimal)):
            cell.alignment = self.style.number
        else:
            cell.alignment = self.style.wrap
        if border:
            cell.border = self.style.border
        return cell

    def title_rows(self, sheet: Any, title: str, subtitle: str, width: int) -> None:
        from openpyxl.utils import get_column_letter

        last = get_column_letter(width)
        sheet.append([self.cell(sheet, title, font=self.style.title, align=self.style.centre, border=False)])
        sheet.append([self.cell(sheet, subtitle, font=self.style.subtitle, align=self.style.centre, border=False)])
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")
        sheet.row_dimensions[1].height = 30

    def header_row(self, sheet: Any, headers: Iterable[str]) -> None:
        sheet.append([self.cell(sheet, h, font=self.style.bold, fill=self.style.header_fill, align=self.style.centre)
                      for h in headers])

    def print_setup(self, sheet: Any, header_row: int, widths: Sequence[float], freeze: bool = True) -> None:
        """A4 landscape, one page wide, the table header on every page; widths before any row."""
        from openpyxl.utils import get_column_letter

        for n, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.print_title_rows = f"{header_row}:{header_row}"
        if freeze:
            sheet.freeze_panes = f"A{header_row + 1}"
        sheet.oddFooter.center.text = _("Page &P of &N")
        sheet.oddFooter.center.size = 9

    # -- per unit ------------------------------------------------------------------------------

    def sheet_name(self, unit: str) -> str:
        """A unique, valid sheet name for ``unit``: at most 31 characters, none of []:*?/\\."""
        base = re.sub(r"[\[\]:*?/\\]", "_", unit).strip("' ") or _("unit")
        base = base[:31]
        name, n = base, 1
        while name.casefold() in self.names_taken:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        self.names_taken.add(name.casefold())
        return name

    def add(self, report: Report) -> None:
        """Write ``report``'s sheet and its row of `按责任科室`; keep its summary row."""
        name = self.sheet_name(report.unit)
        self._unit_sheet(self.book.create_sheet(name), report)
        self.rows.append(SummaryRow(report.unit, name, report.total, report.deductions, report.adjustments,
                                    tuple(s.score for s in report.sections)))
        self._office_row(report)

    def _unit_sheet(self, sheet: Any, report: Report) -> None:
        s = self.style
        rubric = self.rubric
        heading = 9 + len(report.sections)  # title, subtitle, blank, header, sections, 3 totals, blank
        self.print_setup(sheet, heading + 1, _UNIT_WIDTHS, freeze=False)
        self.title_rows(sheet, _("{unit}: assessment details").format(unit=report.unit),
                        _rubric_line(rubric), len(_UNIT_WIDTHS))
        sheet.append([])
        self.header_row(sheet, [_("No."), _("Section"), _("Points"), _("Deducted"), _("Score")])
        for section in report.sections:
            sheet.append([self.cell(sheet, section.id, align=s.centre), self.cell(sheet, section.title),
                          self.cell(sheet, number(section.points)), self.cell(sheet, number(section.deducted)),
                          self.cell(sheet, number(section.score))])
        deductions = report.deductions
        sheet.append([self.cell(sheet, _("Subtotal"), font=s.bold, fill=s.total_fill, align=s.centre),
                      self.cell(sheet, "", fill=s.total_fill), self.cell(sheet, number(report_points(report)), fill=s.total_fill),
                      self.cell(sheet, number(deductions), fill=s.total_fill),
                      self.cell(sheet, number(report_points(report) - deductions), fill=s.total_fill)])
        sheet.append([self.cell(sheet, _("Adjustments"), font=s.bold, fill=s.total_fill, align=s.centre),
                      self.cell(sheet, rubric.adjustments_title or "", fill=s.total_fill), self.cell(sheet, "", fill=s.total_fill),
                      self.cell(sheet, "", fill=s.total_fill), self.cell(sheet, number(report.adjustments), fill=s.total_fill)])
        sheet.append([self.cell(sheet, _("Total"), font=s.bold, fill=s.total_fill, align=s.centre),
                      self.cell(sheet, "", fill=s.total_fill), self.cell(sheet, "", fill=s.total_fill),
                      self.cell(sheet, "", fill=s.total_fill),
                      self.cell(sheet, number(report.total), font=s.bold, fill=s.total_fill)])
        sheet.append([])
        sheet.append([self.cell(sheet, _("Deductions and adjustments, clause by clause"), font=s.heading, border=False,
                                align=s.left)])
        sheet.merged_cells.add(f"A{heading}:K{heading}")
        self.header_row(sheet, [
            _("Clause"), _("Item"), _("Deducted"), _("Adjustment"), _("Effect"), _("Count"), _("Cases"),
            _("Official wording"), _("How"), _("Evidence / reason"), _("Office"),
        ])
        if not report.trace:
            sheet.append([self.cell(sheet, _("no deductions or adjustments"), border=False)])
        items = rubric.item_index
        for entry in report.trace:
            item = items.get(entry.item) if entry.item else None
            adjusting = entry.item is None
            sheet.append([
                self.cell(sheet, entry.clause, align=s.centre),
                self.cell(sheet, f"{item.id} {item.title}" if item else (rubric.adjustments_title or "")),
                self.cell(sheet, None if adjusting else number(entry.amount)),
                self.cell(sheet, number(entry.amount) if adjusting else None),
                self.cell(sheet, _effect(entry, rubric), align=s.centre),
                self.cell(sheet, entry.count, align=s.centre),
                self.cell(sheet, "、".join(entry.cases) or entry.case or None),
                self.cell(sheet, entry.text),
                self.cell(sheet, entry.note),
                self.cell(sheet, "；".join(x for x in (entry.evidence, entry.reason) if x) or None),
                self.cell(sheet, "、".join(item.owners) if item else None),
            ])
        sheet.close()  # its rows go to disk now; only the summary row stays in memory

    # -- by office ---------------------------------------------------------------------------

    def _start_office_sheet(self) -> None:
        sheet = self.by_office
        widths = [22, 10, *(max(10, 2 * len(o) + 2) for o in self.offices)]
        self.print_setup(sheet, 3, widths)
        self.title_rows(sheet, _("Deductions by owning office"),
                        _("Each item's deduction counts for every office that owns it, so an item two offices share "
                          "appears under both and the offices can add up to more than the deductions."),
                        max(len(widths), 5))
        sheet.row_dimensions[2].height = 30
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
        sheet.append([self.cell(sheet, report.unit), self.cell(sheet, number(report.deductions)),
                      *(self.cell(sheet, number(per_office[o])) for o in self.offices)])

    def _finish_office_sheet(self) -> None:
        s = self.style
        sheet = self.by_office
        sheet.append([self.cell(sheet, _("Total"), font=s.bold, fill=s.total_fill, align=s.centre),
                      self.cell(sheet, number(self.deducted_total), font=s.bold, fill=s.total_fill),
                      *(self.cell(sheet, number(self.office_totals[o]), font=s.bold, fill=s.total_fill) for o in self.offices)])
        sheet.append([])
        sheet.append([self.cell(sheet, _("What each office's items lost, over all units"), font=s.heading, border=False, align=s.left)])
        self.header_row(sheet, [_("Office"), _("Item"), _("Deducted"), _("Units")])
        for office in self.offices:
            for item in self.rubric.items:
                if office in item.owners and item.id in self.item_totals:
                    total, units = self.item_totals[item.id]
                    sheet.append([self.cell(sheet, office), self.cell(sheet, f"{item.id} {item.title}"),
                                  self.cell(sheet, number(total)), self.cell(sheet, units)])

    # -- the summary, last: it needs every total -------------------------------------------------

    def _write_summary(self) -> None:
        from openpyxl.utils import get_column_letter

        s = self.style
        sheet = self.summary
        sections = self.rubric.sections
        widths = [7, 24, 9, 9, 9, *(12 for _section in sections)]
        self.print_setup(sheet, 3, widths)
        self.title_rows(sheet, _("{title}: results").format(title=self.rubric.title),
                        _("{units} units, ranked by total; equal totals share a rank (1, 2, 2, 4). Out of {points} points.").format(
                            units=len(self.rows), points=plain(self.rubric.points)), len(widths))
        self.header_row(sheet, [_("Rank"), _("Unit"), _("Total"), _("Deducted"), _("Adjustments"),
                                *(f"{x.id} {x.title}\n({plain(x.points)})" for x in sections)])
        sheet.row_dimensions[3].height = 45
        ranks = competition_ranks([r.total for r in self.rows])
        for rank, row in sorted(zip(ranks, self.rows), key=lambda pair: pair[0]):
            sheet.append([self.cell(sheet, rank, align=s.centre), self.cell(sheet, row.unit),
                          self.cell(sheet, number(row.total), font=s.bold), self.cell(sheet, number(row.deductions)),
                          self.cell(sheet, number(row.adjustments)), *(self.cell(sheet, number(x)) for x in row.sections)])
        if self.rows:
            sheet.auto_filter.ref = f"A3:{get_column_letter(len(widths))}{3 + len(self.rows)}"

    def save(self, path: str | Path) -> None:
        """Rank, write the summary and the office totals, and write the file whole (or not at all)."""
        self._write_summary()
        self._finish_office_sheet()
        target = Path(path)
        try:
            handle, temporary = tempfile.mkstemp(dir=target.resolve().parent, prefix=".qlrules-", suffix=".xlsx")
            os.close(handle)
            try:
                self.book.save(temporary)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise InputError(_("{path}: cannot write the workbook: {reason}").format(path=path, reason=exc.strerror or exc)) from None


def report_points(report: Report) -> Decimal:
    """The rubric's points as the report states them."""
    return sum((s.points for s in report.sections), _ZERO)


def _rubric_line(rubric: Rubric) -> str:
    return _("Rubric: {title}{edition}, {points} points").format(
        title=rubric.title, edition=f" ({rubric.edition})" if rubric.edition else "", points=plain(rubric.points))


def _effect(entry: TraceEntry, rubric: Rubric) -> str:
    """What happened to a finding, in words; 注1/注2 by the labels the rubric gives them."""
    def label(rule: str) -> str:
        found = rubric.rule(rule)
        return found.label if found else rule

    return {
        "deducted": _("deducted"),
        "adjusted": _("adjusted"),
        "replaced": _("replaced by {clause}").format(clause=entry.by),
        "removed": _("{label}: counted in {clause}").format(label=label(HIGHEST_PER_CASE), clause=entry.by),
        "clause-cap": _("clause cap"),
        "item-cap": _("{label}: item cap").format(label=label(ITEM_CAP)),
        "adjustment-cap": _("adjustment cap"),
    }[entry.effect]


def write_workbook(reports: Iterable[Report], rubric: Rubric, path: str | Path) -> None:
    """Write the xlsx report of ``reports`` (one or many units) to ``path``."""
    book = WorkbookReport(rubric)
    for report in reports:
        book.add(report)
    book.save(path)
