"""The compiled rubric: frozen attrs objects, each keeping the span it came from."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .errors import Problem

if TYPE_CHECKING:
    from .scoring.report import Report

#: Rubric-wide rules a rubric may declare, by the name the language uses.
HIGHEST_PER_CASE = "highest-per-case"  # the seed's 注1
ITEM_CAP = "item-cap"  # the seed's 注2
KNOWN_RULES = (HIGHEST_PER_CASE, ITEM_CAP)


class Frozen:
    """Base of the frozen model classes: pickles as a constructor call.

    attrs' own pickling of frozen slotted classes sets each field through
    ``object.__setattr__``; calling the class with the field values unpickles
    a compiled rubric about three times faster, which is what process pools
    pay for (the rubric cache stores plain data instead: `qlrules.language.serialize`).
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, f.name) for f in attrs.fields(type(self)))  # type: ignore[arg-type]


@attrs.frozen
class Span(Frozen):
    """Where something is in its rubric file (1-based, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


@attrs.frozen
class Rule(Frozen):
    """A rubric-wide rule such as 注1, carrying its official wording."""

    name: str
    label: str
    text: str
    span: Span


# -- rules: what a clause does with a finding, one class per kind ---------------------------
#
# A closed set. Every place that acts on a rule matches on these classes and ends in
# `typing.assert_never`, so `mypy --strict` names each place a new kind must be handled.


@attrs.frozen
class Once(Frozen):
    """扣N分: ``rate`` once when a finding counts at least 1, however many findings hit the clause.

    Rates are signed: −1 deducts, +1 adds (an adjustment's commendation).
    """

    rate: Decimal


@attrs.frozen
class Each(Frozen):
    """每项扣0.5分: ``rate`` × count; ``unit`` is the word counted (项, 人次, 起, 例, 次), for display."""

    rate: Decimal
    unit: str | None = None


@attrs.frozen
class Discretionary(Frozen):
    """酌情扣分: the assessor gives the amount (0 to the item's points).

    ``replaces`` lists the clauses of its item that it stands in for, for the cases
    its findings name (the seed's 6.1h 主动报告线索或查处问题的酌情扣分).
    """

    replaces: tuple[str, ...] = ()


@attrs.frozen
class Ranged(Frozen):
    """扣1-3分, 每例扣1-2分: the assessor gives the amount within ``low``..``high`` (signed alike, |low| < |high|).

    ``each``: the interval is per count (每例); otherwise it bounds the finding once.
    """

    low: Decimal
    high: Decimal
    each: bool = False
    unit: str | None = None


@attrs.frozen
class Level(Frozen):
    """One named level of a `Levels` rule: a fixed rate (``low == high``), or a range (``ranged``: a finding gives the amount)."""

    name: str
    low: Decimal
    high: Decimal
    ranged: bool = False


@attrs.frozen
class Levels(Frozen):
    """分别加2、4、6、10分: a rate for each named level; a finding names its level.

    ``each``: every finding counts at its own level; otherwise the clause applies once,
    at the largest level among its findings (同一项目就高).
    """

    levels: tuple[Level, ...]
    each: bool = False
    unit: str | None = None

    def level(self, name: str) -> Level | None:
        return next((lv for lv in self.levels if lv.name == name), None)


@attrs.frozen
class Band(Frozen):
    """One band of a `Measure`: its threshold, its step (``None``: once when past it) and its rate."""

    threshold: Decimal
    rate: Decimal
    step: Decimal | None = None


@attrs.frozen
class Measure(Frozen):
    """每降低1个百分点扣0.25分: a finding gives a measured value; the bands compute the amount.

    ``way`` is ``below`` or ``above`` (bands progressive from the first threshold outward), or
    ``at-least`` / ``at-most`` (tiers: the first, in written order, whose condition holds).
    ``unit`` (%, 人, 位) is for display.
    """

    unit: str
    way: str
    bands: tuple[Band, ...]


#: The rule of a clause (of an item, a topic or a section).
ClauseRule = Once | Each | Discretionary | Ranged | Levels | Measure
#: The rule of a 加减分项: any but discretionary (an open 视情加分 is a range from 0).
AdjustmentRule = Once | Each | Ranged | Levels | Measure


@attrs.frozen
class Clause(Frozen):
    """A 考评标准: its official wording and the rule that encodes it.

    ``item`` is the id of the part whose clause it is: an item, or (``part`` says which)
    a topic or a section that holds clauses of its own.
    """

    id: str
    text: str
    rule: ClauseRule
    item: str
    span: Span
    of: int | None = None
    cap: Decimal | None = None
    part: str = "item"


@attrs.frozen
class Item(Frozen):
    """A 具体内容 with its points: the unit that 注2 caps."""

    id: str
    title: str
    points: Decimal
    owners: tuple[str, ...]
    text: str
    clauses: tuple[Clause, ...]
    section: str
    topic: str | None
    span: Span
    earned: bool = False
    cap: Decimal | None = None


@attrs.frozen
class Topic(Frozen):
    """A 二级考评项目."""

    id: str
    title: str
    points: Decimal
    owners: tuple[str, ...]
    items: tuple[Item, ...]
    section: str
    span: Span
    cap: Decimal | None = None
    clauses: tuple[Clause, ...] = ()


@attrs.frozen
class Section(Frozen):
    """A 一级考评项目: holds topics, or (like the seed's S0) items directly.

    Attributes:
        items (tuple[Item, ...]): Every item of the section, in rubric order: its direct items, then its topics'.
    """

    id: str
    title: str
    points: Decimal
    owners: tuple[str, ...]
    topics: tuple[Topic, ...]
    direct_items: tuple[Item, ...]
    span: Span
    cap: Decimal | None = None
    clauses: tuple[Clause, ...] = ()

    @functools.cached_property
    def items(self) -> tuple[Item, ...]:
        """Every item of the section, in rubric order."""
        return self.direct_items + tuple(i for t in self.topics for i in t.items)


@attrs.frozen
class Adjustment(Frozen):
    """A 加减分项: a signed rate per count (positive adds, negative deducts)."""

    id: str
    text: str
    rule: AdjustmentRule
    span: Span
    of: int | None = None
    cap: Decimal | None = None


@attrs.frozen
class AdjustmentGroup(Frozen):
    """An ``adjustments`` block (加分项, 扣分项, or v1's single 加减分项): its adjustments and its cap.

    ``id`` is ``None`` for a block written without one; ``cap`` bounds the absolute value
    of the group's net total.
    """

    id: str | None
    title: str
    adjustments: tuple[Adjustment, ...]
    span: Span
    text: str | None = None
    cap: Decimal | None = None


@attrs.frozen
class Grade(Frozen):
    """A named band over the total (90分(含)以上为优秀): ``low`` ≤ total ≤ ``high``, either end open."""

    name: str
    text: str
    span: Span
    low: Decimal | None = None
    high: Decimal | None = None

    def holds(self, total: Decimal) -> bool:
        return (self.low is None or total >= self.low) and (self.high is None or total <= self.high)


@attrs.frozen
class Veto(Frozen):
    """A 一票否决 clause: a finding with count ≥ 1 caps the unit's grade at ``grade``; no points change."""

    id: str
    text: str
    grade: str
    span: Span


@attrs.frozen(cache_hash=True)
class Rubric(Frozen):
    """A compiled rubric, ready to score units. Immutable and picklable.

    Attributes:
        title (str): The rubric's title, as its ``rubric "…"`` line gives it.
        points (Decimal): Its total points (0 for a rubric of adjustment groups only).
        rules (tuple[Rule, ...]): The rubric-wide rules it declares (注1, 注2), in file order.
        sections (tuple[Section, ...]): Its sections, in rubric order.
        adjustment_groups (tuple[AdjustmentGroup, ...]): Its ``adjustments`` blocks (加分项, 扣分项…), in rubric order.
        span (Span): Where its header (the ``rubric`` line, with year and edition) is in the file.
        year (int | None): The year it declares, if any.
        edition (str | None): The edition it declares, if any.
        grades (tuple[Grade, ...]): Its grades (优秀, 达标…), best first.
        grades_title (str | None): The title of its ``grades`` block.
        vetoes (tuple[Veto, ...]): Its 一票否决 clauses, in rubric order.
        vetoes_title (str | None): The title of its ``vetoes`` block.
        vetoes_text (str | None): The official text of its ``vetoes`` block.
        source (str): The file name it was compiled from, as messages name it.
        sha256 (str): The SHA-256 of the rubric file's bytes (a report's ``rubric.sha256``).
        warnings (tuple[Problem, ...]): What the compiler warned about (not part of equality).
        adjustments (tuple[Adjustment, ...]): Every 加减分项 of every group, in rubric order.
        adjustments_title (str | None): The title of its first ``adjustments`` block.
        adjustments_text (str | None): The official text of its first ``adjustments`` block.
        items (tuple[Item, ...]): Every item, in rubric order.
        topics (tuple[Topic, ...]): Every topic, in rubric order.
        clauses (tuple[Clause, ...]): Every clause (of items, topics and sections), in rubric order.
        clause_index (Mapping[str, Clause | Adjustment | Veto]): Clauses, adjustments and vetoes by id: what a finding may name.
        item_index (Mapping[str, Item]): Items by id.
        part_index (Mapping[str, Section | Topic | Item]): Sections, topics and items by id.
        clause_order (Mapping[str, int]): The position of each clause and adjustment in the rubric
            (注1 ties go to the first).
        rule_names (frozenset[str]): The names of the rubric-wide rules it declares.
    """

    title: str
    points: Decimal
    rules: tuple[Rule, ...]
    sections: tuple[Section, ...]
    adjustment_groups: tuple[AdjustmentGroup, ...]
    span: Span
    year: int | None = None
    edition: str | None = None
    grades: tuple[Grade, ...] = ()
    grades_title: str | None = None
    vetoes: tuple[Veto, ...] = ()
    vetoes_title: str | None = None
    vetoes_text: str | None = None
    source: str = "<rubric>"
    sha256: str = ""
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)

    @functools.cached_property
    def adjustments(self) -> tuple[Adjustment, ...]:
        """Every adjustment of every group, in rubric order."""
        return tuple(a for g in self.adjustment_groups for a in g.adjustments)

    @property
    def adjustments_title(self) -> str | None:
        """The first adjustments block's title (v1 rubrics have one block)."""
        return self.adjustment_groups[0].title if self.adjustment_groups else None

    @property
    def adjustments_text(self) -> str | None:
        return self.adjustment_groups[0].text if self.adjustment_groups else None

    # -- lookups ---------------------------------------------------------

    @functools.cached_property
    def items(self) -> tuple[Item, ...]:
        """Every item in rubric order."""
        return tuple(i for s in self.sections for i in s.items)

    @functools.cached_property
    def topics(self) -> tuple[Topic, ...]:
        """Every topic in rubric order."""
        return tuple(t for s in self.sections for t in s.topics)

    @functools.cached_property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause in rubric order: a section's own, then its items' and topics' (a topic's own first)."""
        out: list[Clause] = []
        for s in self.sections:
            out.extend(s.clauses)
            out.extend(c for i in s.direct_items for c in i.clauses)
            for t in s.topics:
                out.extend(t.clauses)
                out.extend(c for i in t.items for c in i.clauses)
        return tuple(out)

    @functools.cached_property
    def clause_index(self) -> Mapping[str, Clause | Adjustment | Veto]:
        """Clauses, adjustments and vetoes by id: what a finding may name."""
        index: dict[str, Clause | Adjustment | Veto] = {c.id: c for c in self.clauses}
        index.update((a.id, a) for a in self.adjustments)
        index.update((v.id, v) for v in self.vetoes)
        return index

    @functools.cached_property
    def part_index(self) -> Mapping[str, Section | Topic | Item]:
        """Sections, topics and items by id: the part a clause belongs to."""
        return {**{s.id: s for s in self.sections}, **{t.id: t for t in self.topics}, **{i.id: i for i in self.items}}

    def grade_index(self, name: str) -> int | None:
        """The position of grade ``name`` (0 is the best), or None."""
        return next((n for n, g in enumerate(self.grades) if g.name == name), None)

    @functools.cached_property
    def item_index(self) -> Mapping[str, Item]:
        """Items by id."""
        return {i.id: i for i in self.items}

    @functools.cached_property
    def clause_order(self) -> Mapping[str, int]:
        """Position of each clause and adjustment in the rubric (注1 ties go to the first)."""
        return {cid: n for n, cid in enumerate(self.clause_index)}

    def has_rule(self, name: str) -> bool:
        """Whether the rubric declares the rubric-wide rule ``name``."""
        return name in self.rule_names

    @functools.cached_property
    def rule_names(self) -> frozenset[str]:
        """The names of the rubric-wide rules it declares."""
        return frozenset(r.name for r in self.rules)

    def rule(self, name: str) -> Rule | None:
        """The rubric-wide rule ``name`` (with its official wording), or ``None`` if not declared."""
        return next((r for r in self.rules if r.name == name), None)

    # -- scoring ---------------------------------------------------------

    @functools.cached_property
    def _plan(self) -> Any:
        """The rubric compiled for scoring (`qlrules.scoring.plan.Plan`), built on first use."""
        from .scoring.plan import Plan

        return Plan(self)

    def score(self, unit: Mapping[str, Any], *, _straightforward: bool = False) -> Report:
        """Score one unit given as a findings mapping (:ref:`scoring-findings`).

        Raises:
            FindingsError: every problem of the unit, together (`FindingsError.problems`).
        """
        if not _straightforward:
            from .scoring.plan import score_fast

            report = score_fast(self, unit)
            if report is not None:
                return report
        # The hot path declined (a kind it does not score, or a problem to word): the checker decides.
        from .scoring.evaluate import evaluate
        from .scoring.findings import _UnitChecker

        return evaluate(self, _UnitChecker(unit, self, "<findings>").check(), _straightforward=True)

    def score_many(self, units: Iterable[Mapping[str, Any]]) -> Iterator[Report]:
        """Score units one by one as they come, for batches of any size.

        A stream: the first invalid unit raises (every problem of that unit) without the
        later units being read; `qlrules.io.stream.UnitStream` reports every bad unit of a batch.
        """
        from .errors import FindingsError
        from .i18n import _
        from .scoring.findings import _position

        seen: set[str] = set()
        for mapping in units:
            report = self.score(mapping)
            if report.unit in seen:
                line, column = _position(mapping, "unit")
                raise FindingsError(_("the same unit name appears twice in this batch"), unit=report.unit, line=line, column=column,
                                    source="<findings>")
            seen.add(report.unit)
            yield report


#: What says where a rubric was written, not what it says.
_WHERE = frozenset({"span", "source", "sha256", "warnings"})


def meaning(value: Any) -> Any:
    """``value`` (a model object, or tuples of them) as plain nested tuples without positions or source.

    Two rubrics with the same meaning give equal results: `qlrules fmt` checks its
    output so, like black's ``assert_equivalent``.
    """
    if isinstance(value, Frozen) and attrs.has(type(value)):
        return (type(value).__name__, *(meaning(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.name not in _WHERE))  # type: ignore[arg-type]
    if isinstance(value, tuple):
        return tuple(meaning(v) for v in value)
    return value
