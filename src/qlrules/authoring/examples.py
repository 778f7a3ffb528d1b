"""`qlrules test`: a rubric's worked examples run as tests, and the clauses they leave unexercised.

A rubric ``NAME.qlr`` may have examples beside it, in ``NAME.examples.yaml``: a
YAML list of units, each a findings unit (docs/scoring.md, “Findings documents”: ``unit:`` and
``findings:``) with one more key, ``expect:``, saying what the scorer must give::

    - unit: 市财政局
      findings:
        - {clause: 0.1a, count: 1}
      expect:
        total: 99.5              # required: the unit's total
        items: {0.1: 0.5}        # optional: item id -> what the item DEDUCTS
        sections: {S0: 4.5}      # optional: section id -> the section's SCORE

Items are given by what they deduct because that is what their clauses say
("每项扣0.5分"); sections by their score because that is what the report's
section table shows. Items and sections left out are not checked. Ids may be
written bare (``0.1``, ``6.1``): in ``expect:`` (and only as mapping keys) a
number-looking key is read as the text written, so ``6.10`` stays ``6.10``.
Unit names are unique within a file: they name failures.

An example passes when every expected number equals the report's exactly.
Coverage counts what the examples exercise (the trace of their reports):

- a clause is exercised when some example deducts on it (a ``deducted``
  trace entry with an amount above 0); an adjustment, when some example
  applies it (an ``adjusted`` entry with a non-zero amount);
- each rubric-wide rule the rubric declares: 注1 ``highest-per-case`` by a
  ``removed`` entry, 注2 ``item-cap`` by an ``item-cap`` entry;
- each replacing clause (``replaces``) by a ``replaced`` entry it caused;
- each clause or adjustment cap by a ``clause-cap`` / ``adjustment-cap`` entry.

Coverage is complete when all of these are exercised. ``qlrules test`` exits
1 when an example fails, an examples file is invalid, or a rubric does not
compile; with ``--strict-coverage`` also when coverage is incomplete (a rubric
without examples then counts as uncovered). A rubric without an examples file
is reported as having no examples and, without ``--strict-coverage``, is not an
error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import FindingsError, InputError, QlrulesError, RubricError
from ..i18n import _
from ..io.documents import Located
from ..io.text import decode, read_bytes
from ..model import HIGHEST_PER_CASE, ITEM_CAP, Discretionary, Rubric, Rule
from ..numbers import plain, signed
from ..scoring.findings import Unit, read_unit
from ..scoring.report import Report, TraceEntry

#: The keys of an example: a findings unit's, plus what is expected of it.
EXAMPLE_KEYS = ("unit", "findings", "expect")
EXPECT_KEYS = ("total", "items", "sections", "topics", "grade", "vetoes", "groups")

#: ``grade:`` not written in an example (``grade: null`` expects no grade).
_UNSAID = "\0unsaid"
SUFFIX = ".examples.yaml"


@attrs.frozen
class Expect:
    """What an example says the scorer gives: the total, and some items' deductions and sections' scores."""

    total: Decimal
    items: tuple[tuple[str, Decimal], ...] = ()
    sections: tuple[tuple[str, Decimal], ...] = ()
    topics: tuple[tuple[str, Decimal], ...] = ()
    grade: str | None = _UNSAID
    vetoes: tuple[str, ...] | None = None
    groups: tuple[tuple[str | None, Decimal], ...] = ()


@attrs.frozen
class Example:
    """One checked example: a unit of findings and what it must score."""

    unit: Unit
    expect: Expect
    source: str
    line: int | None = None


@attrs.frozen
class Mismatch:
    """One expected number the report does not give, with the trace entries that explain the real one."""

    what: Literal["total", "item", "section", "topic", "grade", "vetoes", "group"]
    id: str | None
    expected: Any
    got: Any
    trace: tuple[TraceEntry, ...]


@attrs.frozen
class Outcome:
    """An example run: its report and what did not match."""

    example: Example
    report: Report
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


@attrs.frozen
class Coverage:
    """What a rubric's examples exercise, and what they leave out (ids in rubric order)."""

    clauses: int
    adjustments: int
    unexercised_clauses: tuple[str, ...]
    unexercised_adjustments: tuple[str, ...]
    rules: tuple[tuple[Rule, bool], ...]
    replacing: tuple[tuple[str, bool], ...]
    caps: tuple[tuple[str, bool], ...]
    vetoes: int = 0
    unexercised_vetoes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return (
            not self.unexercised_clauses
            and not self.unexercised_adjustments
            and not self.unexercised_vetoes
            and all(done for _rule, done in self.rules)
            and all(done for _id, done in self.replacing)
            and all(done for _id, done in self.caps)
        )


# -- reading ---------------------------------------------------------------


def examples_path(rubric_path: str | Path) -> Path:
    """Where the examples of ``NAME.qlr`` live: ``NAME.examples.yaml`` beside it."""
    path = Path(rubric_path)
    return path.with_name(path.stem + SUFFIX)


def _loader() -> type:
    """The findings loader (positions, exact decimals, no duplicate keys), reading numeric keys as text.

    Without this, ``items: {6.1: 10}`` would have the key 6.1 as a number, and
    ``6.10`` would lose its zero; authors write ids bare, as the rubric does.
    """
    import yaml

    from ..io.documents import yaml_loader

    base: Any = yaml_loader()
    construct_located = base.yaml_constructors["tag:yaml.org,2002:map"]
    numeric = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

    class Loader(base):  # type: ignore[misc]
        """Findings YAML whose bare numeric mapping keys stay as written."""

    def construct_mapping(loader: Any, node: Any) -> Any:
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in numeric and not key_node.style:
                key_node.tag = "tag:yaml.org,2002:str"
        return construct_located(loader, node)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return Loader


def parse_examples(data: bytes | str, source: str) -> Any:
    """Parse an examples file (YAML, UTF-8 with or without BOM) into plain data with positions."""
    from ..io.documents import parse_yaml

    text = decode(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return parse_yaml(text, source, _loader())


def read_examples(path: str | Path, rubric: Rubric) -> tuple[Example, ...]:
    """Read and check the examples file at ``path`` against ``rubric``.

    Raises:
        InputError: the file cannot be read.
        FindingsError: the file is not a list of examples, or an example's findings or expectations
            do not fit the rubric (naming the unit and the line).
    """
    return load_examples(parse_examples(read_bytes(path, "examples"), str(path)), rubric, str(path))


def load_examples(document: Any, rubric: Rubric, source: str = "<examples>") -> tuple[Example, ...]:
    """Check parsed examples against ``rubric`` (see the module docstring for the shape)."""
    if document is None:
        return ()
    if not isinstance(document, list):
        raise FindingsError(_("an examples file is a list of units, each with unit:, findings: and expect:"), source=source)
    examples: list[Example] = []
    seen: set[str] = set()
    for number, mapping in enumerate(document, 1):
        example = _example(number, mapping, rubric, source, document)
        if example.unit.name in seen:
            raise FindingsError(_("the same unit name appears twice in these examples"), source=source,
                                unit=example.unit.name, line=example.line)
        seen.add(example.unit.name)
        examples.append(example)
    return tuple(examples)


def _position(mapping: Any, key: str | None = None) -> tuple[int | None, int | None]:
    if isinstance(mapping, Located):
        return mapping.position(key)
    return None, None


def _example(number: int, mapping: Any, rubric: Rubric, source: str, document: Any) -> Example:
    where = _("example {number}").format(number=number)
    if not isinstance(mapping, Mapping):
        positions = getattr(document, "positions", None)
        line, column = positions[number - 1] if positions else (None, None)
        raise FindingsError(_("an example is a mapping with unit:, findings: and expect:"), source=source, where=where,
                            line=line, column=column)
    name = mapping.get("unit") if isinstance(mapping.get("unit"), str) else None
    for key in mapping:
        if key not in EXAMPLE_KEYS:
            line, column = _position(mapping, key)
            raise FindingsError(_("unknown key {key!r}; an example has {keys}").format(key=key, keys=", ".join(EXAMPLE_KEYS)),
                                source=source, unit=name, where=where, line=line, column=column)
    if "expect" not in mapping:
        line, column = _position(mapping)
        raise FindingsError(_("missing expect: what the unit must score (at least its total:)"), source=source, unit=name,
                            where=where, line=line, column=column)
    unit_mapping: dict[str, Any]
    if isinstance(mapping, Located):
        located = Located((k, v) for k, v in mapping.items() if k != "expect")
        located.line, located.column = mapping.line, mapping.column
        located.value_positions = {k: v for k, v in mapping.value_positions.items() if k != "expect"}
        unit_mapping = located
    else:
        unit_mapping = {k: v for k, v in mapping.items() if k != "expect"}
    unit = read_unit(unit_mapping, rubric, source)
    expect = _expect(mapping, rubric, source, unit.name)
    line, _column = _position(mapping)
    return Example(unit, expect, source, line)


def _expect(mapping: Mapping[str, Any], rubric: Rubric, source: str, unit: str) -> Expect:
    raw = mapping["expect"]

    def fail(message: str, at: Any, key: str | None = None) -> FindingsError:
        line, column = _position(at, key)
        return FindingsError(message, source=source, unit=unit, where="expect", line=line, column=column)

    if not isinstance(raw, Mapping):
        raise fail(_("expect: is a mapping with total: and, optionally, items: and sections:"), mapping, "expect")
    for key in raw:
        if key not in EXPECT_KEYS:
            raise fail(_("unknown key {key!r}; expect: has {keys}").format(key=key, keys=", ".join(EXPECT_KEYS)), raw, key)
    if "total" not in raw:
        raise fail(_("missing total: the unit's expected total"), raw)

    def number(value: Any, at: Any, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise fail(_("{key}: expected a number like 97.5; found {value!r}").format(key=key, value=value), at, key)
        return Decimal(value)

    total = number(raw["total"], raw, "total")
    parts: dict[str, tuple[tuple[str, Decimal], ...]] = {}
    groups = {g.id: g for g in rubric.adjustment_groups if g.id is not None}
    for key, known, kind in (("items", rubric.item_index, _("item")), ("sections", {s.id: s for s in rubric.sections}, _("section")),
                             ("topics", {t.id: t for t in rubric.topics}, _("topic")), ("groups", groups, _("adjustment group"))):
        given = raw.get(key)
        if given is None:
            parts[key] = ()
            continue
        if not isinstance(given, Mapping):
            raise fail(_("{key}: is a mapping of ids to numbers, like {{6.1: 10}}").format(key=key), raw, key)
        pairs = []
        for ident, value in given.items():
            ident = str(ident)
            if ident not in known:
                import difflib

                close = difflib.get_close_matches(ident, list(known), n=3, cutoff=0.5)
                hint = _(" (did you mean {words}?)").format(words=_(" or ").join(close)) if close else ""
                raise fail(_("unknown {kind} {ident!r}{hint}").format(kind=kind, ident=ident, hint=hint), given, ident)
            pairs.append((ident, number(value, given, ident)))
        parts[key] = tuple(pairs)
    grade = raw.get("grade", _UNSAID)
    if grade is not None and grade != _UNSAID and grade not in [g.name for g in rubric.grades]:
        raise fail(_("unknown grade {grade!r}; the grades are {grades}").format(grade=grade, grades="、".join(g.name for g in rubric.grades) or "—"), raw, "grade")
    vetoes = raw.get("vetoes")
    if vetoes is not None:
        known_vetoes = [v.id for v in rubric.vetoes]
        if not isinstance(vetoes, list) or any(str(v) not in known_vetoes for v in vetoes):
            raise fail(_("vetoes: is a list of the rubric's veto ids ({vetoes})").format(vetoes=", ".join(known_vetoes) or "—"), raw, "vetoes")
        vetoes = tuple(str(v) for v in vetoes)
    return Expect(total, parts["items"], parts["sections"], parts["topics"], grade, vetoes, parts["groups"])


# -- running -------------------------------------------------------------


def run_example(rubric: Rubric, example: Example) -> Outcome:
    """Score one example and compare the report with what it expects."""
    from ..scoring.evaluate import evaluate

    report = evaluate(rubric, example.unit)
    mismatches: list[Mismatch] = []
    expect = example.expect
    if report.total != expect.total:
        mismatches.append(Mismatch("total", None, expect.total, report.total, report.trace))
    items = {i.id: i for i in report.items}
    for ident, deducted in expect.items:
        got = items[ident].deducted
        if got != deducted:
            mismatches.append(Mismatch("item", ident, deducted, got, tuple(e for e in report.trace if e.item == ident)))
    sections = {s.id: s for s in report.sections}
    by_section = {s.id: {i.id for i in s.items} for s in rubric.sections}
    for ident, score in expect.sections:
        got = sections[ident].score
        if got != score:
            trace = tuple(e for e in report.trace if e.item in by_section[ident] or e.item == ident)
            mismatches.append(Mismatch("section", ident, score, got, trace))
    topics = {t.id: t for t in report.topics}
    by_topic = {t.id: {i.id for i in t.items} | {t.id} for t in rubric.topics}
    for ident, score in expect.topics:
        if topics[ident].score != score:
            mismatches.append(Mismatch("topic", ident, score, topics[ident].score, tuple(e for e in report.trace if e.item in by_topic[ident])))
    if expect.grade != _UNSAID and report.grade != expect.grade:
        mismatches.append(Mismatch("grade", None, expect.grade, report.grade, tuple(e for e in report.trace if e.effect in ("vetoed", "ungraded"))))
    if expect.vetoes is not None and report.vetoes != expect.vetoes:
        mismatches.append(Mismatch("vetoes", None, expect.vetoes, report.vetoes, tuple(e for e in report.trace if e.effect == "vetoed")))
    group_totals = {g.id: g.total for g in report.adjustment_groups}
    members = {g.id: {a.id for a in g.adjustments} | {g.id or ""} for g in rubric.adjustment_groups}
    for group_id, group_total in expect.groups:
        if group_totals.get(group_id) != group_total:
            mismatches.append(Mismatch("group", group_id, group_total, group_totals.get(group_id),
                                       tuple(e for e in report.trace if e.clause in members[group_id])))
    return Outcome(example, report, tuple(mismatches))


def run_examples(rubric: Rubric, examples: Iterable[Example]) -> tuple[Outcome, ...]:
    """Run every example; failures do not stop the others."""
    return tuple(run_example(rubric, e) for e in examples)


def coverage(rubric: Rubric, reports: Iterable[Report]) -> Coverage:
    """What the reports' traces exercise of ``rubric`` (the definitions are in the module docstring)."""
    deducted: set[str] = set()
    adjusted: set[str] = set()
    effects: set[str] = set()
    replaced_by: set[str] = set()
    capped: set[str] = set()
    vetoed: set[str] = set()
    for report in reports:
        for entry in report.trace:
            effects.add(entry.effect)
            if entry.effect in ("deducted", "awarded") and entry.amount != 0:
                deducted.add(entry.clause)
            elif entry.effect == "adjusted" and entry.amount != 0:
                adjusted.add(entry.clause)
            elif entry.effect == "replaced" and entry.by is not None:
                replaced_by.add(entry.by)
            elif entry.effect in ("clause-cap", "adjustment-cap", "part-cap", "group-cap"):
                capped.add(entry.clause)
            elif entry.effect == "item-cap" and entry.item is not None:
                capped.add(entry.item)
            elif entry.effect == "vetoed":
                vetoed.add(entry.clause)
    witness = {HIGHEST_PER_CASE: "removed", ITEM_CAP: "item-cap"}
    capping = ([c.id for c in rubric.clauses if c.cap is not None] + [a.id for a in rubric.adjustments if a.cap is not None]
               + [p.id for p in rubric.part_index.values() if p.cap is not None]
               + [g.id for g in rubric.adjustment_groups if g.cap is not None and g.id is not None])
    return Coverage(
        clauses=len(rubric.clauses),
        adjustments=len(rubric.adjustments),
        unexercised_clauses=tuple(c.id for c in rubric.clauses if c.id not in deducted),
        unexercised_adjustments=tuple(a.id for a in rubric.adjustments if a.id not in adjusted),
        rules=tuple((r, witness.get(r.name) in effects) for r in rubric.rules if r.name in witness),
        replacing=tuple((c.id, c.id in replaced_by) for c in rubric.clauses if isinstance(c.rule, Discretionary) and c.rule.replaces),
        caps=tuple((ident, ident in capped) for ident in capping),
        vetoes=len(rubric.vetoes),
        unexercised_vetoes=tuple(v.id for v in rubric.vetoes if v.id not in vetoed),
    )


# -- rendering -------------------------------------------------------------


def _effect(effect: str) -> str:
    names = {
        "deducted": _("deducted"), "adjusted": _("adjusted"), "replaced": _("replaced"), "removed": _("removed by highest-per-case"),
        "clause-cap": _("clause cap"), "item-cap": _("item cap"), "adjustment-cap": _("adjustment cap"),
    }
    return names.get(effect, effect)


def _show(value: Any) -> str:
    """A grade or a list of vetoes as a person reads it: 优秀, —, V1, V2."""
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return ", ".join(value) or "—"
    return str(value)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_entry(entry: TraceEntry) -> str:
    """One trace entry in rubric terms: clause, what happened, amount, why, and the clause's wording."""
    parts = [f"{entry.clause}  {_effect(entry.effect)} {signed(entry.change)}", entry.note]
    if entry.cases:
        parts.append(_("cases {cases}").format(cases=", ".join(entry.cases)))
    parts.append(_short(entry.text))
    return " · ".join(p for p in parts if p)


def render_outcome(outcome: Outcome, rubric: Rubric) -> list[str]:
    """A failed example in rubric terms: unit, which item or section, expected vs got, and the trace behind it."""
    example = outcome.example
    place = example.source + (f":{example.line}" if example.line is not None else "")
    lines = [_("FAIL {unit} ({place})").format(unit=example.unit.name, place=place)]
    for miss in outcome.mismatches:
        if miss.what == "total":
            lines.append("  " + _("total: expected {expected}, got {got}").format(expected=plain(miss.expected), got=plain(miss.got)))
        elif miss.what == "item":
            item = rubric.item_index[miss.id or ""]
            named = f"{item.id} ({item.title})" if item.title else item.id
            lines.append("  " + _("item {item}: expected to deduct {expected}, got {got}").format(
                item=named, expected=plain(miss.expected), got=plain(miss.got)))
        elif miss.what == "section":
            section = next(s for s in rubric.sections if s.id == miss.id)
            lines.append("  " + _("section {section} ({title}): expected score {expected}, got {got}").format(
                section=section.id, title=section.title, expected=plain(miss.expected), got=plain(miss.got)))
        elif miss.what == "topic":
            topic = next(t for t in rubric.topics if t.id == miss.id)
            lines.append("  " + _("topic {topic} ({title}): expected score {expected}, got {got}").format(
                topic=topic.id, title=topic.title, expected=plain(miss.expected), got=plain(miss.got)))
        elif miss.what == "group":
            lines.append("  " + _("adjustment group {group}: expected {expected}, got {got}").format(
                group=miss.id, expected=plain(miss.expected), got="—" if miss.got is None else plain(miss.got)))
        else:
            shown = {"grade": _("grade"), "vetoes": _("vetoes")}[miss.what]
            lines.append("  " + _("{what}: expected {expected}, got {got}").format(what=shown, expected=_show(miss.expected), got=_show(miss.got)))
        if miss.trace:
            lines.extend("      " + render_entry(e) for e in miss.trace)
        else:
            lines.append("      " + _("(no trace entries: nothing was deducted here)"))
    return lines


def render_coverage(result: Coverage, rubric: Rubric) -> list[str]:
    """Coverage figures, then each thing no example exercises, with its line in the rubric."""
    lines = ["  " + _("coverage: {done}/{clauses} clauses, {adone}/{adjustments} adjustments exercised").format(
        done=result.clauses - len(result.unexercised_clauses), clauses=result.clauses,
        adone=result.adjustments - len(result.unexercised_adjustments), adjustments=result.adjustments)
        + (_(", {done}/{vetoes} vetoes").format(done=result.vetoes - len(result.unexercised_vetoes), vetoes=result.vetoes)
           if result.vetoes else "")]
    states = []
    for rule, done in result.rules:
        states.append(_("{label} {name}: {state}").format(label=rule.label, name=rule.name,
                                                          state=_("exercised") if done else _("not exercised")))
    for ident, done in result.replacing:
        states.append(_("replacement by {clause}: {state}").format(clause=ident, state=_("exercised") if done else _("not exercised")))
    for ident, done in result.caps:
        states.append(_("cap of {clause}: {state}").format(clause=ident, state=_("exercised") if done else _("not exercised")))
    if states:
        lines.append("  " + "; ".join(states))
    index = rubric.clause_index
    missing = result.unexercised_clauses + result.unexercised_adjustments + result.unexercised_vetoes
    if missing:
        lines.append("  " + _("not exercised by any example:"))
        for ident in missing:
            target = index[ident]
            lines.append(f"    {ident:<7} " + _("line {line}").format(line=target.span.line) + f"  {_short(target.text)}")
    return lines


# -- the command -------------------------------------------------------------


def rubric_files(paths: Sequence[Path]) -> list[Path]:
    """The rubric files named: each file as given, each directory's ``*.qlr`` (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            rubrics = sorted(path.glob("*.qlr"))
            if not rubrics:
                raise InputError(_("{path}: no rubric files (*.qlr) in this directory").format(path=path))
            found.extend(rubrics)
        else:
            found.append(path)
    return found


def run_rubric(path: Path, strict_coverage: bool = False) -> tuple[bool, list[str]]:
    """Run one rubric's examples: whether it passes, and the lines to show."""
    from ..api import load_rubric

    try:
        rubric = load_rubric(path)
    except RubricError as error:
        return False, [error.render(limit=50)]
    except QlrulesError as error:
        return False, [str(error)]
    beside = examples_path(path)
    if not beside.exists():
        lines = [_("{path}: no examples ({examples} not found)").format(path=path, examples=beside.name)]
        if strict_coverage:
            lines.append("  " + _("coverage: 0/{clauses} clauses, 0/{adjustments} adjustments exercised").format(
                clauses=len(rubric.clauses), adjustments=len(rubric.adjustments)))
        return False, lines  # a rubric nobody has worked an example for is not tested: that fails
    try:
        examples = read_examples(beside, rubric)
    except QlrulesError as error:
        return False, [str(error)]
    outcomes = run_examples(rubric, examples)
    failed = [o for o in outcomes if not o.passed]
    if failed:
        head = _("{path}: {failed}/{count} examples failed").format(path=path, count=len(outcomes), failed=len(failed))
    else:
        head = _("{path}: {count}/{count} examples passed").format(path=path, count=len(outcomes))
    lines = [head]
    for outcome in failed:
        lines.extend("  " + line for line in render_outcome(outcome, rubric))
    result = coverage(rubric, (o.report for o in outcomes))
    lines.extend(render_coverage(result, rubric))
    return not failed and (result.complete or not strict_coverage), lines
