"""The model back to source text: the one place that writes a rubric, or any part of it, as qlrules source.

`qlrules fmt` lays a file out with these lines (keeping its comments), `draft`
writes its rules with them, `diff` shows a rule with them, and the Excel form
and the Sphinx summary take their numbers from the same functions, so a rule
reads the same wherever it is shown. `rubric_source` writes a whole rubric in
the canonical layout; compiling it gives the same model (`fmt` checks that).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import assert_never

from ..model import (
    Adjustment,
    AdjustmentGroup,
    AdjustmentRule,
    Band,
    Clause,
    ClauseRule,
    Discretionary,
    Each,
    Grade,
    Item,
    Level,
    Levels,
    Measure,
    Once,
    Ranged,
    Rubric,
    Rule,
    Section,
    Topic,
    Veto,
)
from ..numbers import MINUS, plain, quote, signed

#: Spaces per level of the canonical layout.
INDENT = "  "


def keyword(rule: ClauseRule | AdjustmentRule) -> str:
    """The language's word for the kind of ``rule``: once, each, discretionary, measure."""
    match rule:
        case Once():
            return "once"
        case Each():
            return "each"
        case Discretionary():
            return "discretionary"
        case Ranged(each=each) | Levels(each=each):
            return "each" if each else "once"
        case Measure():
            return "measure"
        case _:
            assert_never(rule)


def rate(value: Decimal) -> str:
    """A rate as the language writes it: always signed, with a real minus (−0.5, +1)."""
    return signed(value)


def rate_range(low: Decimal, high: Decimal) -> str:
    """``−1..−2``, ``+0..+5``: both ends carry the sign of the range."""
    sign = MINUS if high < 0 else "+"
    return f"{sign}{plain(abs(low))}..{sign}{plain(abs(high))}"


def value(number: Decimal) -> str:
    """A threshold or a grade's bound: 96, or −5 with a real minus."""
    return MINUS + plain(-number) if number < 0 else plain(number)


def _head(keyword: str, each: bool, unit: str | None) -> str:
    return f"{keyword} {unit}" if each and unit else keyword


def rule_source(rule: ClauseRule | AdjustmentRule, order: Sequence[str] = ()) -> str:
    """``once −1``, ``each 项 −0.5``, ``discretionary replaces 6.1b..6.1g``, ``each 例 −1..−2``,
    ``once levels 优秀 +2, 不合格 −1..−2``, ``measure % below 96 per 1 −0.25``.

    ``order`` is the item's clause ids, so that replaced clauses next to each other read as a range.
    """
    match rule:
        case Once(amount):
            return f"once {rate(amount)}"
        case Each(amount, unit):
            return f"each {unit} {rate(amount)}" if unit else f"each {rate(amount)}"
        case Discretionary(replaces):
            if not replaces:
                return "discretionary"
            return "discretionary replaces " + ", ".join(_ranges(replaces, order))
        case Ranged(low, high, each, unit):
            return f"{_head('each' if each else 'once', each, unit)} {rate_range(low, high)}"
        case Levels(levels, each, unit):
            return f"{_head('each' if each else 'once', each, unit)} levels {levels_source(levels)}"
        case Measure(unit, way, bands):
            words = ", ".join(band_source(way, b) for b in bands)
            return f"measure {unit} tiers {words}" if way in ("at-least", "at-most") else f"measure {unit} {words}"
        case _:
            assert_never(rule)


def levels_source(levels: Sequence[Level]) -> str:
    """``镇 +2, 县 +4, 不合格 −1..−2``: a `Levels` rule's levels as the language writes them."""
    return ", ".join(f"{lv.name} {rate_range(lv.low, lv.high) if lv.ranged else rate(lv.low)}" for lv in levels)


def band_source(way: str, band: Band) -> str:
    """One band of a `Measure` as the language writes it: ``below 96 per 1 −0.25``, ``at least 10 −2``."""
    if way in ("at-least", "at-most"):
        return f"at {way[3:]} {value(band.threshold)} {rate(band.rate)}"
    step = f" per {plain(band.step)}" if band.step is not None else ""
    return f"{way} {value(band.threshold)}{step} {rate(band.rate)}"


def _ranges(ids: Sequence[str], order: Sequence[str]) -> Iterator[str]:
    """Runs of ids consecutive in ``order`` as ``first..last``; the rest one by one."""
    position = {cid: n for n, cid in enumerate(order)}
    run: list[str] = []
    for cid in ids:
        if run and cid in position and run[-1] in position and position[cid] == position[run[-1]] + 1:
            run.append(cid)
            continue
        if run:
            yield _run(run)
        run = [cid]
    if run:
        yield _run(run)


def _run(run: list[str]) -> str:
    return run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}"


def modifiers(of: int | None, cap: Decimal | None) -> str:
    """`` of 3 cap 2``: what follows a rule."""
    return (f" of {of}" if of is not None else "") + (f" cap {plain(cap)}" if cap is not None else "")


def clause_line(clause: Clause, order: Sequence[str] = ()) -> str:
    """``1.1b "…每项扣0.5分" each 项 −0.5 of 2``."""
    return f"{clause.id} {quote(clause.text)} {rule_source(clause.rule, order)}{modifiers(clause.of, clause.cap)}"


def adjustment_line(adjustment: Adjustment) -> str:
    """``A1 "…每项加1分" each 项 +1``."""
    return f"{adjustment.id} {quote(adjustment.text)} {rule_source(adjustment.rule)}{modifiers(adjustment.of, adjustment.cap)}"


def _owners(owners: tuple[str, ...], inherited: tuple[str, ...] | None) -> str:
    if not owners or owners == inherited:
        return ""
    return " owners " + ", ".join(quote(o) for o in owners)


def header_lines(rubric: Rubric) -> list[str]:
    """The header and its options, each on its own line (options one level in)."""
    lines = [f"rubric {quote(rubric.title)} points {plain(rubric.points)}"]
    if rubric.year is not None:
        lines.append(f"{INDENT}year {rubric.year}")
    if rubric.edition is not None:
        lines.append(f"{INDENT}edition {quote(rubric.edition)}")
    return lines


def rule_line(rule: Rule) -> str:
    """``rule item-cap "…"``."""
    return f"rule {rule.name} {quote(rule.text)}"


def _cap(cap: Decimal | None) -> str:
    return f" cap {plain(cap)}" if cap is not None else ""


def section_line(section: Section) -> str:
    return f"section {section.id} {quote(section.title)} points {plain(section.points)}{_cap(section.cap)}{_owners(section.owners, None)}"


def topic_line(topic: Topic, inherited: tuple[str, ...]) -> str:
    return f"topic {topic.id} {quote(topic.title)} points {plain(topic.points)}{_cap(topic.cap)}{_owners(topic.owners, inherited)}"


def item_line(item: Item, inherited: tuple[str, ...]) -> str:
    title = f" {quote(item.title)}" if item.title else ""
    earned = " earned" if item.earned else ""
    return f"item {item.id}{title} points {plain(item.points)}{earned}{_cap(item.cap)}{_owners(item.owners, inherited)}"


def content_line(text: str) -> str:
    """An item's (or the adjustments') ``text "…"`` line."""
    return f"text {quote(text)}"


def group_line(group: AdjustmentGroup) -> str:
    """``adjustments B "加分项" cap 10``."""
    ident = f" {group.id}" if group.id else ""
    return f"adjustments{ident} {quote(group.title)}{_cap(group.cap)}"


def grades_line(rubric: Rubric) -> str:
    return f"grades {quote(rubric.grades_title or '')}"


def grade_line(grade: Grade) -> str:
    """``优秀 "90分(含)以上为优秀" at least 90``."""
    return f"{grade.name} {quote(grade.text)} {grade_band(grade)}"


def grade_band(grade: Grade) -> str:
    """A grade's bounds as the language writes them: ``at least 90``, ``from 76 to 89``, ``at most 75``."""
    if grade.low is not None and grade.high is not None:
        return f"from {value(grade.low)} to {value(grade.high)}"
    if grade.low is not None:
        return f"at least {value(grade.low)}"
    return f"at most {value(grade.high)}" if grade.high is not None else ""


def vetoes_line(rubric: Rubric) -> str:
    return f"vetoes {quote(rubric.vetoes_title or '')}"


def veto_line(veto: Veto) -> str:
    """``V1 "…实行“一票否决”" veto 不达标``."""
    return f"{veto.id} {quote(veto.text)} veto {veto.grade}"


def rubric_source(rubric: Rubric) -> str:
    """The whole rubric in the canonical layout, without comments: what `fmt` writes for a file without any."""
    out = header_lines(rubric)
    out += [INDENT + rule_line(r) for r in rubric.rules]

    def item(i: Item, depth: int, inherited: tuple[str, ...]) -> None:
        pad = INDENT * depth
        out.extend(["", pad + item_line(i, inherited), pad + INDENT + content_line(i.text)])
        order = [c.id for c in i.clauses]
        out.extend(pad + INDENT + clause_line(c, order) for c in i.clauses)

    def own(clauses: tuple[Clause, ...], depth: int) -> None:
        order = [c.id for c in clauses]
        out.extend(INDENT * depth + clause_line(c, order) for c in clauses)

    for section in rubric.sections:
        out.extend(["", section_line(section)])
        own(section.clauses, 1)
        for i in section.direct_items:
            item(i, 1, section.owners)
        for topic in section.topics:
            out.extend(["", INDENT + topic_line(topic, section.owners)])
            own(topic.clauses, 2)
            for i in topic.items:
                item(i, 2, topic.owners)
    for group in rubric.adjustment_groups:
        out.extend(["", group_line(group)])
        if group.text:
            out.append(INDENT + content_line(group.text))
        out.extend(INDENT + adjustment_line(a) for a in group.adjustments)
    if rubric.grades:
        out.extend(["", grades_line(rubric)])
        out.extend(INDENT + grade_line(g) for g in rubric.grades)
    if rubric.vetoes:
        out.extend(["", vetoes_line(rubric)])
        if rubric.vetoes_text:
            out.append(INDENT + content_line(rubric.vetoes_text))
        out.extend(INDENT + veto_line(v) for v in rubric.vetoes)
    return "\n".join(out) + "\n"
