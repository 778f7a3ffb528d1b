"""Cross-object checks of a compiled rubric: ids, prefixes, points, suspicious rules."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import assert_never

from ..i18n import N_, _
from ..model import KNOWN_RULES, Discretionary, Each, Levels, Measure, Once, Ranged, Rubric, Section, Span, Topic
from ..numbers import plain

Report = Callable[..., None]

#: The code of the warning for totals no grade covers; a rubric whose document leaves such a gap
#: (76-89 then 90分(含)以上) acknowledges it with ``# qlrules: accept grade-gap``.
GRADE_GAP = "grade-gap"

#: The code of the warning for a wording that is empty or only punctuation: a placeholder (``""``)
#: that `qlrules draft` leaves where the document gives no text, or a line not yet written.
EMPTY_WORDING = "empty-wording"


def validate(rubric: Rubric, report: Report) -> None:
    """Report every inconsistency (errors) and suspicious rule (warnings) of ``rubric``."""
    _unique_ids(rubric, _coded(report, "duplicate-id"))
    _rules(rubric, _coded(report, "rule"))
    _prefixes(rubric, _coded(report, "id-prefix"))
    _points(rubric, _coded(report, "points-sum"))
    _suspicious(rubric, _coded(report, "suspicious-rule"))
    _bounds(rubric, _coded(report, "earned-cap"))
    _grades(rubric, _coded(report, "grades"))
    _empty_wording(rubric, report)  # its own code: empty-wording


def _coded(report: Report, code: str) -> Report:
    """``report`` giving each problem ``code`` (`Problem.code`) unless the check names its own."""
    def coded(where: Span, message: str, severity: str = "error", own: str = "") -> None:
        report(where, message, severity, own or code)
    return coded


def _unique_ids(rubric: Rubric, report: Report) -> None:
    seen: dict[str, tuple[str, Span]] = {}
    everything: Iterable[tuple[str, str, Span]] = (
        [(N_("section"), s.id, s.span) for s in rubric.sections]
        + [(N_("topic"), t.id, t.span) for t in rubric.topics]
        + [(N_("item"), i.id, i.span) for i in rubric.items]
        + [(N_("clause"), c.id, c.span) for c in rubric.clauses]
        + [(N_("adjustment"), a.id, a.span) for a in rubric.adjustments]
        + [(N_("veto"), v.id, v.span) for v in rubric.vetoes]
    )
    for kind, ident, span in sorted(everything, key=lambda e: (e[2].line, e[2].column)):
        if ident in seen:
            first_kind, first = seen[ident]
            report(span, _("duplicate id {ident}: this {kind} has the id of the {first_kind} at line {line}").format(
                ident=ident, kind=_(kind), first_kind=_(first_kind), line=first.line))
        else:
            seen[ident] = (kind, span)


def _rules(rubric: Rubric, report: Report) -> None:
    names: set[str] = set()
    for rule in rubric.rules:
        if rule.name not in KNOWN_RULES:
            report(rule.span, _("unknown rule {name!r}; the rules are {rules}").format(name=rule.name, rules=_(" and ").join(KNOWN_RULES)))
        elif rule.name in names:
            report(rule.span, _("rule {name} is declared twice").format(name=rule.name))
        names.add(rule.name)


def _prefixes(rubric: Rubric, report: Report) -> None:
    """A child's id starts with its parent's, so an id alone tells where it belongs."""
    for topic in rubric.topics:
        for item in topic.items:
            if not item.id.startswith(topic.id + "."):
                report(item.span, _("item {item} is under topic {topic}: its id should start with {topic}.").format(item=item.id, topic=topic.id))
    for clause in rubric.clauses:
        rest = clause.id[len(clause.item) :]
        if not clause.id.startswith(clause.item) or not rest[:1].isalpha():
            if clause.part == "item":
                report(clause.span, _("clause {clause} is under item {item}: its id should be {item} followed by a letter, like {item}a").format(clause=clause.id, item=clause.item))
            else:
                report(clause.span, _("clause {clause} is a clause of {part} {owner}: its id should be {owner} followed by a letter, like {owner}a").format(
                    clause=clause.id, part=_(clause.part), owner=clause.item))
    for group in rubric.adjustment_groups:
        for adjustment in group.adjustments:
            if group.id is not None and not adjustment.id.startswith(group.id):
                report(adjustment.span, _("adjustment {adjustment} is in group {group}: its id should start with {group}, like {group}1").format(
                    adjustment=adjustment.id, group=group.id))


def _sum_problem(what: str, points: Decimal, parts: list[tuple[str, Decimal]]) -> str:
    total = sum((p for _, p in parts), Decimal(0))
    listed = ", ".join(f"{ident}: {plain(p)}" for ident, p in parts)
    return _("{what} has points {points} but its parts add up to {total} ({listed})").format(what=what, points=plain(points), total=plain(total), listed=listed)


def _points(rubric: Rubric, report: Report) -> None:
    """Points add up at every level: items → topic → section → rubric."""
    for topic in rubric.topics:
        parts = [(i.id, i.points) for i in topic.items]
        if sum(p for _, p in parts) != topic.points:
            report(topic.span, _sum_problem(_("topic {topic}").format(topic=topic.id), topic.points, parts))
    for section in rubric.sections:
        parts = [(i.id, i.points) for i in section.direct_items] + [(t.id, t.points) for t in section.topics]
        if sum(p for _, p in parts) != section.points:
            report(section.span, _sum_problem(_("section {section}").format(section=section.id), section.points, parts))
    parts = [(s.id, s.points) for s in rubric.sections]
    if not parts and rubric.points:
        report(rubric.span, _("the rubric has points {points} but no section: add its sections, like: section S1 \"…\" points 10 "
                              "(a rubric of adjustment groups only has points 0)").format(points=plain(rubric.points)))
    elif sum(p for _, p in parts) != rubric.points:
        report(rubric.span, _sum_problem(_("the rubric"), rubric.points, parts))


def _suspicious(rubric: Rubric, report: Report) -> None:
    for item in rubric.items:
        for clause in item.clauses:
            rule = clause.rule
            match rule:
                case Once(rate) | Each(rate):
                    if isinstance(rule, Once) and clause.cap is not None:
                        report(clause.span, _("clause {clause} is `once`: a cap on it only lowers its rate; write the rate instead").format(
                            clause=clause.id), "warning")
                    if -rate > item.points and item.points > 0:
                        report(clause.span, _("clause {clause} deducts {rate}, more than item {item} is worth ({points})").format(clause=clause.id, rate=plain(-rate), item=item.id, points=plain(item.points)), "warning")
                case Discretionary() | Ranged() | Levels() | Measure():
                    pass
                case _:
                    assert_never(rule)
            if clause.cap is not None and clause.cap >= item.points and rubric.has_rule("item-cap") and not item.earned:
                report(clause.span, _("clause {clause}'s cap {cap} is not below what item {item} is worth ({points}), so it never applies").format(clause=clause.id, cap=plain(clause.cap), item=item.id, points=plain(item.points)), "warning")


def _bounds(rubric: Rubric, report: Report) -> None:
    """A cap below an earned item's points would count points never earned as lost."""
    parts: list[Section | Topic] = [*rubric.sections, *rubric.topics]
    for part in parts:
        if part.cap is not None and part.cap < part.points and any(i.earned for i in part.items):
            report(part.span, _("{part} caps its loss at {cap} but holds earned items: points they do not earn count as lost, "
                                "so the cap also bounds what they fail to earn").format(part=part.id, cap=plain(part.cap)), "warning")


def _grades(rubric: Rubric, report: Report) -> None:
    """Grades are declared best first and do not overlap; a total no grade covers is a warning naming where."""
    grades = rubric.grades
    for better, worse in zip(grades, grades[1:]):
        if better.low is None or worse.high is None or worse.high >= better.low:
            report(worse.span, _("grade {worse} overlaps grade {better} or comes before it: grades are declared best first, "
                                 "each below the one before").format(worse=worse.name, better=better.name))
        elif worse.high < better.low:
            report(worse.span, _("totals above {high} and below {low} get no grade (between {worse} and {better})").format(
                high=plain(worse.high), low=plain(better.low), worse=worse.name, better=better.name), "warning", GRADE_GAP)
    if grades and grades[0].high is not None:
        report(grades[0].span, _("totals above {high} get no grade").format(high=plain(grades[0].high)), "warning", GRADE_GAP)
    if grades and grades[-1].low is not None:
        report(grades[-1].span, _("totals below {low} get no grade").format(low=plain(grades[-1].low)), "warning", GRADE_GAP)
    names: set[str] = set()
    for grade in grades:
        if grade.name in names:
            report(grade.span, _("grade {name} is declared twice").format(name=grade.name))
        names.add(grade.name)


def _is_blank(text: str) -> bool:
    """Nothing but spaces and punctuation: "", "  ", "……", "“”"."""
    return all(ch.isspace() or unicodedata.category(ch)[0] in "PZS" for ch in text)


def _empty_wording(rubric: Rubric, report: Report) -> None:
    """A section, topic, item, clause, adjustment, grade or veto whose official wording is empty: a placeholder, not a rule."""
    parts: list[tuple[str, str, str, Span]] = (
        [(N_("section"), s.id, s.title, s.span) for s in rubric.sections]
        + [(N_("topic"), t.id, t.title, t.span) for t in rubric.topics]
        + [(N_("item"), i.id, i.text, i.span) for i in rubric.items]
        + [(N_("clause"), c.id, c.text, c.span) for c in rubric.clauses]
        + [(N_("adjustment"), a.id, a.text, a.span) for a in rubric.adjustments]
        + [(N_("grade"), g.name, g.text, g.span) for g in rubric.grades]
        + [(N_("veto"), v.id, v.text, v.span) for v in rubric.vetoes]
    )
    for kind, ident, text, span in parts:
        if _is_blank(text):
            report(span, _("{kind} {ident} has no wording ({text}): write the document's text, or remove it if the document has none").format(
                kind=_(kind), ident=ident, text=f'"{text}"'), "warning", EMPTY_WORDING)
