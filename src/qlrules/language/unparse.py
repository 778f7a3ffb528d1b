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

from ..model import Adjustment, AdjustmentRule, Clause, ClauseRule, Discretionary, Each, Item, Once, Rubric, Rule, Section, Topic
from ..numbers import plain, quote, signed

#: Spaces per level of the canonical layout.
INDENT = "  "


def keyword(rule: ClauseRule | AdjustmentRule) -> str:
    """The language's word for the kind of ``rule``: once, each, discretionary."""
    match rule:
        case Once():
            return "once"
        case Each():
            return "each"
        case Discretionary():
            return "discretionary"
        case _:
            assert_never(rule)


def rate(value: Decimal) -> str:
    """A rate as the language writes it: always signed, with a real minus (−0.5, +1)."""
    return signed(value)


def rule_source(rule: ClauseRule | AdjustmentRule, order: Sequence[str] = ()) -> str:
    """``once −1``, ``each 项 −0.5``, ``discretionary replaces 6.1b..6.1g``.

    ``order`` is the item's clause ids, so that replaced clauses next to each other read as a range.
    """
    match rule:
        case Once(value):
            return f"once {rate(value)}"
        case Each(value, unit):
            return f"each {unit} {rate(value)}" if unit else f"each {rate(value)}"
        case Discretionary(replaces):
            if not replaces:
                return "discretionary"
            return "discretionary replaces " + ", ".join(_ranges(replaces, order))
        case _:
            assert_never(rule)


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


def section_line(section: Section) -> str:
    return f"section {section.id} {quote(section.title)} points {plain(section.points)}{_owners(section.owners, None)}"


def topic_line(topic: Topic, inherited: tuple[str, ...]) -> str:
    return f"topic {topic.id} {quote(topic.title)} points {plain(topic.points)}{_owners(topic.owners, inherited)}"


def item_line(item: Item, inherited: tuple[str, ...]) -> str:
    title = f" {quote(item.title)}" if item.title else ""
    return f"item {item.id}{title} points {plain(item.points)}{_owners(item.owners, inherited)}"


def content_line(text: str) -> str:
    """An item's (or the adjustments') ``text "…"`` line."""
    return f"text {quote(text)}"


def adjustments_line(rubric: Rubric) -> str:
    return f"adjustments {quote(rubric.adjustments_title or '')}"


def rubric_source(rubric: Rubric) -> str:
    """The whole rubric in the canonical layout, without comments: what `fmt` writes for a file without any."""
    out = header_lines(rubric)
    out += [INDENT + rule_line(r) for r in rubric.rules]

    def item(i: Item, depth: int, inherited: tuple[str, ...]) -> None:
        pad = INDENT * depth
        out.extend(["", pad + item_line(i, inherited), pad + INDENT + content_line(i.text)])
        order = [c.id for c in i.clauses]
        out.extend(pad + INDENT + clause_line(c, order) for c in i.clauses)

    for section in rubric.sections:
        out.extend(["", section_line(section)])
        for i in section.direct_items:
            item(i, 1, section.owners)
        for topic in section.topics:
            out.extend(["", INDENT + topic_line(topic, section.owners)])
            for i in topic.items:
                item(i, 2, topic.owners)
    if rubric.adjustments:
        out.extend(["", adjustments_line(rubric)])
        if rubric.adjustments_text:
            out.append(INDENT + content_line(rubric.adjustments_text))
        out.extend(INDENT + adjustment_line(a) for a in rubric.adjustments)
    return "\n".join(out) + "\n"
