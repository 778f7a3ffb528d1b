"""Findings in Excel: the form an assessor fills (`qlrules template`) and reading it back as a unit.

The workbook is only another way of writing a findings document (docs/scoring.md, “Findings
documents”): each filled row becomes a finding mapping and the unit goes through
`qlrules.scoring.findings.read_unit`, the same checks
as YAML. What the workbook adds is *where*: every complaint names the workbook, the sheet and the
cell (``甲单位.xlsx!评分表!H23``), because an assessor who never saw YAML can act on a cell, not
on ``finding 12``.

openpyxl is imported here (and in `qlrules.render.xlsx`) only, so YAML users never pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, assert_never

import attrs

from ..errors import FindingsCollector, FindingsError, FindingsProblem, InputError, QlrulesError, os_reason
from ..i18n import _
from ..language.unparse import rate, rule_source
from ..model import Adjustment, Clause, Discretionary, Each, Item, Levels, Measure, Once, Ranged, Rubric, Section, Topic, Veto
from ..numbers import plain
from ..render.safe import cell_text, text_cell
from ..scoring.findings import Unit, read_unit
from ..scoring.kernel import MAX_COUNT
from .documents import Located
from .suffixes import OTHER_SPREADSHEETS, WORKBOOK_SUFFIXES

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: The words the reader looks for. They are what a form is recognised by, so they are the same
#: in every language, like clause ids; the other headers follow the user's language.
SHEET = "评分表"
UNIT_LABEL = "被考评单位"
CLAUSE, COUNT, CASES, AMOUNT, NOTE = "条款", "数量", "案件编号", "酌情扣分", "说明"
LEVEL, VALUE = "等级", "测得值"  # language 2: a clause's level (levels), the value measured (measure)
INPUT_HEADERS = (COUNT, CASES, LEVEL, VALUE, AMOUNT, NOTE)
#: A form must have these; 等级 and 测得值 came with language 2, and forms made before them are still read.
REQUIRED_HEADERS = (CLAUSE, COUNT, CASES, AMOUNT, NOTE)
OPTIONAL_HEADERS = (LEVEL, VALUE)
#: A finding's keys as the form names them, its columns: a message about a form's count says 数量, not count.
KEY_NAMES = {"clause": CLAUSE, "count": COUNT, "cases": CASES, "amount": AMOUNT, "level": LEVEL, "value": VALUE,
             "reason": NOTE, "evidence": NOTE}

#: What a case-id cell may separate ids with: 、 , ， (as assessors write lists), ; ；, a line break, or
#: spaces (ordinary or full-width), which people type as readily and which never occur inside a case id.
CASE_SEPARATORS = re.compile(r"[、,，;；\s\u3000]+")


#: Limits on a form, far past any real one (a form of the bundled rubric is some 100 kB, 200 rows),
#: so that a damaged or hostile file is refused before it can take the machine's memory.
MAX_FILE_BYTES = 50 * 1024 * 1024  # the workbook file
MAX_XML_BYTES = 50 * 1024 * 1024  # its parts, uncompressed, together
MAX_PARTS = 10_000
MAX_ROWS = 100_000
MAX_CELLS = 2_000_000
MAX_CELL_TEXT = 32_767  # Excel's own limit on a cell's text

#: Custom document properties a form records its rubric in (File → Properties → Custom in Excel and WPS).
RUBRIC_SHA256, RUBRIC_TITLE = "qlrules rubric sha256", "qlrules rubric title"

# -- the look: shared with the report so both read as one set of official forms -----------

FONT_NAME = "宋体"  # the body face of official Chinese tables; LibreOffice falls back to Noto CJK
HEADING_FONT = "黑体"
HEADER_FILL = "D9E1F2"  # pale blue: header rows
INPUT_FILL = "FFF2CC"  # pale yellow: what the assessor fills in
UNUSED_FILL = "D9D9D9"  # grey: an input column that does not apply to the row
GROUP_FILL = "F2F2F2"  # light grey: read-only hierarchy columns

# Column layout of the form: (header key, width). The hierarchy and the official wording come
# first, as in the printed 考评细则, and the four input columns last, next to each other.
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("section", 12), ("topic", 14), ("item", 24), (CLAUSE, 7), ("wording", 42), ("kind", 9), ("rate", 13),
    (COUNT, 7), (CASES, 16), (LEVEL, 8), (VALUE, 8), (AMOUNT, 8), (NOTE, 26),
)
_TITLE_ROW, _UNIT_ROW, _HELP_ROW, _HEADER_ROW = 1, 2, 3, 4


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (CJK counts double)."""
    import math
    import unicodedata

    room = max(1.0, width - 1.2)
    lines = 0
    for paragraph in text.split("\n"):
        # A 10-point CJK character is about 1.8 widths of Excel's default digit; LibreOffice draws
        # it narrower, so a row there may show a little more room than it needs, never less.
        used = sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in paragraph)
        lines += max(1, math.ceil(used / room))
    return lines


def row_height(cells: Iterable[tuple[Any, float]], size: float = 10) -> float:
    """The height in points a row needs to show every one of its (text, column width) cells whole."""
    lines = max((text_lines(str(text), width) for text, width in cells if text not in (None, "")), default=1)
    return round(lines * size * 1.45 + 5, 1)


def _headers() -> dict[str, str]:
    """The read-only headers in the user's language; the input headers are fixed words."""
    return {
        "section": _("Section"), "topic": _("Topic"), "item": _("Item"), "wording": _("Official wording"),
        "kind": _("Kind"), "rate": _("Rate"),
    }


# -- writing the form --------------------------------------------------------------------------


def write_template(rubric: Rubric, path: str | Path, unit: str | None = None, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write the form to fill for one unit: one row per clause and adjustment, in rubric order.

    The file is written whole or not at all (`qlrules.io.output`).
    """
    from .output import open_output

    workbook = build_template(rubric, unit)
    with open_output(path, binary=True, inputs=inputs) as out:
        workbook.save(out)


def build_template(rubric: Rubric, unit: str | None = None) -> Any:
    """The form as an openpyxl ``Workbook`` (for callers that add to it before saving)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    _form_sheet(sheet, rubric, unit)
    _instructions_sheet(workbook.create_sheet(_("Instructions")), rubric)
    workbook.active = 0
    _record_rubric(workbook, rubric)
    return workbook


def _record_rubric(workbook: Any, rubric: Rubric) -> None:
    """Record which rubric the form is for, so that reading it against another is caught (`read_form`)."""
    from openpyxl.packaging.custom import StringProperty

    if rubric.sha256:
        workbook.custom_doc_props.append(StringProperty(name=RUBRIC_SHA256, value=rubric.sha256))
    workbook.custom_doc_props.append(StringProperty(name=RUBRIC_TITLE, value=rubric.title))


def _kind(target: Clause | Adjustment | Veto) -> str:
    if isinstance(target, Veto):
        return _("veto")
    if isinstance(target, Adjustment) and isinstance(target.rule, Once | Each):
        return _("adjustment")
    rule = target.rule
    match rule:
        case Once():
            return _("once")
        case Each(_rate, unit):
            return _("per {unit}").format(unit=unit or _("time"))
        case Discretionary():
            return AMOUNT  # the seed's own word for the kind, and the column it is filled in
        case Ranged(each=each, unit=unit):
            return _("range per {unit}").format(unit=unit or _("time")) if each else _("range")
        case Levels(each=each, unit=unit):
            return _("levels per {unit}").format(unit=unit or _("time")) if each else _("levels")
        case Measure(unit=unit):
            return _("measured ({unit})").format(unit=unit)
        case _:
            assert_never(rule)


def _rate(target: Clause | Adjustment | Veto, rubric: Rubric) -> str:
    if isinstance(target, Veto):
        return _("grade at most {grade}").format(grade=target.grade)
    rule = target.rule
    match rule:
        case Once(value):
            return _("{rate} once").format(rate=rate(value))
        case Each(value, unit):
            text = f"{rate(value)} / {unit or _('time')}"
            if target.of is not None:
                text += "\n" + _("at most {of}").format(of=target.of)
            return text
        case Discretionary():
            return _("0 to {points}").format(points=plain(rubric.part_index[target.item].points))  # type: ignore[union-attr]
        case Ranged() | Levels() | Measure():
            text = rule_source(rule).split(" ", 1)[1]  # the rule as the rubric writes it, after its keyword
            if target.of is not None:
                text += "\n" + _("at most {of}").format(of=target.of)
            return text
        case _:
            assert_never(rule)


def _takes_amount(target: Clause | Adjustment | Veto | None) -> bool:
    """Whether the row's finding is an amount alone (discretionary: the 酌情扣分 column) rather than a count."""
    return isinstance(target, Clause) and isinstance(target.rule, Discretionary)


def _gives_reason(target: Clause | Adjustment | Veto | None) -> bool:
    """Whether the row's 说明 is the reason for an amount the assessor chooses (else it cites the evidence)."""
    if target is None or isinstance(target, Veto):
        return False
    rule = target.rule
    return isinstance(rule, Discretionary | Ranged) or (isinstance(rule, Levels) and any(lv.ranged for lv in rule.levels))


def _awards(target: Clause | Adjustment | Veto | None) -> bool:
    """Whether every finding on the row adds (an award or an adjustment): then it names no cases."""
    if target is None or isinstance(target, Veto | Adjustment):
        return True
    rule = target.rule
    match rule:
        case Once(value) | Each(value):
            return value > 0
        case Ranged(high=high):
            return high > 0
        case Levels(levels=levels):
            return all(lv.high > 0 for lv in levels)
        case Discretionary():
            return False
        case Measure():
            return True  # a measured value names no cases
        case _:
            assert_never(rule)


def _inputs(target: Clause | Adjustment | Veto) -> dict[str, bool]:
    """The input columns the row's rule takes (the others are greyed out)."""
    if isinstance(target, Veto):
        return {COUNT: True, CASES: False, LEVEL: False, VALUE: False, AMOUNT: False, NOTE: True}
    rule = target.rule
    return {
        COUNT: not isinstance(rule, Discretionary | Measure),
        CASES: not _awards(target),
        LEVEL: isinstance(rule, Levels),
        VALUE: isinstance(rule, Measure),
        AMOUNT: isinstance(rule, Discretionary | Ranged) or (isinstance(rule, Levels) and any(lv.ranged for lv in rule.levels)),
        NOTE: True,
    }


def _amount_bounds(target: Clause | Adjustment, rubric: Rubric) -> tuple[Decimal, Decimal | None]:
    """What the 酌情扣分 cell may hold: discretionary 0 to the part's points; a range |low|..|high| once, at least |low| for each."""
    rule = target.rule
    if isinstance(rule, Discretionary):
        assert isinstance(target, Clause)
        return Decimal(0), rubric.part_index[target.item].points
    if isinstance(rule, Ranged):
        return abs(rule.low), None if rule.each else abs(rule.high)
    assert isinstance(rule, Levels)
    ranged = [lv for lv in rule.levels if lv.ranged]
    return min(abs(lv.low) for lv in ranged), None if rule.each else max(abs(lv.high) for lv in ranged)


def _put(sheet: Worksheet, row: int, column: int, text: str | None) -> Any:
    """The cell at ``row``, ``column`` holding ``text`` as a string cell (never a formula), or left as it is for None."""
    cell = sheet.cell(row, column)
    return cell if text is None else text_cell(cell, text)


def _form_sheet(sheet: Worksheet, rubric: Rubric, unit: str | None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=10)
    bold = Font(name=FONT_NAME, size=10, bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fills = {name: PatternFill("solid", fgColor=colour) for name, colour in
             (("header", HEADER_FILL), ("input", INPUT_FILL), ("unused", UNUSED_FILL), ("group", GROUP_FILL))}
    unlocked = Protection(locked=False)
    last = get_column_letter(len(_COLUMNS))
    col = {name: n for n, (name, _width) in enumerate(_COLUMNS, 1)}
    widths = dict(_COLUMNS)

    for n, (_name, width) in enumerate(_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width

    title = _put(sheet, _TITLE_ROW, 1, _("{title}: assessment form").format(title=rubric.title))
    title.font = Font(name=HEADING_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A{_TITLE_ROW}:{last}{_TITLE_ROW}")
    sheet.row_dimensions[_TITLE_ROW].height = 30

    label = _put(sheet, _UNIT_ROW, 1, UNIT_LABEL)
    label.font, label.alignment, label.border, label.fill = bold, centre, border, fills["header"]
    name = _put(sheet, _UNIT_ROW, 2, unit)  # a name like =HYPERLINK(…) stays text
    name.font = Font(name=FONT_NAME, size=12, bold=True)
    name.fill, name.alignment, name.protection = fills["input"], wrap, unlocked
    sheet.merge_cells(start_row=_UNIT_ROW, start_column=2, end_row=_UNIT_ROW, end_column=4)
    for n in range(2, 5):
        sheet.cell(_UNIT_ROW, n).border = border
    about = _put(sheet, _UNIT_ROW, 5, _("Rubric: {title}{edition}, {points} points").format(
        title=rubric.title, edition=f" ({rubric.edition})" if rubric.edition else "", points=plain(rubric.points)))
    about.font, about.alignment = Font(name=FONT_NAME, size=9, color="595959"), wrap
    sheet.merge_cells(start_row=_UNIT_ROW, start_column=5, end_row=_UNIT_ROW, end_column=len(_COLUMNS))
    sheet.row_dimensions[_UNIT_ROW].height = 24

    help_text = _(
        "Fill in the yellow cells only; grey cells do not apply to the row; blank means zero. {count}: a whole number. "
        "{cases}: case ids, several separated by 、 , ; or spaces (the count may then stay blank). {level}: the level found, from the list. "
        "{value}: the value measured. {amount}: the amount the assessor chooses (discretionary or within a range), "
        "with its reason in {note}; elsewhere {note} may cite the evidence. See the sheet {sheet} for more."
    ).format(count=COUNT, cases=CASES, level=LEVEL, value=VALUE, amount=AMOUNT, note=NOTE, sheet=_("Instructions"))
    hint = _put(sheet, _HELP_ROW, 1, help_text)
    hint.font, hint.alignment = Font(name=FONT_NAME, size=9, color="595959"), Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{_HELP_ROW}:{last}{_HELP_ROW}")
    sheet.row_dimensions[_HELP_ROW].height = row_height([(help_text, sum(widths.values()))], size=9)

    headers = _headers()
    for n, (key, _width) in enumerate(_COLUMNS, 1):
        cell: Any = _put(sheet, _HEADER_ROW, n, headers.get(key, key))
        cell.font, cell.alignment, cell.border = bold, centre, border
        cell.fill = fills["input"] if key in INPUT_HEADERS else fills["header"]
    sheet.row_dimensions[_HEADER_ROW].height = 22

    validations: dict[tuple[str, str, str | None], DataValidation] = {}

    def validate(cell_ref: str, kind: Literal["whole", "decimal", "list"], low: str, high: str | None, prompt: str) -> None:
        key = (kind, low, high)
        if key not in validations:
            if kind == "list":
                dv = DataValidation(type="list", formula1=low, allow_blank=True)
                error = _("One of the levels in the list: {levels}.").format(levels=low.strip('"').replace(",", "、"))
            elif high is None:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=low, allow_blank=True)
                error = (_("A whole number, 0 or more.") if kind == "whole" and low == "0"
                         else _("A number, {low} or more.").format(low=low))
            else:
                dv = DataValidation(type=kind, operator="between", formula1=low, formula2=high, allow_blank=True)
                if kind == "whole":
                    error = _("A whole number from 0 to {high}.").format(high=high)
                elif low == "0":
                    error = _("A number from 0 to {high}.").format(high=high)
                else:
                    error = _("A number from {low} to {high}.").format(low=low, high=high)
            dv.error, dv.errorTitle, dv.showErrorMessage = cell_text(error), _("Not allowed here"), True
            dv.prompt, dv.showInputMessage = cell_text(prompt), True
            validations[key] = dv
            sheet.add_data_validation(dv)
        validations[key].add(cell_ref)

    row = _HEADER_ROW + 1
    groups: dict[str, list[tuple[int, int, str]]] = {"section": [], "topic": [], "item": []}

    def group(level: str, key: str, text: str) -> None:
        spans = groups[level]
        if spans and spans[-1][2] == key and spans[-1][1] == row - 1:
            spans[-1] = (spans[-1][0], row, key)
        else:
            spans.append((row, row, key))
            _put(sheet, row, col[level], text)

    def points(value: Decimal, cap: Decimal | None = None) -> str:
        text = _("{points} points").format(points=plain(value))
        return text if cap is None else text + _(", loses at most {cap}").format(cap=plain(cap))

    def heading(part: Section | Topic | Item) -> str:
        return f"{part.id} {part.title}\n" + points(part.points, part.cap)

    rows: list[tuple[Clause | Adjustment | Veto, list[tuple[str, str, str]]]] = []
    for clause in rubric.clauses:
        part = rubric.part_index[clause.item]
        section = next(s for s in rubric.sections if s.id == (part.id if isinstance(part, Section) else part.section))
        place = [("section", section.id, heading(section))]
        topic = part if isinstance(part, Topic) else None
        if isinstance(part, Item) and part.topic is not None:
            topic = next(t for t in section.topics if t.id == part.topic)
        place.append(("topic", f"{section.id}/{topic.id}", heading(topic)) if topic is not None else ("topic", f"{section.id}/-", ""))
        place.append(("item", part.id, heading(part)) if isinstance(part, Item) else ("item", f"{part.id}/own", ""))
        rows.append((clause, place))
    for number, block in enumerate(rubric.adjustment_groups):
        block_title = block.title if block.id is None else f"{block.id} {block.title}"
        if block.cap is not None:
            block_title += "\n" + _("net total at most {cap}").format(cap=plain(block.cap))
        key = f"adjustments/{number}"
        rows += [(a, [("section", key, block_title), ("topic", key, ""), ("item", key, "")]) for a in block.adjustments]
    rows += [(v, [("section", "vetoes", rubric.vetoes_title or _("Vetoes")), ("topic", "vetoes", ""), ("item", "vetoes", "")])
             for v in rubric.vetoes]
    for target, place in rows:
        for level, key, text in place:
            group(level, key, text)
        values = {CLAUSE: target.id, "wording": target.text, "kind": _kind(target), "rate": _rate(target, rubric)}
        for key, value in values.items():
            _put(sheet, row, col[key], value)
        # Neither Excel nor LibreOffice grows a row for wrapped text it did not lay out itself.
        sheet.row_dimensions[row].height = row_height((v, widths[k]) for k, v in values.items())
        usable = _inputs(target)
        for key in INPUT_HEADERS:
            cell = sheet.cell(row, col[key])
            if usable[key]:
                cell.fill, cell.protection = fills["input"], unlocked
            else:
                cell.fill = fills["unused"]
        sheet.cell(row, col[CASES]).number_format = "@"  # typed digits stay a case id, not a number
        sheet.cell(row, col[LEVEL]).number_format = "@"
        count_ref = f"{get_column_letter(col[COUNT])}{row}"
        if usable[COUNT]:
            of = None if isinstance(target, Veto) else target.of
            validate(count_ref, "whole", "0", None if of is None else str(of),
                     _("How many: a whole number, blank for none.") if of is None
                     else _("How many: a whole number from 0 to {of}.").format(of=of))
        if usable[LEVEL]:
            assert not isinstance(target, Veto) and isinstance(target.rule, Levels)
            names = [lv.name for lv in target.rule.levels]
            validate(f"{get_column_letter(col[LEVEL])}{row}", "list", '"' + ",".join(names) + '"', None,
                     _("The level found: one of {levels}.").format(levels="、".join(names)))
        if usable[VALUE]:
            assert not isinstance(target, Veto) and isinstance(target.rule, Measure)
            validate(f"{get_column_letter(col[VALUE])}{row}", "decimal", str(-MAX_COUNT), str(MAX_COUNT),
                     _("The value measured, as a plain number ({unit}: write 93.6 for 93.6%).").format(unit=target.rule.unit))
        if usable[AMOUNT]:
            assert not isinstance(target, Veto)
            low, high = _amount_bounds(target, rubric)
            if isinstance(target.rule, Discretionary):
                prompt = _("The deduction, 0 to {points}; give the reason in {note}.").format(points=plain(high if high is not None else low), note=NOTE)
            elif high is None:
                prompt = _("The amount in all for the count, at least {low} per {unit}; give the reason in {note}.").format(
                    low=plain(low), unit=target.rule.unit or _("time"), note=NOTE)  # type: ignore[union-attr]
            else:
                prompt = _("The amount, {low} to {high}; give the reason in {note}.").format(low=plain(low), high=plain(high), note=NOTE)
            validate(f"{get_column_letter(col[AMOUNT])}{row}", "decimal", plain(low), None if high is None else plain(high), prompt)
        for n in range(1, len(_COLUMNS) + 1):
            cell = sheet.cell(row, n)
            cell.border, cell.font = border, body
            key = _COLUMNS[n - 1][0]
            cell.alignment = centre if key in (CLAUSE, "kind", "rate", COUNT, LEVEL, VALUE, AMOUNT) else wrap
        row += 1

    for level, spans in groups.items():
        for first, final, _key in spans:
            top: Any = sheet.cell(first, col[level])
            need = row_height([(top.value, widths[level])])
            have = sum(sheet.row_dimensions[r].height or 0 for r in range(first, final + 1))
            if need > have:
                sheet.row_dimensions[final].height = (sheet.row_dimensions[final].height or 0) + need - have
            top.fill = fills["group"]
            top.alignment = Alignment(wrap_text=True, vertical="top")
            for r in range(first + 1, final + 1):
                sheet.cell(r, col[level]).fill = fills["group"]
            if final > first:
                sheet.merge_cells(start_row=first, start_column=col[level], end_row=final, end_column=col[level])

    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(sheet, f"{_HEADER_ROW}:{_HEADER_ROW}")
    # Read-only columns are locked; the yellow cells are not. No password: anyone may lift it
    # (审阅 → 撤消工作表保护) to add a second row for a clause, see docs/assessors.md.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def print_setup(sheet: Any, repeat_rows: str | None) -> None:
    """A4 landscape, one page wide, header rows on every page, page numbers in the footer.

    For the form and the report alike (write-only sheets too, hence A4 as its code, 9).
    """
    sheet.page_setup.paperSize = 9
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    if repeat_rows:
        sheet.print_title_rows = repeat_rows
    sheet.oddFooter.center.text = _("Page &P of &N")
    sheet.oddFooter.center.size = 9


def _instructions_sheet(sheet: Worksheet, rubric: Rubric) -> None:
    from openpyxl.styles import Alignment, Font

    from .. import __version__

    sheet.column_dimensions["A"].width = 110
    edition = f" ({rubric.edition})" if rubric.edition else ""
    steps = [
        _("1. Write the unit's name in the yellow cell right of {label} on the sheet {sheet}.").format(label=UNIT_LABEL, sheet=SHEET),
        _("2. Fill in only the yellow cells of the rows where something was found; "
          "leave the rest blank (blank means zero)."),
        _("3. {count}: how many times the clause applies, a whole number "
          "(at most the number in the rate column, where it gives one).").format(count=COUNT),
        _("4. {cases}: the case ids of 党员干部违纪违法案件, several separated by 、 , ; or spaces — 注1 then deducts each case once, "
          "where it costs most. With case ids the count may stay blank: it is the number of cases.").format(cases=CASES),
        _("5. {amount}: on discretionary rows, from 0 to the part's points; on range rows (扣1-3分, 每例扣1-2分), "
          "the amount chosen within the range (for 每例, in all for the count). {note} must then give the reason. "
          "On other rows {note} may cite the evidence.").format(amount=AMOUNT, note=NOTE),
        _("6. {level}: on rows with levels (分别加2、4、6分), the level found, chosen from the cell's list; "
          "{count} says how many times (blank: once). A level with a range also takes {amount}.").format(
            level=LEVEL, count=COUNT, amount=AMOUNT),
        _("7. {value}: on measured rows (每降低1个百分点扣0.25分), the value measured as a plain number "
          "(93.6 for 93.6%); the rubric computes the amount.").format(value=VALUE),
        _("8. Veto rows (一票否决): {count} 1 when the veto applies. It changes no points; it caps the unit's grade.").format(count=COUNT),
        _("9. A discretionary or range deduction names at most one case, and a row holds one level. For a second case or level, "
          "lift the sheet protection (Review → Unprotect Sheet, no password), copy the row and fill in the copy."),
        _("10. Score one or many filled forms with: qlrules score FORM.xlsx (or a folder of forms) --format xlsx -o report.xlsx"),
        "",
        _("Rubric: {title}{edition}, {points} points; sha256 {sha}").format(
            title=rubric.title, edition=edition, points=plain(rubric.points), sha=rubric.sha256),
        _("Made by qlrules {version}.").format(version=__version__),
    ]
    lines = [(_("How to fill in this form"), True), *((step, False) for step in steps)]
    for n, (text, heading) in enumerate(lines, 1):
        cell = _put(sheet, n, 1, text)
        cell.font = Font(name=HEADING_FONT if heading else FONT_NAME, size=14 if heading else 11, bold=heading)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True
    print_setup(sheet, None)
    sheet.page_setup.orientation = "portrait"


# -- reading a filled form -----------------------------------------------------------------------


@attrs.frozen
class _Form:
    """Where things are on a filled form's first sheet."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # header word -> 1-based column
    name_cell: tuple[int, int] | None


def cell_name(source: str, sheet: str, row: int, column: int) -> str:
    """``甲单位.xlsx!评分表!H23``: how an assessor finds a cell (sheet quoted as Excel does when needed)."""
    from openpyxl.utils import get_column_letter

    shown = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{source}!{shown}!{get_column_letter(column)}{row}"


def read_workbook(path: str | Path, rubric: Rubric, source: str | None = None, *, any_rubric: bool = False) -> Unit:
    """Read a filled form (its first sheet) as one checked unit.

    A form records the rubric it was made for (its sha256 and title, as custom document
    properties); read against another rubric it is refused, unless ``any_rubric``. Forms made
    before qlrules recorded it have no record and are read against any rubric, as before.

    Args:
        path: the workbook (.xlsx).
        rubric: the rubric the findings are checked against.
        source: the name messages give the workbook; by default ``path`` as given.
        any_rubric: read the form even if it was made for another rubric (its clause ids are still checked).

    Raises:
        FindingsError: every problem of the form, each naming the workbook, sheet and cell, with
            the same checks as YAML; or the form was made for another rubric.
        InputError: the file cannot be read, is not a workbook, is damaged or past the size limits
            (`MAX_FILE_BYTES`, `MAX_XML_BYTES`, `MAX_ROWS`, `MAX_CELLS`, `MAX_CELL_TEXT`).
    """
    return read_form(path, rubric, source, any_rubric=any_rubric)[0]


def read_form(path: str | Path, rubric: Rubric, source: str | None = None, *, any_rubric: bool = False) -> tuple[Unit, str]:
    """`read_workbook`, and the reference of the cell holding the unit's name (for messages about it)."""
    source = str(path) if source is None else source
    mapping, form, refused = _workbook_mapping(path, rubric, source, any_rubric)
    problems = FindingsCollector()
    for error in refused:
        problems.add(error)
    try:
        unit = read_unit(mapping, rubric, source, key_names=KEY_NAMES)
    except FindingsError as error:
        problems.add(_at_cell(error, source, form, rubric))
    problems.check()
    assert form.name_cell is not None
    return unit, cell_name(source, form.sheet, *form.name_cell)


def workbook_mapping(path: str | Path, rubric: Rubric, source: str | None = None, *,
                     any_rubric: bool = False) -> tuple[Located, _Form]:
    """The unit mapping a filled form stands for, each value remembering its cell (row, column).

    Only what a cell can get wrong that YAML cannot is checked here (a discretionary row with no
    amount, input on a row without a clause, a formula without a saved value, a form made for
    another rubric unless ``any_rubric``); everything else is left to `read_unit`.

    Raises:
        FindingsError: every row refused so, or the form's header or unit name is missing.
        InputError: the file cannot be read as a workbook (see `read_workbook`).
    """
    mapping, form, refused = _workbook_mapping(path, rubric, source, any_rubric)
    if refused:
        problems = FindingsCollector()
        for error in refused:
            problems.add(error)
        problems.check()
    return mapping, form


def _unreadable(source: str, reason: Any) -> InputError:
    return InputError(_("{path}: not an Excel workbook (.xlsx) that can be read: {reason}").format(path=source, reason=reason))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def refuse_other_spreadsheet(path: str | Path, source: str) -> None:
    """Raise `InputError` for a spreadsheet that is not .xlsx (.xls, .ods, .et…): save it as .xlsx."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xls":
        raise InputError(_("{path}: an old .xls workbook; save it as .xlsx (Excel workbook) and score that").format(path=source))
    if suffix in OTHER_SPREADSHEETS:
        raise InputError(_("{path}: a {suffix} spreadsheet, not an Excel workbook (.xlsx); save it as .xlsx (Excel workbook) "
                           "and score that").format(path=source, suffix=suffix))


def _check_archive(path: str | Path, source: str) -> set[str]:
    """Refuse a file past the size limits, a damaged zip (bad CRC, truncated) or XML declaring entities, before openpyxl reads it.

    Every part is read once, uncompressed, in small pieces: zipfile checks each part's CRC and
    never gives more than the size the zip declares, so the declared sizes bound the memory.
    Returns the parts that hold formulas (``<f``), the only ones `_check_sheet` need read.
    """
    formulas: set[str] = set()
    import zipfile
    import zlib

    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise InputError(_("{path}: cannot read the findings: {reason}").format(path=source, reason=os_reason(exc))) from None
    if size > MAX_FILE_BYTES:
        raise InputError(_("{path}: {size} MB, larger than any form can be (the limit is {limit} MB)").format(
            path=source, size=_megabytes(size), limit=_megabytes(MAX_FILE_BYTES)))
    try:
        with open(path, "rb") as file:
            magic = file.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(_("{path}: an old .xls workbook or one protected by a password; save it as .xlsx (Excel workbook) "
                               "without a password and score that").format(path=source))
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise _unreadable(source, _("{count} parts in the zip, more than any form has").format(count=len(parts)))
            total = sum(part.file_size for part in parts)
            if total > MAX_XML_BYTES:
                biggest = max(parts, key=lambda part: part.file_size)
                raise InputError(_("{path}: {size} MB uncompressed (its part {part} alone {part_size} MB), larger than any form "
                                   "can be (the limit is {limit} MB)").format(
                    path=source, size=_megabytes(total), part=biggest.filename, part_size=_megabytes(biggest.file_size),
                    limit=_megabytes(MAX_XML_BYTES)))
            for part in parts:
                xml = part.filename.lower().endswith((".xml", ".rels", ".vml"))
                with archive.open(part) as data:
                    tail = b""
                    while chunk := data.read(1 << 16):
                        if xml and (b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk):
                            raise InputError(_("{path}: its part {part} declares XML entities (<!DOCTYPE …>), which no "
                                               "Excel workbook does; refused as unsafe").format(path=source, part=part.filename))
                        if xml and _FORMULA.search(tail + chunk):
                            formulas.add(part.filename)
                        tail = chunk[-16:]
    except OSError as exc:
        raise InputError(_("{path}: cannot read the findings: {reason}").format(path=source, reason=os_reason(exc))) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise _unreadable(source, exc) from None
    return formulas


def _check_rubric(workbook: Any, rubric: Rubric, source: str) -> None:
    """A form made for another rubric (by its recorded sha256) is refused; one with no record is not."""
    recorded: dict[str, str] = {}
    for prop in getattr(workbook, "custom_doc_props", ()):
        if isinstance(getattr(prop, "value", None), str):
            recorded[prop.name] = prop.value
    sha = recorded.get(RUBRIC_SHA256)
    if not sha or not rubric.sha256 or sha == rubric.sha256:
        return
    raise FindingsError(_(
        "this form was made for the rubric {made!r} (sha256 {made_sha}), not for {given!r} (sha256 {given_sha}) that "
        "scores it: score it with the rubric it was made for (--rubric), or pass --any-rubric to score it anyway"
    ).format(made=recorded.get(RUBRIC_TITLE, "?"), made_sha=sha[:12], given=rubric.title, given_sha=rubric.sha256[:12]),
        source=source)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_FORMULA = re.compile(rb"<([A-Za-z_][\w.-]*:)?f[\s>/]")  # a formula element, with or without a namespace prefix
_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _check_sheet(workbook: Any, sheet: Any, source: str) -> None:
    """Read the sheet's XML once for what openpyxl would not say at a cell: a number that is not one
    ('nan'), a formula without a saved value (blank once read), more than `MAX_CELLS` cells."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.xml.functions import iterparse

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:  # pragma: no cover - openpyxl's read-only sheets have both
        return
    title = sheet.title
    problems = FindingsCollector()

    def place(ref: str | None) -> str:
        try:
            letters, row = coordinate_from_string(ref or "")
            return cell_name(source, title, row, column_index_from_string(letters))
        except ValueError:
            return f"{source}!{title}"

    cells = 0
    with archive.open(path) as xml:
        for _event, element in iterparse(xml):
            if element.tag != _MAIN_NS + "c":
                if element.tag == _MAIN_NS + "row":
                    element.clear()
                continue
            cells += 1
            if cells > MAX_CELLS:
                raise InputError(_("{path}: more than {limit} cells on the sheet {sheet}, more than any form has").format(
                    path=source, limit=MAX_CELLS, sheet=title))
            ref, kind = element.get("r"), element.get("t", "n")
            value = element.find(_MAIN_NS + "v")
            text = value.text if value is not None else None
            if element.find(_MAIN_NS + "f") is not None and (text is None or not text.strip()):
                problems.add(FindingsError(_(
                    "this cell holds a formula without a saved value: open the file in Excel or WPS, save it, and score it again"),
                    source=place(ref)))
            elif kind == "n" and text is not None and not _NUMBER.fullmatch(text):
                problems.add(FindingsError(_("this cell holds {value!r}, which is not a number").format(value=text[:40]),
                                           source=place(ref)))
    problems.check()


def _workbook_mapping(path: str | Path, rubric: Rubric, source: str | None = None,
                      any_rubric: bool = False) -> tuple[Located, _Form, list[FindingsError]]:
    """`workbook_mapping`, and the rows it refused (left out of the mapping) rather than raised.

    Whatever goes wrong inside openpyxl on a damaged file (any exception) is an `InputError` naming the file.
    """
    from openpyxl import load_workbook

    source = str(path) if source is None else source
    refuse_other_spreadsheet(path, source)
    formulas = _check_archive(path, source)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        reason = os_reason(exc)
        raise InputError(_("{path}: cannot read the findings: {reason}").format(path=source, reason=reason)) from None
    except Exception as exc:  # a damaged workbook fails anywhere inside openpyxl
        raise _unreadable(source, _reason(exc)) from None
    try:
        if not any_rubric:
            _check_rubric(workbook, rubric, source)
        try:
            if not workbook.worksheets:
                raise _unreadable(source, _("it has no sheet"))
            sheet = workbook.worksheets[0]
            if getattr(sheet, "_worksheet_path", None) in formulas:
                _check_sheet(workbook, sheet, source)
            sheet.reset_dimensions()  # some writers record a wrong used range; read what is there
            title = sheet.title
            rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        except (FindingsError, InputError):
            raise
        except Exception as exc:
            raise _unreadable(source, _reason(exc)) from None
        return _mapping(_guarded(rows, source, title, lambda: _check_sheet(workbook, sheet, source)), title, rubric, source)
    finally:
        workbook.close()


def _reason(exc: BaseException) -> str:
    """What went wrong, short: the innermost cause (openpyxl wraps XML errors), its type when it says nothing."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    text = str(exc).split("\n")[0][:200]
    return text or type(exc).__name__


def _guarded(rows: Iterator[tuple[Any, ...]], source: str, sheet: str, locate: Callable[[], None]) -> Iterator[tuple[Any, ...]]:
    """The rows, any error openpyxl raises on a damaged sheet an `InputError` naming the row; at most `MAX_ROWS`, texts at most `MAX_CELL_TEXT`."""
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:
            try:
                locate()  # a value openpyxl cannot read ('nan'): name its cell
            except QlrulesError:
                raise
            except Exception:  # noqa: S110 - the row's own error says it
                pass
            raise InputError(_("{path}: row {row} of the sheet {sheet} cannot be read: {reason}").format(
                path=source, row=number + 1, sheet=sheet, reason=_reason(exc))) from None
        number += 1
        if number > MAX_ROWS:
            raise InputError(_("{path}: more than {limit} rows on the sheet {sheet}, more than any form has").format(
                path=source, limit=MAX_ROWS, sheet=sheet))
        for column, value in enumerate(values, 1):
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                raise FindingsError(_("this cell holds {length} characters, more than a cell may ({limit})").format(
                    length=len(value), limit=MAX_CELL_TEXT), source=cell_name(source, sheet, number, column))
        yield values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _header_word(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip().split("\n")[0].strip()


def _mapping(rows: Iterator[tuple[Any, ...]], sheet: str, rubric: Rubric, source: str) -> tuple[Located, _Form, list[FindingsError]]:
    name_cell: tuple[int, int] | None = None
    name: Any = None
    columns: dict[str, int] = {}
    header_row = 0
    for number, values in enumerate(rows, 1):
        words = [_header_word(v) for v in values]
        if name_cell is None and UNIT_LABEL in [w.rstrip(":：") if w else w for w in words]:
            at = [w.rstrip(":：") if w else w for w in words].index(UNIT_LABEL)
            name_cell = (number, at + 2)
            name = values[at + 1] if at + 1 < len(values) else None
        if CLAUSE in words and COUNT in words:
            columns = {}
            for n, w in enumerate(words, 1):
                if w in REQUIRED_HEADERS + OPTIONAL_HEADERS:
                    columns.setdefault(w, n)
            header_row = number
            break
        if number >= 50:
            break
    if not header_row:
        raise FindingsError(_("no header row with {headers} on the first sheet: is this a form made by qlrules template?").format(
            headers="、".join(REQUIRED_HEADERS)), source=f"{source}!{sheet}")
    missing = [h for h in REQUIRED_HEADERS if h not in columns]
    form = _Form(sheet, header_row, columns, name_cell)
    if missing:
        raise FindingsError(_("the header row has no column {header}").format(header=missing[0]),
                            source=cell_name(source, sheet, header_row, 1))
    if name_cell is None:
        raise FindingsError(_("no cell {label} with the unit's name to its right on the first sheet").format(label=UNIT_LABEL),
                            source=f"{source}!{sheet}")

    if _blank(name):
        raise FindingsError(_("write the unit's name in this cell, right of {label}").format(label=UNIT_LABEL),
                            source=cell_name(source, sheet, *name_cell))
    unit = Located()
    unit.line, unit.column = name_cell
    unit.value_positions = {"unit": name_cell, "findings": (header_row, columns[CLAUSE])}
    unit["unit"] = _text(name) if isinstance(name, str) else name
    findings: list[Located] = []
    unit["findings"] = findings
    refused: list[FindingsError] = []
    for number, values in enumerate(rows, header_row + 1):
        try:
            finding = _finding(values, number, form, rubric, source, unit.get("unit"))
        except FindingsError as error:
            refused.append(error)  # the row is left out; the others are still checked
            continue
        if finding is not None:
            findings.append(finding)
    return unit, form, refused


def _finding(values: tuple[Any, ...], row: int, form: _Form, rubric: Rubric, source: str, unit: Any) -> Located | None:
    """One row as a finding mapping, or None when its input cells are blank.

    The mapping has the keys the row's rule takes (docs/scoring.md): count or cases, level,
    value, amount and reason, as the same finding in YAML has them; a key the rule refuses is
    kept when its cell is filled, so that `read_unit` says why at that cell.
    """

    def value(header: str) -> Any:
        if header not in form.columns:
            return None  # a form made before the column existed
        index = form.columns[header] - 1
        return values[index] if index < len(values) else None

    def at(header: str) -> tuple[int, int]:
        return (row, form.columns.get(header, form.columns[NOTE]))

    filled = [h for h in INPUT_HEADERS if not _blank(value(h))]
    if not filled:
        return None
    ident = value(CLAUSE)
    unit_name = unit if isinstance(unit, str) else None
    if _blank(ident):
        message = _("this row has no {clause} (clause id) but its {column} is filled").format(clause=CLAUSE, column=filled[0])
        raise FindingsError(message, source=cell_name(source, form.sheet, *at(filled[0])), unit=unit_name)
    ident = _text(ident) if isinstance(ident, str) else ident
    target = rubric.clause_index.get(ident) if isinstance(ident, str) else None
    rule = target.rule if isinstance(target, Clause | Adjustment) else None
    discretionary = _takes_amount(target)
    reasoned = _gives_reason(target)

    def refuse(message: str, header: str) -> FindingsError:
        return FindingsError(message, source=cell_name(source, form.sheet, *at(header)), unit=unit_name, clause=ident)

    finding = Located()
    finding.value_positions = {"clause": at(CLAUSE), "count": at(COUNT), "cases": at(CASES), "amount": at(AMOUNT),
                               "level": at(LEVEL), "value": at(VALUE), "reason": at(NOTE), "evidence": at(NOTE)}
    finding["clause"] = ident

    count = value(COUNT)
    if not _blank(count):
        # A spreadsheet has no whole-number type: 2 may come back as 2.0. Only a fraction is wrong.
        # A cell formatted as text (or typed after an apostrophe) holds the text "2": the count 2.
        # Full-width and other digits are refused by read_unit, naming the cell, as everywhere.
        if isinstance(count, str) and re.fullmatch("0|[1-9][0-9]*", _text(count)):
            count = int(_text(count))
        finding["count"] = int(count) if isinstance(count, float) and count.is_integer() else count
    cases = value(CASES)
    if not _blank(cases):
        if isinstance(cases, str):
            finding["cases"] = [c.strip() for c in CASE_SEPARATORS.split(cases) if c.strip()]
        elif isinstance(cases, int) and not isinstance(cases, bool):
            finding["cases"] = [str(cases)]  # digits typed into a cell not formatted as text
        else:
            finding["cases"] = [cases]  # read_unit says case ids are texts
    level = value(LEVEL)
    if not _blank(level):
        finding["level"] = _text(level) if isinstance(level, str) else level
    measured = value(VALUE)
    if not _blank(measured):
        finding["value"] = Decimal(repr(measured)) if isinstance(measured, float) else measured
    amount = value(AMOUNT)
    if not _blank(amount):
        # 0.5 in a cell is the float 0.5; repr gives back what was typed, never 0.5000000000000001.
        finding["amount"] = Decimal(repr(amount)) if isinstance(amount, float) else amount
    note = value(NOTE)
    if not _blank(note):
        finding["reason" if reasoned else "evidence"] = _text(note)

    # With no key, read_unit points at the finding itself: put it at the cell a missing key belongs in.
    finding.line, finding.column = at(NOTE) if reasoned else at(COUNT)
    if discretionary and "amount" not in finding:
        # Blank means zero elsewhere; here a blank amount next to a case or a reason is far more
        # likely forgotten than meant, and a zero amount would still take the case from 6.1b–6.1g.
        raise refuse(_("{amount} is blank on this discretionary row: write the deduction (0 if none)").format(amount=AMOUNT), AMOUNT)
    match rule:
        case Measure():
            if "value" not in finding:
                raise refuse(_("{value} is blank on this measured row: write the value measured").format(value=VALUE), VALUE)
        case Levels(levels=levels):
            if "level" not in finding:
                raise refuse(_("{level} is blank on this row: choose one of {levels}").format(
                    level=LEVEL, levels="、".join(lv.name for lv in levels)), LEVEL)
            chosen = rule.level(finding["level"]) if isinstance(finding["level"], str) else None
            if chosen is not None and chosen.ranged and "amount" not in finding:
                raise refuse(_("{amount} is blank on this row: level {level} gives a range ({low} to {high}); write the amount").format(
                    amount=AMOUNT, level=chosen.name, low=plain(abs(chosen.low)), high=plain(abs(chosen.high))), AMOUNT)
            if "count" not in finding and "cases" not in finding:
                finding["count"] = 1  # a level chosen is a level found: once, unless the count says more
        case Ranged(low=low, high=high):
            if "amount" not in finding:
                raise refuse(_("{amount} is blank on this row: clause {clause} gives a range ({low} to {high}); write the amount").format(
                    amount=AMOUNT, clause=ident, low=plain(abs(low)), high=plain(abs(high))), AMOUNT)
        case Once() | Each():
            if "count" not in finding and "cases" not in finding:
                finding["count"] = 0  # only 说明 (or a misplaced amount) on the row: blank means zero
        case Discretionary() | None:
            pass
        case _:
            assert_never(rule)
    if isinstance(target, Veto) and "count" not in finding and "cases" not in finding:
        finding["count"] = 0
    return finding


def _at_cell(error: FindingsError, source: str, form: _Form, rubric: Rubric) -> FindingsError:
    """The same complaints, each placed at the cell its (row, column) position names."""
    return error.map(lambda problem: _problem_at_cell(problem, source, form, rubric))


def _problem_at_cell(problem: FindingsProblem, source: str, form: _Form, rubric: Rubric) -> FindingsProblem:
    """``where`` becomes the column the message speaks of (its words name the column too: `KEY_NAMES`)."""
    if problem.line is None or problem.column is None:
        return FindingsProblem(problem.message, source=f"{source}!{form.sheet}", unit=problem.unit, clause=problem.clause)
    header = next((h for h, n in form.columns.items() if n == problem.column), None)
    where = _("column {header}").format(header=header) if header in INPUT_HEADERS else None
    return FindingsProblem(problem.message, source=cell_name(source, form.sheet, problem.line, problem.column),
                           unit=problem.unit, clause=problem.clause, where=where)


def workbooks_in(directory: Path, exclude: Sequence[Path] = ()) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The forms in a folder, by name, and every other entry with why it is skipped (by name too).

    Lock files (~$…), hidden files, files of other kinds, folders and the output itself are not
    forms. Spreadsheets in another format (.xls, .ods, .et…) are listed among the forms, so
    that reading them says to save them as .xlsx.
    """
    skip = {p.resolve() for p in exclude}
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        reason = _skipped_because(path, skip)
        if reason is None:
            found.append(path)
        else:
            skipped.append((path, reason))
    return found, skipped


def _skipped_because(path: Path, output: set[Path]) -> str | None:
    """Why a folder's entry is not read as a form, or None when it is one."""
    if path.name.startswith("~$"):
        return _("an Excel or WPS lock file (~$…), made while a workbook is open")
    if path.name.startswith("."):
        return _("a hidden file")
    if path.is_dir():
        return _("a folder: the folders inside a folder are not read")
    if path.resolve() in output:
        return _("the output file of this run")
    if not path.is_file():
        return _("not a regular file")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS:
        return _("not an Excel workbook (.xlsx, .xlsm)")
    return None
