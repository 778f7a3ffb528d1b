"""Parse tree to model: a Transformer named after the grammar's rules."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, assert_never

import attrs
from lark import Token, Transformer, Tree, v_args
from lark.exceptions import VisitError

from ..errors import Problem, RubricError
from ..i18n import _
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
    Span,
    Topic,
    Veto,
)
from ..numbers import exact_arithmetic, plain
from .parse import parse_text, read_source

_MINUS = "-\u2212\uff0d"
_PLUS = "+\uff0b"


@attrs.frozen
class _Number:
    """A number as written: its value, its sign character (if any) and its token."""

    value: Decimal
    sign: str
    token: Token


# A rule as written, with the tokens its problems point at; `_Builder` makes the model's rule of it.


@attrs.frozen
class _OnceWritten:
    rate: _Number


@attrs.frozen
class _EachWritten:
    rate: _Number
    unit: str | None


@attrs.frozen
class _DiscretionaryWritten:
    refs: tuple[tuple[Token, Token | None], ...]
    keyword: Token


@attrs.frozen
class _Range:
    """``−1..−2`` as written: both ends, and the token to point at."""

    low: _Number
    high: _Number
    token: Token


@attrs.frozen
class _RangedWritten:
    range: _Range
    each: bool
    unit: str | None


@attrs.frozen
class _LevelsWritten:
    levels: tuple[tuple[Token, _Number | _Range], ...]
    each: bool
    unit: str | None
    token: Token


@attrs.frozen
class _MeasureWritten:
    unit: str
    way: str  # below, above, at-least, at-most; "mixed" when the bands disagree
    bands: tuple[tuple[_Number, _Number | None, _Number], ...]  # threshold, step, rate
    token: Token
    mixed_steps: bool = False


_Written = _OnceWritten | _EachWritten | _DiscretionaryWritten | _RangedWritten | _LevelsWritten | _MeasureWritten


def _span(meta: Any) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _unquote(token: Token) -> str:
    return re.sub(r"\\(.)", r"\1", str(token)[1:-1])


@v_args(meta=True)
class _ToParts(Transformer[Token, dict[str, Any]]):
    """Turns each grammar rule into a plain dict of parts; `_Builder` makes the model."""

    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report

    # -- leaves ----------------------------------------------------------

    def text(self, meta: Any, strings: list[Token]) -> str:
        for string in strings:
            unknown = [m.group() for m in re.finditer(r"\\.", str(string)[1:-1]) if m.group()[1] not in '"\\']
            if unknown:
                self.report(string, _('unknown escape {escape}: a text escapes only \\" and \\\\').format(escape=unknown[0]))
        return "".join(_unquote(s) for s in strings)

    def NUMBER(self, token: Token) -> _Number:  # noqa: N802 - named after the terminal
        raw = str(token)
        sign = raw[0] if raw[0] in _MINUS + _PLUS else ""
        digits = raw[len(sign) :]
        whole, _dot, fraction = digits.partition(".")
        try:
            value = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the grammar admits digits only
            self.report(token, _("{raw!r} is not a number").format(raw=raw))
            value = Decimal(0)
        # Keeps every sum exact within Decimal's 28 digits; no rubric comes near it.
        if len(whole.lstrip("0")) > 9 or len(fraction) > 10:
            self.report(token, _("a number has at most 9 digits before the point and 10 after it"))
            value = Decimal(0)
        return _Number(value, "-" if sign and sign in _MINUS else sign and "+", token)

    def points(self, meta: Any, children: list[_Number]) -> _Number:
        (number,) = children
        # 0 is allowed: a part that only deducts (负面清单).
        if number.sign:
            self.report(number.token, _("points are written without a sign, like 2"))
        return number

    def part_cap(self, meta: Any, children: list[_Number]) -> dict[str, Any]:
        (number,) = children
        self.positive(number, _("a cap is written without a sign, like 2"), _("a cap cannot be zero"))
        return {"cap": number.value, "cap_token": number.token}

    def earned(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        return {"earned": Token("EARNED", "earned", line=meta.line, column=meta.column)}

    def RANGE(self, token: Token) -> _Range:  # noqa: N802 - named after the terminal
        low, high = str(token).split("..")
        return _Range(self.NUMBER(Token("NUMBER", low, line=token.line, column=token.column)),
                      self.NUMBER(Token("NUMBER", high, line=token.line, column=(token.column or 1) + len(low) + 2)), token)

    def owners(self, meta: Any, strings: list[Token]) -> tuple[str, ...]:
        return tuple(_unquote(s) for s in strings)

    def content(self, meta: Any, children: list[str]) -> dict[str, Any]:
        return {"content": children[0]}

    def year(self, meta: Any, children: list[_Number]) -> dict[str, Any]:
        (number,) = children
        self.whole(number, _("a year is a whole number without a sign, like 2025"))
        return {"year": int(number.value)}

    def edition(self, meta: Any, children: list[str]) -> dict[str, Any]:
        return {"edition": children[0]}

    # -- clause rules ----------------------------------------------------

    def once(self, meta: Any, children: list[_Number]) -> _OnceWritten:
        return _OnceWritten(children[0])

    def each(self, meta: Any, children: list[Any]) -> _EachWritten:
        unit = str(children[0]) if len(children) == 2 else None
        return _EachWritten(children[-1], unit)

    def discretionary(self, meta: Any, children: list[Any]) -> _DiscretionaryWritten:
        refs = children[0] if children else ()
        return _DiscretionaryWritten(refs, Token("DISCRETIONARY", "discretionary", line=meta.line, column=meta.column))

    def once_range(self, meta: Any, children: list[_Range]) -> _RangedWritten:
        return _RangedWritten(children[0], False, None)

    def each_range(self, meta: Any, children: list[Any]) -> _RangedWritten:
        unit = str(children[0]) if len(children) == 2 else None
        return _RangedWritten(children[-1], True, unit)

    def once_levels(self, meta: Any, children: list[_LevelsWritten]) -> _LevelsWritten:
        return attrs.evolve(children[0], each=False)

    def each_levels(self, meta: Any, children: list[Any]) -> _LevelsWritten:
        unit = str(children[0]) if len(children) == 2 else None
        levels: _LevelsWritten = children[-1]
        return attrs.evolve(levels, each=True, unit=unit)

    def levels(self, meta: Any, children: list[tuple[Token, _Number | _Range]]) -> _LevelsWritten:
        return _LevelsWritten(tuple(children), False, None, Token("LEVELS", "levels", line=meta.line, column=meta.column))

    def level(self, meta: Any, children: list[Any]) -> tuple[Token, _Number | _Range]:
        return (children[0], children[1])

    def measure(self, meta: Any, children: list[Any]) -> _MeasureWritten:
        unit, (way, bands, mixed) = children
        return _MeasureWritten(str(unit), way, bands, Token("MEASURE", "measure", line=meta.line, column=meta.column), mixed)

    def bands(self, meta: Any, children: list[tuple[str, _Number, _Number | None, _Number]]) -> tuple[str, tuple[Any, ...], bool]:
        ways = {way for way, *_rest in children}
        way = ways.pop() if len(ways) == 1 else "mixed"
        stepped = {step is not None for _way, _threshold, step, _rate in children}
        return way, tuple((threshold, step, rate) for _way, threshold, step, rate in children), len(stepped) > 1

    def band(self, meta: Any, children: list[Any]) -> tuple[str, _Number, _Number | None, _Number]:
        direction, threshold, *rest = children
        step, rate = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        if step is not None:
            self.positive(step, _("a step is written without a sign, like 1"), _("a step cannot be zero"))
        return str(direction), threshold, step, rate

    def tier(self, meta: Any, children: list[Any]) -> tuple[str, _Number, None, _Number]:
        bound, threshold, rate = children
        return ("at-" + str(bound)), threshold, None, rate

    def replaces(self, meta: Any, refs: list[tuple[Token, Token | None]]) -> tuple[tuple[Token, Token | None], ...]:
        return tuple(refs)

    def single_ref(self, meta: Any, children: list[Token]) -> tuple[Token, Token | None]:
        return (children[0], None)

    def range_ref(self, meta: Any, children: list[Token]) -> tuple[Token, Token | None]:
        return (children[0], children[1])

    def of(self, meta: Any, children: list[_Number]) -> dict[str, Any]:
        (number,) = children
        self.whole(number, _("`of` is a whole number without a sign, like 3"))
        if number.value < 1:
            self.report(number.token, _("`of` counts the things a criterion lists: at least 1"))
        return {"of": int(number.value)}

    def cap(self, meta: Any, children: list[_Number]) -> dict[str, Any]:
        (number,) = children
        self.positive(number, _("a cap is written without a sign, like 2"), _("a cap cannot be zero"))
        return {"cap": number.value}

    # -- blocks ----------------------------------------------------------

    def clause(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        id_token, text, rule, *modifiers = children
        part: dict[str, Any] = {"id": id_token, "text": text, "rule": rule, "span": _span(meta)}
        self._merge(part, modifiers)
        return part

    def _merge(self, part: dict[str, Any], options: list[dict[str, Any]]) -> None:
        """Options such as `of`, `cap`, `year` are given once: a second would silently win."""
        for option in options:
            for key in option:
                if key in part:
                    self.report(part.get("id") or part["span"], _("`{option}` is given twice").format(option=key))
            part.update(option)

    adjustment = clause

    def rule_decl(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        name, text = children
        return {"name": name, "text": text, "span": _span(meta)}

    def _block(self, kind: str, meta: Any, children: list[Any]) -> dict[str, Any]:
        part: dict[str, Any] = {"kind": kind, "span": _span(meta), "children": [], "title": ""}
        rest = list(children)
        if rest and isinstance(rest[0], Token) and rest[0].type == "ID":
            part["id"] = rest.pop(0)
        if rest and isinstance(rest[0], str) and not isinstance(rest[0], Token):
            part["title"] = rest.pop(0)
        for child in rest:
            if isinstance(child, _Number):
                part["points"] = child
            elif isinstance(child, tuple):
                part["owners"] = child
            elif isinstance(child, dict) and "kind" not in child and "id" not in child and "name" not in child:
                self._merge(part, [child])
            else:
                part["children"].append(child)
        return part

    def header(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        return self._block("rubric", meta, children)

    def section(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        return self._block("section", meta, children)

    def topic(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        return self._block("topic", meta, children)

    def item(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        return self._block("item", meta, children)

    def adjustments(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        group = children[0] if children and isinstance(children[0], Token) and children[0].type == "GROUP_ID" else None
        part = self._block("adjustments", meta, children[1:] if group is not None else children)
        part["group"] = group
        return part

    def grades(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        title, *grades = children
        return {"kind": "grades", "title": title, "children": grades, "span": _span(meta)}

    def grade(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        name, text, (low, high) = children
        return {"kind": "grade", "name_token": name, "text": text, "low": low, "high": high, "span": _span(meta)}

    def grade_open(self, meta: Any, children: list[Any]) -> tuple[_Number | None, _Number | None]:
        bound, number = children
        return (number, None) if str(bound) == "least" else (None, number)

    def grade_between(self, meta: Any, children: list[_Number]) -> tuple[_Number | None, _Number | None]:
        return children[0], children[1]

    def vetoes(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        title, *rest = children
        content = next((c["content"] for c in rest if "content" in c), None)
        return {"kind": "vetoes", "title": title, "content": content, "children": [c for c in rest if "content" not in c],
                "span": _span(meta)}

    def veto(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        id_token, text, grade = children
        return {"kind": "veto", "id": id_token, "text": text, "grade": grade, "span": _span(meta)}

    def start(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        header, *rest = children
        return {
            "header": header,
            "rules": [c for c in rest if "name" in c],
            "sections": [c for c in rest if c.get("kind") == "section"],
            "adjustments": [c for c in rest if c.get("kind") == "adjustments"],
            "grades": next((c for c in rest if c.get("kind") == "grades"), None),
            "vetoes": next((c for c in rest if c.get("kind") == "vetoes"), None),
        }

    # -- local checks ----------------------------------------------------

    def positive(self, number: _Number, signed: str, zero: str) -> None:
        if number.sign:
            self.report(number.token, signed)
        elif number.value == 0:
            self.report(number.token, zero)

    def whole(self, number: _Number, message: str) -> None:
        if number.sign or number.value != number.value.to_integral_value() or "." in str(number.token):
            self.report(number.token, message)


#: The code of a problem the builder finds in one construct (a rule, a cap, a level) and names no other code for.
CONSTRUCT = "construct"


class _Builder:
    """Builds the model top-down from the parts, collecting every problem on the way."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def report(self, where: Token | Span, message: str, severity: str = "error", code: str = "") -> None:
        if isinstance(where, Token):
            line, column = where.line or 1, where.column or 1
            width = len(str(where))
        else:
            line, column, width = where.line, where.column, 1
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.problems.append(Problem(message, self.source, line, column, source_line, width, severity, code or CONSTRUCT))

    def rubric(self, parts: dict[str, Any], sha256: str) -> Rubric:
        header = parts["header"]
        rules = tuple(self.rule(n, r) for n, r in enumerate(parts["rules"], 1))
        sections = tuple(self.section(s) for s in parts["sections"])
        groups = tuple(self.group(g) for g in parts["adjustments"])
        grades_part, vetoes_part = parts["grades"], parts["vetoes"]
        grades = tuple(self.grade(g) for g in grades_part["children"]) if grades_part else ()
        vetoes = tuple(self.veto(v, grades) for v in vetoes_part["children"]) if vetoes_part else ()
        return Rubric(
            title=header["title"],
            points=header["points"].value,
            rules=rules,
            sections=sections,
            adjustment_groups=groups,
            span=header["span"],
            year=header.get("year"),
            edition=header.get("edition"),
            grades=grades,
            grades_title=grades_part["title"] if grades_part else None,
            vetoes=vetoes,
            vetoes_title=vetoes_part["title"] if vetoes_part else None,
            vetoes_text=vetoes_part["content"] if vetoes_part else None,
            source=self.source,
            sha256=sha256,
        )

    def rule(self, number: int, part: dict[str, Any]) -> Rule:
        return Rule(name=str(part["name"]), label=f"注{number}", text=part["text"], span=part["span"])

    def own_clauses(self, part: dict[str, Any], pid: str, kind: str) -> tuple[Clause, ...]:
        """The clauses a section or topic holds itself (written before its topics or items)."""
        clause_parts = [c for c in part["children"] if "rule" in c]
        order = [str(c["id"]) for c in clause_parts]
        return tuple(self.clause(c, pid, order, kind) for c in clause_parts)

    def section(self, part: dict[str, Any]) -> Section:
        sid = str(part["id"])
        owners = part.get("owners", ())
        topics = tuple(self.topic(t, sid, owners) for t in part["children"] if t.get("kind") == "topic")
        items = tuple(self.item(i, sid, None, owners) for i in part["children"] if i.get("kind") == "item")
        return Section(sid, part["title"], part["points"].value, owners, topics, items, part["span"],
                       cap=part.get("cap"), clauses=self.own_clauses(part, sid, "section"))

    def topic(self, part: dict[str, Any], section: str, inherited: tuple[str, ...]) -> Topic:
        tid = str(part["id"])
        owners = part.get("owners", inherited)
        items = tuple(self.item(i, section, tid, owners) for i in part["children"] if i.get("kind") == "item")
        return Topic(tid, part["title"], part["points"].value, owners, items, section, part["span"],
                     cap=part.get("cap"), clauses=self.own_clauses(part, tid, "topic"))

    def item(self, part: dict[str, Any], section: str, topic: str | None, inherited: tuple[str, ...]) -> Item:
        iid = str(part["id"])
        clause_parts = part["children"]
        order = [str(c["id"]) for c in clause_parts]
        clauses = tuple(self.clause(c, iid, order, "item") for c in clause_parts)
        earned = "earned" in part
        if earned and "cap" in part:
            self.report(part["cap_token"], _("an earned item starts at 0 and can lose nothing below it: `cap` is for a full item"))
        return Item(
            id=iid,
            title=part["title"],
            points=part["points"].value,
            owners=part.get("owners", inherited),
            text=part.get("content", ""),
            clauses=clauses,
            section=section,
            topic=topic,
            span=part["span"],
            earned=earned,
            cap=part.get("cap"),
        )

    def clause(self, part: dict[str, Any], owner: str, order: list[str], kind: str) -> Clause:
        written: _Written = part["rule"]
        rule: ClauseRule
        awards = kind == "item"  # awards belong to items or adjustment groups
        match written:
            case _DiscretionaryWritten(refs):
                if "of" in part:
                    self.report(part["span"], _("`of` counts findings; a discretionary clause takes an amount"))
                rule = Discretionary(self.replaced(refs, str(part["id"]), order))
            case _:
                rule = self.counted_rule(written, awards)
        return Clause(id=str(part["id"]), text=part["text"], rule=rule, item=owner, span=part["span"],
                      of=part.get("of"), cap=part.get("cap"), part=kind)

    def counted_rule(self, written: _Written, awards: bool) -> AdjustmentRule:
        """Every rule but discretionary, as clauses and adjustments share them."""
        match written:
            case _OnceWritten(rate):
                return Once(self.rate(rate, awards))
            case _EachWritten(rate, unit):
                return Each(self.rate(rate, awards), unit)
            case _RangedWritten(written_range, each, unit):
                low, high = self.range(written_range, awards)
                return Ranged(low, high, each, unit)
            case _LevelsWritten(levels, each, unit, token):
                return Levels(self.levels(levels, token, awards), each, unit)
            case _MeasureWritten():
                return self.measure(written, awards)
            case _DiscretionaryWritten():
                raise AssertionError("discretionary is built by `clause`")  # pragma: no cover
            case _:
                assert_never(written)

    def rate(self, rate: _Number, awards: bool = True) -> Decimal:
        """A rate carries its sign (−1 deducts, +1 awards) and is not zero; ``awards`` says whether + is allowed here."""
        if not rate.sign:
            self.report(rate.token, _("a rate carries its sign: a minus deducts (−0.5), a plus adds (+1)"))
        elif rate.value == 0:
            self.report(rate.token, _("a rate cannot be zero"))
        elif rate.sign == "+" and not awards:
            self.report(rate.token, _("a section's or topic's own clauses only deduct: awards belong to items or adjustment groups"))
        return -rate.value if rate.sign == "-" else rate.value

    def range(self, written: _Range, awards: bool) -> tuple[Decimal, Decimal]:
        """``−1..−2``: both ends signed alike (a lower end of 0 may go without), |low| < |high|."""
        low, high = written.low, written.high
        sign = high.sign
        if not sign or (low.sign and low.sign != sign) or (not low.sign and low.value != 0):
            self.report(written.token, _("both ends of a range carry the same sign, like −1..−2 or +0..+5"))
            return Decimal(0), Decimal(1)
        if low.value > high.value:  # |LO| ≤ |HI|; equal ends are one amount, written as a range
            self.report(written.token, _("a range is written from the smaller amount to the larger, like −1..−2 (not −2..−1)"))
        if sign == "+" and not awards:
            self.report(written.token, _("a section's or topic's own clauses only deduct: awards belong to items or adjustment groups"))
        return (-low.value, -high.value) if sign == "-" else (low.value, high.value)

    def levels(self, written: tuple[tuple[Token, _Number | _Range], ...], token: Token, awards: bool) -> tuple[Level, ...]:
        out: list[Level] = []
        for name, rate in written:
            if any(level.name == str(name) for level in out):
                self.report(name, _("level {name} is named twice").format(name=name))
            if isinstance(rate, _Range):
                low, high = self.range(rate, awards)
                out.append(Level(str(name), low, high, ranged=True))
            else:
                low = high = self.rate(rate, awards)
                out.append(Level(str(name), low, high))
        return tuple(out)

    def measure(self, written: _MeasureWritten, awards: bool) -> Measure:
        """Bands written from the first threshold outward, one way, all with `per` or none."""
        if written.way == "mixed":
            self.report(written.token, _("a measure's bands go one way: all below, all above, or all tiers (at least, or at most)"))
        if written.mixed_steps:
            self.report(written.token, _("a measure's bands all count steps (per) or none does"))
        bands = tuple(Band(self.threshold(t), self.rate(r, awards), step.value if step is not None else None) for t, step, r in written.bands)
        thresholds = [b.threshold for b in bands]
        falling = written.way in ("below", "at-least")
        ordered = all(a > b for a, b in zip(thresholds, thresholds[1:])) if falling else all(a < b for a, b in zip(thresholds, thresholds[1:]))
        if written.way != "mixed" and not ordered:
            expect = _("falling") if falling else _("rising")
            self.report(written.token, _("a measure's thresholds run from the first outward: here {way}, so each threshold is {expect} (got {got})").format(
                way=written.way, expect=expect, got=", ".join(plain(t) for t in thresholds)))
        return Measure(written.unit, written.way, bands)

    def threshold(self, number: _Number) -> Decimal:
        """A value to compare with: unsigned, or negative (a value may be below zero)."""
        if number.sign == "+":
            self.report(number.token, _("a threshold is a value, written without +"))
        return -number.value if number.sign == "-" else number.value

    def group(self, part: dict[str, Any]) -> AdjustmentGroup:
        gid = str(part["group"]) if part.get("group") is not None else None
        adjustments = tuple(self.adjustment(a) for a in part["children"])
        return AdjustmentGroup(gid, part["title"], adjustments, part["span"], text=part.get("content"), cap=part.get("cap"))

    def grade(self, part: dict[str, Any]) -> Grade:
        def value(number: _Number | None) -> Decimal | None:
            if number is None:
                return None
            if number.sign == "+":
                self.report(number.token, _("a total is written without +"))
            return -number.value if number.sign == "-" else number.value

        low, high = value(part["low"]), value(part["high"])
        if low is not None and high is not None and low > high:
            self.report(part["low"].token, _("a grade runs from the lower total to the higher, like from 76 to 89"))
        return Grade(str(part["name_token"]), part["text"], part["span"], low, high)

    def veto(self, part: dict[str, Any], grades: tuple[Grade, ...]) -> Veto:
        grade = str(part["grade"])
        if not grades:
            self.report(part["grade"], _("a veto caps the unit's grade, but this rubric declares no grades"))
        elif grade not in [g.name for g in grades]:
            self.report(part["grade"], _("unknown grade {grade}; the grades are {grades}").format(grade=grade, grades="、".join(g.name for g in grades)))
        return Veto(str(part["id"]), part["text"], grade, part["span"])

    def replaced(self, refs: tuple[tuple[Token, Token | None], ...], own_id: str, order: list[str]) -> tuple[str, ...]:
        """Expand ``replaces 6.1b..6.1g`` into the ids of the item's clauses it names."""
        ids: list[str] = []
        for first, last in refs:
            for token in (first, last):
                if token is not None and str(token) not in order:
                    self.report(token, _("{token} is not a clause of this item; a clause replaces clauses of its own item ({clauses})").format(token=token, clauses=', '.join(order)))
            if str(first) not in order or (last is not None and str(last) not in order):
                continue
            start = order.index(str(first))
            end = order.index(str(last)) if last is not None else start
            if end < start:
                self.report(first, _("the range {first}..{last} runs backwards").format(first=first, last=last))
                continue
            ids.extend(order[start : end + 1])
        if own_id in ids:
            self.report(refs[0][0], _("clause {own_id} cannot replace itself").format(own_id=own_id))
        return tuple(dict.fromkeys(ids))

    def adjustment(self, part: dict[str, Any]) -> Adjustment:
        written: _Written = part["rule"]
        rule: AdjustmentRule
        if isinstance(written, _DiscretionaryWritten):
            self.report(part["span"], _("an adjustment cannot be discretionary; an open 视情加分 is a range from 0, like once +0..+5"))
            rule = Once(Decimal(0))
        else:
            rule = self.counted_rule(written, awards=True)
        return Adjustment(id=str(part["id"]), text=part["text"], rule=rule, span=part["span"],
                          of=part.get("of"), cap=part.get("cap"))


def parse_tree(tree: Tree[Token], text: str, source: str, sha256: str) -> Rubric:
    """Turn a parse tree into a validated `Rubric`; raise `RubricError` with every problem."""
    with exact_arithmetic():  # the points' sums are checked exactly, whatever the caller's context
        return _parse_tree(tree, text, source, sha256)


def _parse_tree(tree: Tree[Token], text: str, source: str, sha256: str) -> Rubric:
    from .validate import validate

    lines = text.removeprefix("\ufeff").splitlines()
    builder = _Builder(source, lines)
    try:
        parts = _ToParts(builder.report).transform(tree)
    except VisitError as exc:  # pragma: no cover - a bug in a transformer method
        raise RubricError([Problem(_("internal error while compiling: {orig_exc}").format(orig_exc=exc.orig_exc), source, 1, 1)]) from None
    rubric = builder.rubric(parts, sha256)
    validate(rubric, builder.report)
    problems = sorted(builder.problems, key=lambda p: (p.line, p.column))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RubricError(errors)
    warnings = tuple(p for p in problems if p.severity != "error" and not _accepted(p, lines))
    return attrs.evolve(rubric, warnings=warnings)


#: ``# qlrules: accept grade-gap`` on a warned line, or on the line above it, acknowledges that warning.
_ACCEPT = re.compile(r"#\s*qlrules:\s*accept\s+([\w-]+(?:\s*,\s*[\w-]+)*)")


def _accepted(problem: Problem, lines: list[str]) -> bool:
    """Whether the rubric acknowledges ``problem`` where it stands: a warning the document makes unavoidable."""
    if not problem.code:
        return False
    for n in (problem.line, problem.line - 1):
        if 0 < n <= len(lines) and (found := _ACCEPT.search(lines[n - 1])):
            if problem.code in {c.strip() for c in found.group(1).split(",")}:
                return True
    return False


def compile_rubric(text: str | bytes, source: str = "<rubric>") -> Rubric:
    """Compile rubric text (or its bytes) into a `Rubric`.

    Raises:
        RubricError: with every problem found, each pointing at its line.
    """
    from ..io.text import decode

    data = text.encode("utf-8") if isinstance(text, str) else text
    decoded = text if isinstance(text, str) else decode(text, source)
    tree = parse_text(decoded, source)
    return parse_tree(tree, decoded, source, hashlib.sha256(data).hexdigest())


def compile_file(path: str | Path) -> Rubric:
    """Read and compile a rubric file."""
    text, data = read_source(path)
    tree = parse_text(text, str(path))
    return parse_tree(tree, text, str(path), hashlib.sha256(data).hexdigest())
