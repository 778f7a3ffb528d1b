"""What several renderers say the same way: a unit's rank, and what happened to a finding."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..i18n import _
from ..model import HIGHEST_PER_CASE, ITEM_CAP, Rubric
from ..scoring.report import TraceEntry

if TYPE_CHECKING:
    from ..io.stream import Missing


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Rank by total, highest first; equal totals share a rank and the next is skipped (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for place, total in enumerate(ordered, 1):
        first.setdefault(total, place)
    return [first[t] for t in totals]


def effect_words(entry: TraceEntry, rubric: Rubric) -> str:
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
        "item-cap": _("{label}: item cap").format(label=label(ITEM_CAP)) if rubric.has_rule(ITEM_CAP) else _("item cap"),
        "adjustment-cap": _("adjustment cap"),
        "awarded": _("awarded"),
        "unearned": _("earned item"),
        "item-bound": _("item bound"),
        "part-cap": _("part cap"),
        "group-cap": _("group cap"),
        "vetoed": _("vetoed"),
        "ungraded": _("no grade"),
    }[entry.effect]


def missing_text(units: Sequence[Missing], markdown: bool = False) -> str:
    """The closing section of a table or markdown report: the units ``--keep-going`` left out, with their errors."""
    head = _("Units left out ({count}): their findings are invalid").format(count=len(units))
    lines = [f"## {head}\n" if markdown else head]
    for unit in units:
        name = _("unit {unit!r}").format(unit=unit.unit) if unit.unit is not None else _("a file")
        lines.append(f"- {name} ({unit.source})" if markdown else f"  {name} ({unit.source})")
        lines.extend(("  - " if markdown else "    ") + error.replace("\n", " ") for error in unit.errors)
    return "\n".join(lines) + "\n"
