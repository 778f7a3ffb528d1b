"""Cross-object checks of a compiled rubric: ids, prefixes, points, suspicious rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from .model import KNOWN_RULES, Rubric, Span, plain

Report = Callable[..., None]


def validate(rubric: Rubric, report: Report) -> None:
    """Report every inconsistency (errors) and suspicious rule (warnings) of ``rubric``."""
    _unique_ids(rubric, report)
    _rules(rubric, report)
    _prefixes(rubric, report)
    _points(rubric, report)
    _suspicious(rubric, report)


def _unique_ids(rubric: Rubric, report: Report) -> None:
    seen: dict[str, Span] = {}
    everything: Iterable[tuple[str, str, Span]] = (
        [("section", s.id, s.span) for s in rubric.sections]
        + [("topic", t.id, t.span) for t in rubric.topics]
        + [("item", i.id, i.span) for i in rubric.items]
        + [("clause", c.id, c.span) for c in rubric.clauses]
        + [("adjustment", a.id, a.span) for a in rubric.adjustments]
    )
    for kind, ident, span in sorted(everything, key=lambda e: (e[2].line, e[2].column)):
        if ident in seen:
            report(span, f"duplicate id {ident}: {kind} {ident} is already used at line {seen[ident].line}")
        else:
            seen[ident] = span


def _rules(rubric: Rubric, report: Report) -> None:
    names: set[str] = set()
    for rule in rubric.rules:
        if rule.name not in KNOWN_RULES:
            report(rule.span, f"unknown rule {rule.name!r}; the rules are {' and '.join(KNOWN_RULES)}")
        elif rule.name in names:
            report(rule.span, f"rule {rule.name} is declared twice")
        names.add(rule.name)


def _prefixes(rubric: Rubric, report: Report) -> None:
    """A child's id starts with its parent's, so an id alone tells where it belongs."""
    for topic in rubric.topics:
        for item in topic.items:
            if not item.id.startswith(topic.id + "."):
                report(item.span, f"item {item.id} is under topic {topic.id}: its id should start with {topic.id}.")
    for item in rubric.items:
        for clause in item.clauses:
            rest = clause.id[len(item.id) :]
            if not clause.id.startswith(item.id) or not rest[:1].isalpha():
                report(clause.span, f"clause {clause.id} is under item {item.id}: its id should be {item.id} followed by a letter, like {item.id}a")


def _sum_problem(what: str, points: Decimal, parts: list[tuple[str, Decimal]]) -> str:
    total = sum((p for _, p in parts), Decimal(0))
    listed = ", ".join(f"{ident}: {plain(p)}" for ident, p in parts)
    return f"{what} has points {plain(points)} but its parts add up to {plain(total)} ({listed})"


def _points(rubric: Rubric, report: Report) -> None:
    """Points add up at every level: items → topic → section → rubric."""
    for topic in rubric.topics:
        parts = [(i.id, i.points) for i in topic.items]
        if sum(p for _, p in parts) != topic.points:
            report(topic.span, _sum_problem(f"topic {topic.id}", topic.points, parts))
    for section in rubric.sections:
        parts = [(i.id, i.points) for i in section.direct_items] + [(t.id, t.points) for t in section.topics]
        if sum(p for _, p in parts) != section.points:
            report(section.span, _sum_problem(f"section {section.id}", section.points, parts))
    parts = [(s.id, s.points) for s in rubric.sections]
    if sum(p for _, p in parts) != rubric.points:
        report(rubric.span, _sum_problem("the rubric", rubric.points, parts))


def _suspicious(rubric: Rubric, report: Report) -> None:
    for item in rubric.items:
        for clause in item.clauses:
            if clause.rate is not None and clause.rate > item.points:
                report(clause.span, f"clause {clause.id} deducts {plain(clause.rate)}, more than item {item.id}'s {plain(item.points)} points", "warning")
            if clause.cap is not None and clause.cap >= item.points and rubric.has_rule("item-cap"):
                report(clause.span, f"clause {clause.id}'s cap {plain(clause.cap)} is not below item {item.id}'s {plain(item.points)} points, so it never applies", "warning")
