"""`qlrules diff`: what changed between two rubrics, by id, and what that does to scored units.

Objects are matched by id (rules by name), so an edit reads in the rubric's own
terms: ``clause 0.1a: rate −0.5 → −1``. Children of an added or removed
container are folded into its entry (they are listed in its ``children``), so
removing an item is one change, not one per clause. An item's or topic's owners
are only reported where they do not simply follow their parent's (owners are
inherited). Wording is compared character by character, numbers as a whole,
and shown as ``扣[-0.5-]{+1+}分`` (long unchanged runs shortened to ``…``).

The command exits 0 whether or not the rubrics differ (like ``git diff``
without ``--exit-code``); no ``--exit-code`` is offered, because exit 1 already
means invalid input (docs/scoring.md, “Exit status”). A script checks ``changes == []`` in the
JSON instead.

JSON shape (``--format json``), stable for other systems; numbers are exact::

    {
      "old": {"source": "a.qlr", "title": "…", "sha256": "…"},
      "new": {"source": "b.qlr", "title": "…", "sha256": "…"},
      "changes": [
        {"change": "changed",        # added | removed | renamed | moved | changed | reordered
         "kind": "clause",           # rubric | rule | section | topic | item | clause | group | adjustment
                                     #   | grade | veto
         "id": "0.1a",               # null for the rubric itself; a rule's name for a rule; a grade's name
         "field": "rate",            # which field (renamed: "title", moved: "parent",
                                     #   reordered: "clauses" | "items" | "topics" | "sections" | "adjustments"
                                     #   | "groups" | "grades" | "vetoes" | "levels");
                                     #   null for added and removed
         "old": 0.5, "new": 1,       # the field's values; a clause's rate is the deduction (positive),
                                     #   an adjustment's is signed; a parent is {"kind": "section", "id": "S2"};
                                     #   added/removed: a summary object of the whole thing (null on the other side)
         "parent": null,             # added/removed: {"kind", "id"} of the container, else null
         "children": [],             # added/removed: ids of the children folded into this entry
         "diff": null,               # text fields: the compact inline diff "…扣[-0.5-]{+1+}分"
         "ops": null}                # text fields: [["=", "…"], ["-", "0.5"], ["+", "1"], ["=", "分"]]
      ],
      "units": [                     # only with --findings
        {"unit": "市财政局",
         "before": 97.5, "after": 97, "delta": -0.5,   # totals; null where the unit does not fit that rubric
         "errors": {"old": null, "new": null},         # why the unit does not fit that rubric
         "items": [{"item": "0.1", "before": 0.5, "after": 1,      # what the item deducts
                    "clauses": [{"clause": "0.1a", "before": 0.5, "after": 1}],
                    "because": [0, 1]}],                           # indexes into "changes"
         "adjustments": [{"adjustment": "A3", "before": 0.5, "after": 1, "because": [4]}],
         "parts": [{"part": "T2", "kind": "topic",          # a section or topic whose own clauses or cap's cut moved
                    "before": 3, "after": 2,                 #   what the whole part deducts
                    "clauses": [{"clause": "T2a", "before": 1, "after": 2, "because": [5]}],
                    "cut": {"before": 0, "after": 1},        #   what its cap cuts
                    "because": [5, 6]}],
         "groups": [{"group": "B", "before": 5, "after": 3, "because": [7]}],  # adjustment groups' net totals
         "grade": {"before": "良好", "after": "优秀",         # null when the grade and the vetoes are the same
                   "vetoes": {"before": [], "after": []}, "because": [8]},
         "because": []}              # changes that move the total directly (the rubric's points)
      ]
    }

Language 2's fields (every number in them signed as the rubric writes it: −1 deducts, +1 adds)::

    rubric      "adjustments_cap" (the unnamed block's cap), "grades_title", "vetoes_title", "vetoes_text"
                (the unnamed block's title and text stay "adjustments_title", "adjustments_text")
    section, topic  "cap": null | 5
    item        "earned": false | true, "cap": null | 1
    clause, adjustment
                "range": {"low": -1, "high": -2}                  # a range (rate is then null)
                "level": {"name": "京", "low": -5, "high": -5}   # one change per level added (old null),
                                                                 #   removed (new null) or re-rated; a fixed
                                                                 #   level has low == high
                "measure": {"way": "below", "bands": [{"threshold": 96, "step": 1, "rate": -0.25}]}
                                                                 # way: below | above | at-least | at-most;
                                                                 #   step null for a band without `per`
    group       (a named ``adjustments B …`` block; id its id) "title", "text", "cap"; its adjustments are its
                children, and an adjustment's parent is {"kind": "group", "id": "B"} (null in the unnamed block)
    grade       "text", "band": {"low": 90, "high": null}
    veto        "text", "grade": "不达标"

An added or removed thing's summary has these fields only where they say something (an item that is
earned, a cap, a range, levels, a measure), plus "levels": [{"name", "low", "high"}, …] for a clause with
levels; a section's or topic's own clauses are listed as "clauses", a group's adjustments as "adjustments".

With ``--findings``, each unit is checked against both rubrics on its own: a
unit that no longer fits one of them (a finding on a removed clause, a count
past a new ``of``) is reported with the reason, not raised; a unit that fits
neither is invalid findings, and the command fails (exit 1).
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any, Literal, assert_never

import attrs

from ..errors import FindingsError
from ..i18n import _
from ..language.unparse import band_source, grade_band, keyword, modifiers, rate, rate_range, rule_source
from ..model import (
    HIGHEST_PER_CASE,
    ITEM_CAP,
    Adjustment,
    AdjustmentGroup,
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
    Section,
    Span,
    Topic,
    Veto,
)
from ..numbers import exact, plain
from ..scoring.findings import Unit, read_unit, unit_mappings
from ..scoring.report import Report

ChangeType = Literal["added", "removed", "renamed", "moved", "changed", "reordered"]
Kind = Literal["rubric", "rule", "section", "topic", "item", "clause", "group", "adjustment", "grade", "veto"]
Ops = tuple[tuple[str, str], ...]
ZERO = Decimal(0)

#: Fields whose values are official wording: compared character by character.
TEXT_FIELDS = frozenset({"title", "text", "edition", "adjustments_title", "adjustments_text", "grades_title", "vetoes_title",
                         "vetoes_text"})
#: Fields language 2 added: an added or removed thing's summary shows them only where they say something
#: (not earned, no cap, no range…), so that a language-1 rubric's diff reads as it always has.
NEW_FIELDS = {"earned": False, "range": None, "levels": None, "measure": None}


@attrs.frozen
class Change:
    """One difference between two rubrics, about one object (by kind and id) and one field."""

    change: ChangeType
    kind: Kind
    id: str | None
    field: str | None = None
    old: Any = None
    new: Any = None
    parent: tuple[str, str] | None = None
    children: tuple[str, ...] = ()
    ops: Ops | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        return self.kind, self.id


# -- wording -----------------------------------------------------------------

_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)


def wording_ops(old: str, new: str) -> Ops:
    """A character-level diff of two wordings (a number is one token, so 0.5 → 1 reads whole)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ops: list[tuple[str, str]] = []
    gone: list[str] = []
    came: list[str] = []

    def flush() -> None:
        # A replacement shows what went, then what came: "[-0.5-]{+1+}".
        if gone:
            ops.append(("-", "".join(gone)))
        if came:
            ops.append(("+", "".join(came)))
        gone.clear()
        came.clear()

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            flush()
            ops.append(("=", "".join(a[i1:i2])))
        else:
            gone.extend(a[i1:i2])
            came.extend(b[j1:j2])
    flush()
    return tuple(ops)


def inline(ops: Ops, context: int = 8) -> str:
    """``ops`` as one line: ``[-gone-]{+new+}``, unchanged runs longer than needed shortened to ``…``."""
    out: list[str] = []
    last = len(ops) - 1
    for n, (op, text) in enumerate(ops):
        if op == "-":
            out.append(f"[-{text}-]")
        elif op == "+":
            out.append(f"{{+{text}+}}")
        elif n == 0 and n != last and len(text) > context:
            out.append("…" + text[-context:])
        elif n == last and n != 0 and len(text) > context:
            out.append(text[:context] + "…")
        elif 0 < n < last and len(text) > 2 * context + 1:
            out.append(text[:context] + "…" + text[-context:])
        else:
            out.append(text)
    return "".join(out)


# -- comparing rubrics ---------------------------------------------------------

Node = Section | Topic | Item | Clause | Adjustment | AdjustmentGroup | Grade | Veto


@attrs.frozen
class _Entry:
    kind: Kind
    node: Node
    parent: tuple[str, str] | None
    parent_owners: tuple[str, ...] | None


def _entries(rubric: Rubric) -> dict[tuple[str, str], _Entry]:
    """Every section, topic, item, clause and adjustment by (kind, id), in rubric order."""
    found: dict[tuple[str, str], _Entry] = {}

    def clauses(clauses: tuple[Clause, ...], parent: tuple[str, str]) -> None:
        for c in clauses:
            found[("clause", c.id)] = _Entry("clause", c, parent, None)

    def item(i: Item, parent: tuple[str, str], owners: tuple[str, ...]) -> None:
        found[("item", i.id)] = _Entry("item", i, parent, owners)
        clauses(i.clauses, ("item", i.id))

    for s in rubric.sections:
        found[("section", s.id)] = _Entry("section", s, None, None)
        clauses(s.clauses, ("section", s.id))
        for i in s.direct_items:
            item(i, ("section", s.id), s.owners)
        for t in s.topics:
            found[("topic", t.id)] = _Entry("topic", t, ("section", s.id), s.owners)
            clauses(t.clauses, ("topic", t.id))
            for i in t.items:
                item(i, ("topic", t.id), t.owners)
    for g in rubric.adjustment_groups:
        # A named group is a thing of its own; the unnamed block of language 1 is the rubric's (adjustments_title…).
        group = ("group", g.id) if g.id is not None else None
        if group is not None:
            found[group] = _Entry("group", g, None, None)
        for a in g.adjustments:
            found[("adjustment", a.id)] = _Entry("adjustment", a, group, None)
    for grade in rubric.grades:
        found[("grade", grade.name)] = _Entry("grade", grade, None, None)
    for v in rubric.vetoes:
        found[("veto", v.id)] = _Entry("veto", v, None, None)
    return found


def _unnamed(rubric: Rubric) -> AdjustmentGroup | None:
    """The adjustments block written without an id (language 1's 加减分项), if any."""
    return next((g for g in rubric.adjustment_groups if g.id is None), None)


def _rubric_fields(rubric: Rubric) -> dict[str, Any]:
    """The rubric's own fields, in the order they are reported; the unnamed block's title, text and cap are the rubric's."""
    unnamed = _unnamed(rubric)
    return {"title": rubric.title, "points": rubric.points, "year": rubric.year, "edition": rubric.edition,
            "adjustments_title": unnamed.title if unnamed else None, "adjustments_text": unnamed.text if unnamed else None,
            "adjustments_cap": unnamed.cap if unnamed else None, "grades_title": rubric.grades_title,
            "vetoes_title": rubric.vetoes_title, "vetoes_text": rubric.vetoes_text}


def _fields(node: Node) -> dict[str, Any]:
    """The comparable fields of a node, in the order they are reported."""
    if isinstance(node, Section | Topic):
        return {"title": node.title, "points": node.points, "owners": node.owners, "cap": node.cap}
    if isinstance(node, Item):
        return {"title": node.title, "points": node.points, "owners": node.owners, "text": node.text,
                "earned": node.earned, "cap": node.cap}
    if isinstance(node, Clause):
        # A clause's rate is reported as the deduction (positive), an adjustment's signed (the diff's JSON shape).
        return {"text": node.text, **_rule_fields(node.rule, deduction=True), "of": node.of, "cap": node.cap,
                "replaces": node.rule.replaces if isinstance(node.rule, Discretionary) else ()}
    if isinstance(node, Adjustment):
        return {"text": node.text, **_rule_fields(node.rule, deduction=False), "of": node.of, "cap": node.cap}
    if isinstance(node, AdjustmentGroup):
        return {"title": node.title, "text": node.text, "cap": node.cap}
    if isinstance(node, Grade):
        return {"text": node.text, "band": (node.low, node.high)}
    return {"text": node.text, "grade": node.grade}


def _rule_fields(rule: ClauseRule, deduction: bool) -> dict[str, Any]:
    """The kind, unit word and rate of ``rule`` (or its range, levels, or measure's way and bands), as the diff compares them.

    ``rate`` keeps language 1's convention (a clause's is the deduction); the others are signed as the rubric writes them.
    """
    fields: dict[str, Any] = {"kind": keyword(rule), "unit": None, "rate": None, "range": None, "levels": None, "measure": None}
    match rule:
        case Once(rate):
            fields["rate"] = -rate if deduction else rate
        case Each(rate, unit):
            fields.update(unit=unit, rate=-rate if deduction else rate)
        case Discretionary():
            pass
        case Ranged(low, high, _each, unit):
            fields.update(unit=unit, range=(low, high))
        case Levels(levels, _each, unit):
            fields.update(unit=unit, levels=tuple((lv.name, lv.low, lv.high) for lv in levels))
        case Measure(unit, way, bands):
            fields.update(unit=unit, measure=(way, tuple((b.threshold, b.step, b.rate) for b in bands)))
        case _:
            assert_never(rule)
    return fields


def _children(node: Node) -> tuple[tuple[str, str], ...]:
    if isinstance(node, Section):
        return (tuple(("clause", c.id) for c in node.clauses) + tuple(("item", i.id) for i in node.direct_items)
                + tuple(("topic", t.id) for t in node.topics))
    if isinstance(node, Topic):
        return tuple(("clause", c.id) for c in node.clauses) + tuple(("item", i.id) for i in node.items)
    if isinstance(node, Item):
        return tuple(("clause", c.id) for c in node.clauses)
    if isinstance(node, AdjustmentGroup):
        return tuple(("adjustment", a.id) for a in node.adjustments)
    return ()


def _descendants(entries: Mapping[tuple[str, str], _Entry], key: tuple[str, str]) -> Iterator[tuple[str, str]]:
    for child in _children(entries[key].node):
        yield child
        yield from _descendants(entries, child)


def _summary(node: Node) -> dict[str, Any]:
    """What an added or removed thing was: its fields, with its children's ids.

    Language 2's fields show only where they say something (an item that is earned, a clause with a
    range…), and a cap or own clauses of a section or topic only where it has them.
    """
    shown = {k: v for k, v in _fields(node).items() if k not in NEW_FIELDS or v != NEW_FIELDS[k]}
    if isinstance(node, Section | Topic) and node.cap is None:
        del shown["cap"]
    if isinstance(node, Item) and node.cap is None:
        del shown["cap"]
    if isinstance(node, Section | Topic) and node.clauses:
        shown["clauses"] = [c.id for c in node.clauses]
    if isinstance(node, Section):
        shown["items"] = [i.id for i in node.direct_items]
        shown["topics"] = [t.id for t in node.topics]
    elif isinstance(node, Topic):
        shown["items"] = [i.id for i in node.items]
    elif isinstance(node, Item):
        shown["clauses"] = [c.id for c in node.clauses]
    elif isinstance(node, AdjustmentGroup):
        shown["adjustments"] = [a.id for a in node.adjustments]
    return shown


def _changed(kind: Kind, ident: str | None, field: str, old: Any, new: Any) -> Change:
    if field in TEXT_FIELDS and isinstance(old, str) and isinstance(new, str):
        change: ChangeType = "renamed" if field == "title" and kind in ("section", "topic", "item", "group") else "changed"
        return Change(change, kind, ident, field, old, new, ops=wording_ops(old, new))
    return Change("changed", kind, ident, field, old, new)


def diff_rubrics(old: Rubric, new: Rubric) -> tuple[Change, ...]:
    """Every difference between ``old`` and ``new``, in rubric order (see the module docstring)."""
    changes: list[Change] = []
    old_fields, new_fields = _rubric_fields(old), _rubric_fields(new)
    for field, after in new_fields.items():
        if old_fields[field] != after:
            changes.append(_changed("rubric", None, field, old_fields[field], after))
    if [r.name for r in old.rules] != [r.name for r in new.rules] and {r.name for r in old.rules} == {r.name for r in new.rules}:
        changes.append(Change("reordered", "rubric", None, "rules", [r.name for r in old.rules], [r.name for r in new.rules]))
    old_rules = {r.name: r for r in old.rules}
    new_rules = {r.name: r for r in new.rules}
    for name, rule in old_rules.items():
        if name not in new_rules:
            changes.append(Change("removed", "rule", name, old={"text": rule.text}))
        elif new_rules[name].text != rule.text:
            changes.append(_changed("rule", name, "text", rule.text, new_rules[name].text))
    changes.extend(Change("added", "rule", name, new={"text": rule.text}) for name, rule in new_rules.items() if name not in old_rules)

    before, after = _entries(old), _entries(new)
    ordered: list[tuple[tuple[int, int, int], Change]] = []
    new_position = {key: n for n, key in enumerate(after)}
    anchor = -1
    for old_position, (key, entry) in enumerate(before.items()):
        if key in after:
            anchor = new_position[key]
            continue
        if entry.parent is not None and entry.parent not in after and entry.parent in before:
            continue  # folded into its removed container
        children = tuple(k[1] for k in _descendants(before, key) if k not in after)
        change = Change("removed", entry.kind, key[1], old=_summary(entry.node), parent=entry.parent, children=children)
        ordered.append(((anchor, 1, old_position), change))
    for position, (key, entry) in enumerate(after.items()):
        if key not in before:
            if entry.parent is not None and entry.parent not in before and entry.parent in after:
                continue
            children = tuple(k[1] for k in _descendants(after, key) if k not in before)
            change = Change("added", entry.kind, key[1], new=_summary(entry.node), parent=entry.parent, children=children)
            ordered.append(((position, 0, 0), change))
            continue
        was = before[key]
        found: list[Change] = []
        if was.parent != entry.parent:
            found.append(Change("moved", entry.kind, key[1], "parent", was.parent, entry.parent))
        old_fields, new_fields = _fields(was.node), _fields(entry.node)
        for field, value in new_fields.items():
            if old_fields[field] == value:
                continue
            if field == "owners" and old_fields[field] == was.parent_owners and value == entry.parent_owners:
                continue  # inherited from its parent on both sides: the parent's change says it
            if field == "levels" and old_fields[field] is not None and value is not None:
                found.extend(_levels(entry.kind, key[1], old_fields[field], value))
                continue
            found.append(_changed(entry.kind, key[1], field, old_fields[field], value))
        found.extend(_reordered(entry.kind, key[1], _children(was.node), _children(entry.node)))
        ordered.extend(((position, 0, 0), c) for c in found)
    ordered.sort(key=lambda pair: pair[0])
    changes.extend(c for _pos, c in ordered)
    changes.extend(_reordered("rubric", None, [("section", s.id) for s in old.sections], [("section", s.id) for s in new.sections]))
    changes.extend(_reordered("rubric", None, [("adjustment", a.id) for a in old.adjustments],
                              [("adjustment", a.id) for a in new.adjustments]))
    for field, old_ids, new_ids in (("groups", _group_ids(old), _group_ids(new)),
                                    ("grades", [g.name for g in old.grades], [g.name for g in new.grades]),
                                    ("vetoes", [v.id for v in old.vetoes], [v.id for v in new.vetoes])):
        kept_old = [i for i in old_ids if i in new_ids]
        kept_new = [i for i in new_ids if i in old_ids]
        if kept_old != kept_new:
            changes.append(Change("reordered", "rubric", None, field, kept_old, kept_new))
    return tuple(changes)


def _group_ids(rubric: Rubric) -> list[str]:
    return [g.id for g in rubric.adjustment_groups if g.id is not None]


LevelValue = tuple[str, Decimal, Decimal]


def _levels(kind: Kind, ident: str, old: tuple[LevelValue, ...], new: tuple[LevelValue, ...]) -> list[Change]:
    """Levels by name: one change for each level added (old null), removed (new null) or re-rated, then their order."""
    before = {name: (low, high) for name, low, high in old}
    after = {name: (low, high) for name, low, high in new}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) != after.get(name):
            changes.append(Change("changed", kind, ident, "level", _level(name, before.get(name)), _level(name, after.get(name))))
    kept_before = [name for name in before if name in after]
    kept_after = [name for name in after if name in before]
    if kept_before != kept_after:
        changes.append(Change("reordered", kind, ident, "levels", kept_before, kept_after))
    return changes


def _level(name: str, rate: tuple[Decimal, Decimal] | None) -> tuple[str, Decimal, Decimal] | None:
    return None if rate is None else (name, *rate)


def _reordered(kind: Kind, ident: str | None, old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> list[Change]:
    """Children kept on both sides but in another order (order decides 注1 ties and what 注2 cuts)."""
    changes = []
    for child_kind, field in (("topic", "topics"), ("item", "items"), ("clause", "clauses"),
                              ("section", "sections"), ("adjustment", "adjustments")):
        before = [k[1] for k in old if k[0] == child_kind]
        after = [k[1] for k in new if k[0] == child_kind]
        common = set(before) & set(after)
        kept_before = [i for i in before if i in common]
        kept_after = [i for i in after if i in common]
        if kept_before != kept_after:
            changes.append(Change("reordered", kind, ident, field, kept_before, kept_after))
    return changes


# -- replaying findings ----------------------------------------------------------


@attrs.frozen
class Moved:
    """One clause, item or adjustment whose deduction (or adjustment) differs between the rubrics."""

    id: str
    before: Decimal
    after: Decimal
    clauses: tuple[Moved, ...] = ()
    because: tuple[int, ...] = ()


@attrs.frozen
class MovedPart:
    """A section or topic whose own clauses, or the cut its cap makes, differ between the rubrics.

    ``before`` and ``after`` are what the whole part deducts; ``clauses`` its own clauses that moved,
    and ``cut`` what its cap cuts (0 where it cuts nothing) on each side.
    """

    kind: str
    id: str
    before: Decimal
    after: Decimal
    clauses: tuple[Moved, ...] = ()
    cut: tuple[Decimal, Decimal] = (ZERO, ZERO)
    because: tuple[int, ...] = ()


@attrs.frozen
class GradeMoved:
    """A unit's grade, or the vetoes that apply to it, differing between the rubrics."""

    before: str | None
    after: str | None
    vetoes_before: tuple[str, ...]
    vetoes_after: tuple[str, ...]
    because: tuple[int, ...] = ()


@attrs.frozen
class Impact:
    """One unit scored under both rubrics: the totals, and what moved them."""

    unit: str
    before: Report | None
    after: Report | None
    old_error: str | None = None
    new_error: str | None = None
    items: tuple[Moved, ...] = ()
    adjustments: tuple[Moved, ...] = ()
    because: tuple[int, ...] = ()
    parts: tuple[MovedPart, ...] = ()
    groups: tuple[Moved, ...] = ()
    grade: GradeMoved | None = None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return exact(self.after.total - self.before.total)


def _clause_amounts(report: Report) -> dict[str, Decimal]:
    """What each clause and adjustment finally counts for: its entries' sum, caps included."""
    amounts: dict[str, Decimal] = {}
    for clause, _item, _effect, amount in report.trace_amounts():
        amounts[clause] = amounts.get(clause, ZERO) + amount
    return amounts


def replay(old: Rubric, new: Rubric, document: Any, changes: Sequence[Change], source: str = "<findings>") -> Iterator[Impact]:
    """Score each unit of ``document`` under both rubrics and tie what moved to ``changes``, one unit at a time.

    Raises:
        FindingsError: the document is not findings, or a unit fits neither rubric (its message under ``old``).
    """
    return replay_units(old, new, ((m, 0, 0) for m in unit_mappings(document, source)), changes, source)


def replay_units(old: Rubric, new: Rubric, mappings: Iterable[tuple[Any, int, int]], changes: Sequence[Change],
                 source: str = "<findings>") -> Iterator[Impact]:
    """`replay` over unit mappings as they are read, each with the line offset and first-line column shift its positions are off by.

    Each unit is read, scored twice and compared before the next is read, and nothing of it is
    kept but its name (to refuse one given twice): memory stays flat however long the batch
    (`qlrules.io.stream.unit_mappings_of` reads a file that way).
    """
    from ..io.stream import shifted
    from ..scoring.evaluate import evaluate

    compare = _Comparison(old, new, changes)
    seen: set[str] = set()
    for mapping, offset, shift in mappings:
        units: list[Unit | None] = []
        errors: list[FindingsError | None] = []
        for rubric in (old, new):
            if units and units[0] is not None and compare.checks_alike(units[0]):
                units.append(units[0])  # the new rubric would check it to the very same unit
                errors.append(None)
                continue
            try:
                units.append(shifted(read_unit, offset, mapping, rubric, source, shift=shift))
                errors.append(None)
            except FindingsError as error:
                units.append(None)
                errors.append(error)
        if errors[0] is not None and errors[1] is not None:
            raise errors[0]
        unit = units[0] or units[1]
        assert unit is not None
        if unit.name in seen:
            raise FindingsError(_("the same unit name appears twice in this batch"), source=source, unit=unit.name)
        seen.add(unit.name)
        before = evaluate(old, units[0]) if units[0] is not None else None
        after = evaluate(new, units[1]) if units[1] is not None else None
        messages = [str(e) if e is not None else None for e in errors]
        if before is None or after is None:
            yield Impact(unit.name, before, after, messages[0], messages[1])
            continue
        yield compare.impact(unit, before, after)


class _Comparison:
    """What a unit's comparison needs of the two rubrics and the changes, worked out once for every unit."""

    def __init__(self, old: Rubric, new: Rubric, changes: Sequence[Change]) -> None:
        self.old, self.new, self.changes = old, new, changes
        self.by_key: dict[tuple[str, str | None], list[int]] = {}
        for n, change in enumerate(changes):
            self.by_key.setdefault(change.key, []).append(n)
        self.replacing: dict[str, set[str]] = {}
        for rubric in (old, new):
            for c in rubric.clauses:
                if isinstance(c.rule, Discretionary):
                    self.replacing.setdefault(c.id, set()).update(c.rule.replaces)
        self.adjustment_ids = list(dict.fromkeys([*(a.id for a in old.adjustments), *(a.id for a in new.adjustments)]))
        self.part_kind: dict[str, str] = {}
        self.part_clauses: dict[str, list[str]] = {}
        for rubric in (old, new):
            for section in rubric.sections:
                parts: list[tuple[str, Section | Topic]] = [("section", section), *(("topic", t) for t in section.topics)]
                for kind, part in parts:
                    self.part_kind.setdefault(part.id, kind)
                    known = self.part_clauses.setdefault(part.id, [])
                    known.extend(c.id for c in part.clauses if c.id not in known)
        self.groups: dict[str, list[str]] = {}
        for rubric in (old, new):
            for group in rubric.adjustment_groups:
                known = self.groups.setdefault(group.id or "", [])
                known.extend(a.id for a in group.adjustments if a.id not in known)
        self.alike = frozenset(ident for ident in old.clause_index
                               if ident in new.clause_index and _as_checked(old, ident) == _as_checked(new, ident))

    def checks_alike(self, unit: Unit) -> bool:
        """Whether the new rubric checks ``unit``'s findings (valid under the old one) exactly as the old did."""
        alike = self.alike
        return all(f.clause in alike for f in unit.findings)

    def impact(self, unit: Unit, before: Report, after: Report) -> Impact:
        return _impact(self, unit, before, after)


def _as_checked(rubric: Rubric, ident: str) -> tuple[Any, ...]:
    """What checking a finding reads of its clause, adjustment or veto (`qlrules.scoring.findings`):
    its kind, rule, ``of``, and the points of the part it deducts from (a discretionary amount's bound)."""
    target = rubric.clause_index[ident]
    item = target.item if isinstance(target, Clause) else None
    points = rubric.part_index[item].points if item is not None and item in rubric.part_index else None
    return type(target), getattr(target, "rule", None), getattr(target, "of", None), item, points


def _impact(compare: _Comparison, unit: Unit, before: Report, after: Report) -> Impact:
    old, new, changes, by_key, replacing = compare.old, compare.new, compare.changes, compare.by_key, compare.replacing
    old_amounts, new_amounts = _clause_amounts(before), _clause_amounts(after)
    old_items = {i.id: i.deducted for i in before.items}
    new_items = {i.id: i.deducted for i in after.items}
    # 注1 ties clauses that share a case: a change to one can move the case to or from the other.
    sharing: dict[str, set[str]] = {}
    holders: dict[str, set[str]] = {}
    for finding in unit.findings:
        for case in finding.cases:
            holders.setdefault(case, set()).add(finding.clause)
    for clauses in holders.values():
        for clause in clauses:
            sharing.setdefault(clause, set()).update(clauses - {clause})

    def causes(keys: Iterable[tuple[str, str | None]]) -> tuple[int, ...]:
        return tuple(sorted({n for key in keys for n in by_key.get(key, ())}))

    def clauses_of(item: str) -> list[str]:
        ids: dict[str, None] = {}
        for rubric in (old, new):
            if item in rubric.item_index:
                ids.update((c.id, None) for c in rubric.item_index[item].clauses)
        return list(ids)

    items: list[Moved] = []
    for item in dict.fromkeys([*old_items, *new_items]):
        was, now = old_items.get(item, ZERO), new_items.get(item, ZERO)
        if was == now:
            continue
        siblings = clauses_of(item)
        capped = any(effect == "item-cap" and on == item
                     for report in (before, after) for _c, on, effect, _a in report.trace_amounts())
        keys: list[tuple[str, str | None]] = [("item", item)]
        moved_clauses: list[Moved] = []
        for clause in siblings:
            a, b = old_amounts.get(clause, ZERO), new_amounts.get(clause, ZERO)
            if a == b:
                continue
            own: list[tuple[str, str | None]] = [("clause", clause), ("item", item)]
            # A replacing clause of the item decides which cases this one keeps.
            own.extend(("clause", c) for c in siblings if clause in replacing.get(c, ()))
            if sharing.get(clause):
                own.extend(("clause", c) for c in sorted(sharing[clause]))
                own.append(("rule", HIGHEST_PER_CASE))
            if capped:
                # 注2 cuts in rubric order: any sibling's change can move this clause's share.
                own.extend(("clause", c) for c in siblings)
                own.append(("rule", ITEM_CAP))
            moved_clauses.append(Moved(clause, a, b, because=causes(own)))
            keys.extend(own)
        items.append(Moved(item, was, now, tuple(moved_clauses), causes(keys)))
    adjustments = []
    for ident in compare.adjustment_ids:
        a, b = old_amounts.get(ident, ZERO), new_amounts.get(ident, ZERO)
        if a != b:
            adjustments.append(Moved(ident, a, b, because=causes([("adjustment", ident)])))
    total_keys: list[tuple[str, str | None]] = []
    if old.points != new.points:
        total_keys.append(("rubric", None))
    because = tuple(n for n in causes(total_keys) if changes[n].field == "points")
    return Impact(unit.name, before, after, items=tuple(items), adjustments=tuple(adjustments), because=because,
                  parts=_moved_parts(compare, before, after, old_amounts, new_amounts, causes),
                  groups=_moved_groups(compare, before, after, causes), grade=_moved_grade(compare, before, after))


Causes = Callable[[Iterable[tuple[str, str | None]]], tuple[int, ...]]


def _moved_parts(compare: _Comparison, before: Report, after: Report, old_amounts: Mapping[str, Decimal],
                 new_amounts: Mapping[str, Decimal], causes: Causes) -> tuple[MovedPart, ...]:
    """Sections and topics whose own clauses, or whose cap's cut, moved (their items are `Impact.items`)."""
    deducted = [{s.id: s.deducted for s in (*r.sections, *r.topics)} for r in (before, after)]
    cuts = [{clause: -amount for clause, _i, effect, amount in r.trace_amounts() if effect == "part-cap"} for r in (before, after)]
    parts = []
    for ident, kind in compare.part_kind.items():
        clauses = [Moved(c, old_amounts.get(c, ZERO), new_amounts.get(c, ZERO),
                         because=causes([("clause", c), (kind, ident)]))
                   for c in compare.part_clauses[ident] if old_amounts.get(c, ZERO) != new_amounts.get(c, ZERO)]
        cut = (cuts[0].get(ident, ZERO), cuts[1].get(ident, ZERO))
        if not clauses and cut[0] == cut[1]:
            continue
        keys: list[tuple[str, str | None]] = [(kind, ident), *(("clause", c.id) for c in clauses)]
        parts.append(MovedPart(kind, ident, deducted[0].get(ident, ZERO), deducted[1].get(ident, ZERO), tuple(clauses), cut,
                               causes(keys)))
    return tuple(parts)


def _moved_groups(compare: _Comparison, before: Report, after: Report, causes: Causes) -> tuple[Moved, ...]:
    """Adjustment groups whose net total moved: by their adjustments, or by their cap."""
    totals = [{g.id or "": g.total for g in r.adjustment_groups} for r in (before, after)]
    groups = []
    for ident, adjustments in compare.groups.items():
        was, now = totals[0].get(ident, ZERO), totals[1].get(ident, ZERO)
        if was != now:
            keys = [("group", ident or None), *(("adjustment", a) for a in adjustments)]
            groups.append(Moved(ident, was, now, because=causes(keys)))
    return tuple(groups)


def _moved_grade(compare: _Comparison, before: Report, after: Report) -> GradeMoved | None:
    """The grade, where it or the vetoes applying differ: tied to the grades' and the vetoes' changes."""
    if before.grade == after.grade and before.vetoes == after.vetoes:
        return None
    grades, vetoes = {before.grade, after.grade}, {*before.vetoes, *after.vetoes}
    because = tuple(n for n, change in enumerate(compare.changes)
                    if (change.kind == "grade" and change.id in grades) or (change.kind == "veto" and change.id in vetoes)
                    or (change.kind == "rubric" and change.field in ("grades", "points")))
    return GradeMoved(before.grade, after.grade, before.vetoes, after.vetoes, because)


# -- rendering -------------------------------------------------------------------


def _kind_name(kind: str) -> str:
    names = {"rubric": _("rubric"), "rule": _("rule"), "section": _("section"), "topic": _("topic"),
             "item": _("item"), "clause": _("clause"), "adjustment": _("adjustment"), "group": _("adjustment group"),
             "grade": _("grade"), "veto": _("veto")}
    return names.get(kind, kind)


def _change_name(change: str) -> str:
    names = {"added": _("added"), "removed": _("removed"), "renamed": _("renamed"), "moved": _("moved"),
             "changed": _("changed"), "reordered": _("reordered")}
    return names.get(change, change)


def _field_name(field: str) -> str:
    names = {"title": _("title"), "points": _("points"), "owners": _("owners"), "text": _("wording"),
             "kind": _("kind"), "unit": _("unit word"), "rate": _("rate"), "of": _("of"), "cap": _("cap"),
             "replaces": _("replaces"), "parent": _("parent"), "year": _("year"), "edition": _("edition"),
             "adjustments_title": _("adjustments title"), "adjustments_text": _("adjustments wording"),
             "clauses": _("clause order"), "items": _("item order"), "topics": _("topic order"),
             "sections": _("section order"), "adjustments": _("adjustment order"), "rules": _("rule order"),
             "earned": _("earned"), "range": _("range"), "levels": _("level order"), "measure": _("measure"),
             "band": _("bounds"), "grade": _("grade"), "adjustments_cap": _("adjustments cap"),
             "grades_title": _("grades title"), "vetoes_title": _("vetoes title"), "vetoes_text": _("vetoes wording"),
             "groups": _("group order"), "grades": _("grade order"), "vetoes": _("veto order")}
    return names.get(field, field)


def _what(change: Change) -> str:
    if change.kind == "rubric":
        return _kind_name("rubric")
    return f"{_kind_name(change.kind)} {change.id}"


def _show(change: Change, field: str, value: Any) -> str:
    """A field's value as an author writes it: −0.5 for a deduction, +1 for a bonus, — for nothing."""
    if value is None:
        return "—"
    if field == "rate" and isinstance(value, Decimal):
        return rate(-value if change.kind == "clause" else value)  # a clause's is the deduction: an award shows +
    if field == "earned":
        return "earned" if value else "—"
    if field == "range":
        return rate_range(*value)
    if field == "level":
        return _level_rate(value[1], value[2])
    if field == "measure":
        return _measure_text(value)
    if field == "band":
        return _band_text(*value)
    if isinstance(value, Decimal):
        return plain(value)
    if field == "parent" and isinstance(value, tuple):
        return f"{_kind_name(value[0])} {value[1]}"
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) if value else "—"
    return str(value)


def _level_rate(low: Decimal, high: Decimal) -> str:
    return rate(low) if low == high else rate_range(low, high)


def _measure_text(value: tuple[str, tuple[tuple[Decimal, Decimal | None, Decimal], ...]]) -> str:
    """``below 96 per 1 −0.25, below 90 per 1 −0.5``, ``tiers at least 10 −2, at least 5 −1``."""
    way, bands = value
    words = ", ".join(band_source(way, Band(threshold, step=step, rate=amount)) for threshold, step, amount in bands)
    return f"tiers {words}" if way in ("at-least", "at-most") else words


def _band_text(low: Decimal | None, high: Decimal | None) -> str:
    """A grade's bounds as the language writes them: ``at least 90``, ``from 76 to 89``."""
    return grade_band(Grade("", "", _NOWHERE, low, high))


_NOWHERE = Span(0, 0, 0, 0)


def _rule_text(node: Mapping[str, Any], kind: str) -> str:
    """A clause or adjustment's rule as the language writes it (`qlrules.language.unparse`): ``each 项 −0.5 of 3``."""
    if kind not in ("clause", "adjustment"):
        return ""
    rate = node.get("rate")
    signed_rate = (-rate if kind == "clause" else rate) if rate is not None else None  # a clause's rate is reported as the deduction
    each = node["kind"] == "each"
    rule: ClauseRule
    if node.get("range") is not None:
        low, high = node["range"]
        rule = Ranged(low, high, each=each, unit=node.get("unit"))
    elif node.get("levels") is not None:
        rule = Levels(tuple(Level(*lv) for lv in node["levels"]), each=each, unit=node.get("unit"))
    elif node.get("measure") is not None:
        way, bands = node["measure"]
        rule = Measure(node["unit"], way, tuple(Band(t, step=st, rate=r) for t, st, r in bands))
    elif node["kind"] == "discretionary" or signed_rate is None:
        rule = Discretionary(tuple(node.get("replaces") or ()))
    elif node["kind"] == "each":
        rule = Each(signed_rate, node.get("unit"))
    else:
        rule = Once(signed_rate)
    return rule_source(rule) + modifiers(node.get("of"), node.get("cap"))


def detail(change: Change, context: int = 8) -> str:
    """The change in one line, for a table cell."""
    if change.change in ("added", "removed"):
        node = change.new if change.change == "added" else change.old
        bits = []
        if "title" in node:
            bits.append(f"“{node['title']}”")
        if "points" in node:
            bits.append(_("{points} points").format(points=plain(node["points"])))
        if node.get("earned"):
            bits.append("earned")
        if change.kind in ("section", "topic", "item", "group") and node.get("cap") is not None:
            bits.append(f"cap {plain(node['cap'])}")
        if "text" in node and change.kind in ("clause", "adjustment", "rule", "grade", "veto"):
            bits.append(f"“{node['text']}”")
        rule = _rule_text(node, change.kind)
        if rule:
            bits.append(rule)
        if change.kind == "grade":
            bits.append(_band_text(*node["band"]))
        if change.kind == "veto":
            bits.append(f"veto {node['grade']}")
        if change.parent is not None:
            bits.append(_("in {parent}").format(parent=_show(change, "parent", change.parent)))
        if change.children:
            bits.append(_("with {children}").format(children=", ".join(change.children)))
        return ", ".join(bits)
    field = change.field or ""
    if change.ops is not None:
        return f"{_field_name(field)}: {inline(change.ops, context)}"
    if field == "level":
        if change.old is None:
            return _("level {name} added: {rate}").format(name=change.new[0], rate=_show(change, field, change.new))
        if change.new is None:
            return _("level {name} removed: {rate}").format(name=change.old[0], rate=_show(change, field, change.old))
        return _("level {name}: {old} → {new}").format(
            name=change.new[0], old=_show(change, field, change.old), new=_show(change, field, change.new))
    return f"{_field_name(field)}: {_show(change, field, change.old)} → {_show(change, field, change.new)}"


def _refs(because: Sequence[int]) -> str:
    return " ".join(f"[{n + 1}]" for n in because)


def _moved_lines(impact: Impact) -> list[str]:
    """What moved a unit's total, one line per item or adjustment, citing the numbered changes."""
    lines = []
    for item in impact.items:
        parts = [_("item {item} deducts {before} → {after}").format(item=item.id, before=plain(item.before), after=plain(item.after))]
        if item.clauses:
            parts.append("(" + ", ".join(f"{c.id} {plain(c.before)} → {plain(c.after)}" for c in item.clauses) + ")")
        if item.because:
            parts.append(_refs(item.because))
        lines.append(" ".join(parts))
    for adjustment in impact.adjustments:
        lines.append(" ".join(p for p in (f"{adjustment.id} {_signed(adjustment.before)} → {_signed(adjustment.after)}", _refs(adjustment.because)) if p))
    for part in impact.parts:
        parts = [_("{kind} {part} deducts {before} → {after}").format(kind=_kind_name(part.kind), part=part.id,
                                                                     before=plain(part.before), after=plain(part.after))]
        shown = [f"{c.id} {plain(c.before)} → {plain(c.after)}" for c in part.clauses]
        if part.cut[0] != part.cut[1]:
            shown.append(_("its cap cuts {before} → {after}").format(before=plain(part.cut[0]), after=plain(part.cut[1])))
        parts.append("(" + ", ".join(shown) + ")")
        if part.because:
            parts.append(_refs(part.because))
        lines.append(" ".join(parts))
    for group in impact.groups:
        text = _("adjustment group {group} {before} → {after}").format(
            group=group.id or "—", before=_signed(group.before), after=_signed(group.after))
        lines.append(" ".join(p for p in (text, _refs(group.because)) if p))
    if impact.grade is not None:
        lines.append(" ".join(p for p in (_grade_line(impact.grade), _refs(impact.grade.because)) if p))
    if impact.because:
        lines.append(_("rubric points {refs}").format(refs=_refs(impact.because)))
    if impact.old_error is not None:
        lines.append(_("does not fit the old rubric: {message}").format(message=impact.old_error))
    if impact.new_error is not None:
        lines.append(_("does not fit the new rubric: {message}").format(message=impact.new_error))
    return lines


def _grade_line(grade: GradeMoved) -> str:
    """The grade before and after, and the vetoes that newly apply or no longer do."""
    parts = [_("grade {before} → {after}").format(before=grade.before or "—", after=grade.after or "—")]
    parts.extend(_("veto {veto} applies").format(veto=v) for v in grade.vetoes_after if v not in grade.vetoes_before)
    parts.extend(_("veto {veto} no longer applies").format(veto=v) for v in grade.vetoes_before if v not in grade.vetoes_after)
    return "; ".join(parts)


def _signed(number: Decimal) -> str:
    return f"+{plain(number)}" if number > 0 else ("−" + plain(-number) if number < 0 else "0")


def _total(report: Report | None) -> str:
    return "—" if report is None else plain(report.total)


def _delta(impact: Impact) -> str:
    return "—" if impact.delta is None else _signed(impact.delta)


def to_table(old: Rubric, new: Rubric, changes: Sequence[Change], impacts: Iterable[Impact] | None = None,
             findings: str | None = None, width: int | None = None) -> str:
    """For a terminal: numbered changes, then each unit's totals before and after."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    console = Console(file=out, width=width or 100, force_terminal=False, color_system=None, soft_wrap=False)
    console.print(Text(f"{old.source} → {new.source}"))
    if not changes:
        console.print(_("no differences"))
    else:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("#", justify="right")
        table.add_column(_("change"))
        table.add_column(_("what"), no_wrap=True)
        table.add_column(_("detail"), overflow="fold")
        for n, change in enumerate(changes, 1):
            table.add_row(str(n), _change_name(change.change), Text(_what(change)), Text(detail(change)))
        console.print(table)
    if impacts is not None:
        console.print()
        console.print(Text(_("Scores of {findings} under both rubrics").format(findings=findings or "findings")))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column(_("unit"))
        table.add_column(_("before"), justify="right")
        table.add_column(_("after"), justify="right")
        table.add_column(_("difference"), justify="right")
        table.add_column(_("moved by"), overflow="fold")
        # Only each unit's row is kept (a table's columns need every row), not its reports.
        rows = [(impact.unit, _total(impact.before), _total(impact.after), _delta(impact),
                 "\n".join(_moved_lines(impact)) or _("unchanged")) for impact in impacts]
        for unit, before, after, delta, moved in rows:
            table.add_row(Text(unit), before, after, delta, Text(moved))
        console.print(table)
    return out.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(old: Rubric, new: Rubric, changes: Sequence[Change], impacts: Iterable[Impact] | None = None,
                findings: str | None = None) -> str:
    """For pasting into a review: a table of numbered changes, wording diffs in code spans, then the scores."""
    out = io.StringIO()
    write_markdown(out, old, new, changes, impacts, findings)
    return out.getvalue()


def write_markdown(out: IO[str], old: Rubric, new: Rubric, changes: Sequence[Change], impacts: Iterable[Impact] | None = None,
                   findings: str | None = None) -> None:
    """`to_markdown` into ``out``, a unit's row written as soon as it is replayed."""
    heading = _("Rubric changes: {old} → {new}").format(old=f"`{old.source}`", new=f"`{new.source}`")
    lines = [f"### {heading}", ""]
    if not changes:
        lines.append(_("no differences"))
    else:
        lines += [_row(["#", _("change"), _("what"), _("detail")]), "|---:|---|---|---|"]
        for n, change in enumerate(changes, 1):
            if change.ops is not None:
                text = f"{_field_name(change.field or '')}: {_code(inline(change.ops, 12))}"
            else:
                text = detail(change)
            lines.append(_row([str(n), _change_name(change.change), _what(change), text]))
    if impacts is not None:
        heading = _("Scores of {findings} under both rubrics").format(findings=f"`{findings}`" if findings else "findings")
        lines += ["", f"### {heading}", ""]
        lines += [_row([_("unit"), _("before"), _("after"), _("difference"), _("moved by")]), "|---|---:|---:|---:|---|"]
    out.write("".join(line + "\n" for line in lines))
    for impact in impacts or ():
        moved = "\n".join(_moved_lines(impact)) or _("unchanged")
        out.write(_row([impact.unit, _total(impact.before), _total(impact.after), _delta(impact), moved]) + "\n")


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _json_field(field: str | None, value: Any) -> Any:
    """A field's value in JSON: language 2's compound values as objects (see the module docstring)."""
    if value is None:
        return None
    if field == "parent":
        return _parent(value)
    if field in ("range", "band"):
        return {"low": _json_value(value[0]), "high": _json_value(value[1])}
    if field == "level":
        return {"name": value[0], "low": exact(value[1]), "high": exact(value[2])}
    if field == "levels" and value and isinstance(value[0], tuple):
        return [_json_field("level", lv) for lv in value]
    if field == "measure":
        return {"way": value[0], "bands": [{"threshold": exact(t), "step": _json_value(st), "rate": exact(r)} for t, st, r in value[1]]}
    if field is None and isinstance(value, dict):  # an added or removed thing's summary
        return {k: _json_field(k, v) for k, v in value.items()}
    return _json_value(value)


def change_dict(change: Change) -> dict[str, Any]:
    """One change in the JSON shape of the module docstring."""
    return {
        "change": change.change,
        "kind": change.kind,
        "id": change.id,
        "field": change.field,
        "old": _json_field(change.field, change.old),
        "new": _json_field(change.field, change.new),
        "parent": _parent(change.parent),
        "children": list(change.children),
        "diff": inline(change.ops) if change.ops is not None else None,
        "ops": [list(op) for op in change.ops] if change.ops is not None else None,
    }


def _parent(value: Any) -> dict[str, str] | None:
    return {"kind": value[0], "id": value[1]} if value else None


def impact_dict(impact: Impact) -> dict[str, Any]:
    """One unit's replay in the JSON shape of the module docstring."""

    def moved(m: Moved, name: str) -> dict[str, Any]:
        shown: dict[str, Any] = {name: m.id, "before": exact(m.before), "after": exact(m.after)}
        if name == "item":
            shown["clauses"] = [{"clause": c.id, "before": exact(c.before), "after": exact(c.after)} for c in m.clauses]
        shown["because"] = list(m.because)
        return shown

    return {
        "unit": impact.unit,
        "before": impact.before.total if impact.before else None,
        "after": impact.after.total if impact.after else None,
        "delta": impact.delta,
        "errors": {"old": impact.old_error, "new": impact.new_error},
        "items": [moved(m, "item") for m in impact.items],
        "adjustments": [moved(m, "adjustment") for m in impact.adjustments],
        "parts": [{"part": p.id, "kind": p.kind, "before": exact(p.before), "after": exact(p.after),
                   "clauses": [{"clause": c.id, "before": exact(c.before), "after": exact(c.after), "because": list(c.because)}
                               for c in p.clauses],
                   "cut": {"before": exact(p.cut[0]), "after": exact(p.cut[1])}, "because": list(p.because)}
                  for p in impact.parts],
        "groups": [{"group": g.id or None, "before": exact(g.before), "after": exact(g.after), "because": list(g.because)}
                   for g in impact.groups],
        "grade": None if impact.grade is None else {
            "before": impact.grade.before, "after": impact.grade.after,
            "vetoes": {"before": list(impact.grade.vetoes_before), "after": list(impact.grade.vetoes_after)},
            "because": list(impact.grade.because)},
        "because": list(impact.because),
    }


def to_json(old: Rubric, new: Rubric, changes: Sequence[Change], impacts: Iterable[Impact] | None = None) -> str:
    """The stable machine shape of the module docstring."""
    out = io.StringIO()
    write_json(out, old, new, changes, impacts)
    return out.getvalue()


def write_json(out: IO[str], old: Rubric, new: Rubric, changes: Sequence[Change], impacts: Iterable[Impact] | None = None) -> None:
    """`to_json` into ``out``, a unit written as soon as it is replayed (indented as the whole would be)."""
    from ..render.json import dumps

    document: dict[str, Any] = {
        "old": {"source": old.source, "title": old.title, "sha256": old.sha256},
        "new": {"source": new.source, "title": new.title, "sha256": new.sha256},
        "changes": [change_dict(c) for c in changes],
    }
    head = dumps(document)
    if impacts is None:
        out.write(head + "\n")
        return
    out.write(head.removesuffix("\n}") + ',\n  "units": [')
    count = 0
    for impact in impacts:
        text = dumps(impact_dict(impact))
        out.write(("\n" if count == 0 else ",\n") + "\n".join("    " + line for line in text.split("\n")))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
