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
from ..numbers import exact_arithmetic
from ..model import Adjustment, AdjustmentRule, Clause, ClauseRule, Discretionary, Each, Item, Once, Rubric, Rule, Section, Span, Topic
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


_Written = _OnceWritten | _EachWritten | _DiscretionaryWritten


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
        self.positive(number, _("points are written without a sign, like 2"), _("points cannot be zero"))
        return number

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
        return self._block("adjustments", meta, children)

    def start(self, meta: Any, children: list[Any]) -> dict[str, Any]:
        header, *rest = children
        return {
            "header": header,
            "rules": [c for c in rest if "name" in c],
            "sections": [c for c in rest if c.get("kind") == "section"],
            "adjustments": next((c for c in rest if c.get("kind") == "adjustments"), None),
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


class _Builder:
    """Builds the model top-down from the parts, collecting every problem on the way."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def report(self, where: Token | Span, message: str, severity: str = "error") -> None:
        if isinstance(where, Token):
            line, column = where.line or 1, where.column or 1
            width = len(str(where))
        else:
            line, column, width = where.line, where.column, 1
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.problems.append(Problem(message, self.source, line, column, source_line, width, severity))

    def rubric(self, parts: dict[str, Any], sha256: str) -> Rubric:
        header = parts["header"]
        rules = tuple(self.rule(n, r) for n, r in enumerate(parts["rules"], 1))
        sections = tuple(self.section(s) for s in parts["sections"])
        adjustments_part = parts["adjustments"]
        adjustments = tuple(self.adjustment(a) for a in adjustments_part["children"]) if adjustments_part else ()
        return Rubric(
            title=header["title"],
            points=header["points"].value,
            rules=rules,
            sections=sections,
            adjustments=adjustments,
            span=header["span"],
            year=header.get("year"),
            edition=header.get("edition"),
            adjustments_title=adjustments_part["title"] if adjustments_part else None,
            adjustments_text=adjustments_part.get("content") if adjustments_part else None,
            source=self.source,
            sha256=sha256,
        )

    def rule(self, number: int, part: dict[str, Any]) -> Rule:
        return Rule(name=str(part["name"]), label=f"注{number}", text=part["text"], span=part["span"])

    def section(self, part: dict[str, Any]) -> Section:
        sid = str(part["id"])
        owners = part.get("owners", ())
        topics = tuple(self.topic(t, sid, owners) for t in part["children"] if t["kind"] == "topic")
        items = tuple(self.item(i, sid, None, owners) for i in part["children"] if i["kind"] == "item")
        return Section(sid, part["title"], part["points"].value, owners, topics, items, part["span"])

    def topic(self, part: dict[str, Any], section: str, inherited: tuple[str, ...]) -> Topic:
        tid = str(part["id"])
        owners = part.get("owners", inherited)
        items = tuple(self.item(i, section, tid, owners) for i in part["children"])
        return Topic(tid, part["title"], part["points"].value, owners, items, section, part["span"])

    def item(self, part: dict[str, Any], section: str, topic: str | None, inherited: tuple[str, ...]) -> Item:
        iid = str(part["id"])
        clause_parts = part["children"]
        order = [str(c["id"]) for c in clause_parts]
        clauses = tuple(self.clause(c, iid, order) for c in clause_parts)
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
        )

    def clause(self, part: dict[str, Any], item: str, order: list[str]) -> Clause:
        written: _Written = part["rule"]
        rule: ClauseRule
        match written:
            case _OnceWritten(rate):
                rule = Once(self.deduction(rate))
            case _EachWritten(rate, unit):
                rule = Each(self.deduction(rate), unit)
            case _DiscretionaryWritten(refs):
                if "of" in part:
                    self.report(part["span"], _("`of` counts findings; a discretionary clause takes an amount"))
                rule = Discretionary(self.replaced(refs, str(part["id"]), order))
            case _:
                assert_never(written)
        return Clause(id=str(part["id"]), text=part["text"], rule=rule, item=item, span=part["span"],
                      of=part.get("of"), cap=part.get("cap"))

    def deduction(self, rate: _Number) -> Decimal:
        """A clause's rate: written with a minus, and not zero."""
        if rate.sign != "-":
            self.report(rate.token, _("a deduction is written with a minus, like −0.5"))
        elif rate.value == 0:
            self.report(rate.token, _("a deduction cannot be zero"))
        return -rate.value

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
        match written:
            case _OnceWritten(rate):
                rule = Once(self.signed_rate(rate))
            case _EachWritten(rate, unit):
                rule = Each(self.signed_rate(rate), unit)
            case _DiscretionaryWritten():
                self.report(part["span"], _("an adjustment is `once ±R` or `each UNIT ±R`; it cannot be discretionary"))
                rule = Once(Decimal(0))
            case _:
                assert_never(written)
        return Adjustment(id=str(part["id"]), text=part["text"], rule=rule, span=part["span"],
                          of=part.get("of"), cap=part.get("cap"))

    def signed_rate(self, rate: _Number) -> Decimal:
        """An adjustment's rate: carries its sign (+1 adds, −1 deducts), and is not zero."""
        if not rate.sign:
            self.report(rate.token, _("an adjustment's rate carries its sign: +1 adds, −1 deducts"))
        elif rate.value == 0:
            self.report(rate.token, _("an adjustment's rate cannot be zero"))
        return -rate.value if rate.sign == "-" else rate.value


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
    return attrs.evolve(rubric, warnings=tuple(p for p in problems if p.severity != "error"))


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
