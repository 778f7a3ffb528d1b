"""Reading findings (YAML or JSON) and checking them against a rubric (contract §2)."""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from .i18n import _
from .errors import FindingsError, InputError
from .model import Adjustment, Clause, Frozen, Rubric, plain

UNIT_KEYS = ("unit", "findings")

#: Bounds that keep every sum exact in Decimal's 28 digits: no real assessment comes near them.
MAX_COUNT = 10**9
MAX_DECIMAL_PLACES = 10
FINDING_KEYS = ("clause", "count", "cases", "amount", "reason", "evidence")


@attrs.frozen
class Finding(Frozen):
    """One checked finding: what the assessor found against one clause."""

    clause: str
    count: int
    cases: tuple[str, ...] = ()
    amount: Decimal | None = None
    reason: str | None = None
    evidence: str | None = None
    index: int = 0  # its place in the unit's findings, for messages and a stable trace


@attrs.frozen
class Unit(Frozen):
    """A unit to score and its checked findings."""

    name: str
    findings: tuple[Finding, ...]


# -- positions ------------------------------------------------------------


class Located(dict[str, Any]):
    """A mapping read from YAML that remembers where it and each of its values stand."""

    line: int | None = None
    column: int | None = None
    value_positions: dict[str, tuple[int, int]]

    def position(self, key: str | None = None) -> tuple[int | None, int | None]:
        if key is not None and key in getattr(self, "value_positions", {}):
            return self.value_positions[key]
        return self.line, self.column


class LocatedList(list[Any]):
    """A sequence read from YAML that remembers where each element stands."""

    positions: list[tuple[int, int]]


@functools.cache
def yaml_loader() -> type:
    """The safe YAML loader findings are read with: positions, exact decimals, no duplicate keys."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe YAML with positions, exact decimals and no duplicate keys."""

    def construct_mapping(loader: Any, node: Any) -> Generator[Located, None, None]:
        mapping = Located()
        mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
        mapping.value_positions = {}
        yield mapping
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _yaml_error(key_node, _("keys are words like clause or count, not {key!r}").format(key=key))
            if key in mapping:
                raise _yaml_error(key_node, _("key {key!r} is given twice in one mapping").format(key=key))
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.value_positions[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)

    def construct_sequence(loader: Any, node: Any) -> Generator[LocatedList, None, None]:
        sequence = LocatedList()
        sequence.positions = [(n.start_mark.line + 1, n.start_mark.column + 1) for n in node.value]
        yield sequence
        sequence.extend(loader.construct_object(n, deep=True) for n in node.value)

    def construct_float(loader: Any, node: Any) -> Decimal:
        # Amounts are read exactly as written: 1.5 stays Decimal("1.5"), never a binary float.
        text = str(node.value).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _yaml_error(node, _("{text!r} is not a number a score can use").format(text=node.value)) from None
        if not value.is_finite():
            raise _yaml_error(node, _("{text!r} is not a number a score can use").format(text=node.value))
        return value

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    return Loader


class YamlPositionError(Exception):
    """A YAML value refused while loading, with where it stands."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _yaml_error(node: Any, message: str) -> YamlPositionError:
    return YamlPositionError(message, node.start_mark.line + 1, node.start_mark.column + 1)


# -- reading files ----------------------------------------------------------


def parse_document(data: bytes | str, source: str = "<findings>", fmt: str | None = None) -> Any:
    """Parse findings text as JSON or YAML (UTF-8, with or without BOM)."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(_("{source}: not UTF-8 text (byte {position} is {byte:#04x})").format(source=source, position=exc.start, byte=data[exc.start])) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise FindingsError(_("the file is empty; expected a unit (unit:, findings:) or a batch (units:)"), source=source)
    if fmt is None:
        fmt = "json" if source.lower().endswith(".json") else "yaml"
    if fmt == "json":
        return _parse_json(text, source)
    return parse_yaml(text, source)


def _parse_json(text: str, source: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in items:
            if key in mapping:
                raise FindingsError(_("key {key!r} is given twice in one object").format(key=key), source=source)
            mapping[key] = value
        return mapping

    def no_constants(name: str) -> Any:
        # json does not say where the constant stands: find the first one outside a string.
        found = re.search(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text)
        while found and not found.group(1):
            found = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)').search(text, found.end())
        line = column = None
        if found:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise FindingsError(_("{name} is not a number a score can use").format(name=name), source=source, line=line, column=column)

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=no_constants, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc.msg), source=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise FindingsError(_("not valid findings: nested too deeply"), source=source) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise FindingsError(_("not valid JSON: {msg}").format(msg=exc), source=source) from None


def parse_yaml(text: str, source: str, loader: type | None = None) -> Any:
    """Load YAML text with the findings loader (or a subclass of it); errors name the place."""
    import yaml

    try:
        return yaml.load(text, Loader=loader or yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except YamlPositionError as exc:
        raise FindingsError(exc.message, source=source, line=exc.line, column=exc.column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc.problem), source=source, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc), source=source) from None
    except RecursionError:
        raise FindingsError(_("not valid findings: nested too deeply"), source=source) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise FindingsError(_("not valid YAML: {problem}").format(problem=exc), source=source) from None


def read_file(path: str | Path) -> Any:
    """Read and parse a findings file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(_("{path}: cannot read the findings: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    return parse_document(data, str(path))


def unit_mappings(document: Any, source: str = "<findings>") -> Iterator[Mapping[str, Any]]:
    """The unit mappings of a document: itself for one unit, its ``units`` for a batch."""
    if not isinstance(document, Mapping):
        raise FindingsError(
            _("expected a mapping with unit: and findings:, or units: for a batch; found {found}").format(found=_what(document)), source=source
        )
    if "units" in document:
        extra = [k for k in document if k != "units"]
        if extra:
            line, column = _position(document, extra[0])
            raise FindingsError(_("a batch has only the key units:, found also {key!r}").format(key=extra[0]), source=source, line=line, column=column)
        units = document["units"]
        if not isinstance(units, list):
            line, column = _position(document, "units")
            raise FindingsError(_("units: is a list of units; found {found}").format(found=_what(units)), source=source, line=line, column=column)
        yield from units
    else:
        yield document


def read_units(document: Any, rubric: Rubric, source: str = "<findings>") -> Iterator[Unit]:
    """Check every unit of a document against ``rubric``; unit names are unique in a batch."""
    return check_units(unit_mappings(document, source), rubric, source)


def check_units(mappings: Iterable[Any], rubric: Rubric, source: str = "<findings>") -> Iterator[Unit]:
    """Check unit mappings one by one as they come; a name seen before in them is refused."""
    seen: set[str] = set()
    for mapping in mappings:
        unit = read_unit(mapping, rubric, source)
        if unit.name in seen:
            line, column = _position(mapping, "unit")
            raise FindingsError(_("the same unit name appears twice in this batch"), source=source, unit=unit.name, line=line, column=column)
        seen.add(unit.name)
        yield unit


# -- checking one unit ---------------------------------------------------------


def _position(mapping: Any, key: str | None = None) -> tuple[int | None, int | None]:
    if isinstance(mapping, Located):
        return mapping.position(key)
    return None, None


def _what(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, str):
        return _("the text {value!r}").format(value=value)
    if isinstance(value, (int, Decimal, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _nearest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    return _(" (did you mean {words}?)").format(words=_(" or ").join(close)) if close else ""


class _UnitChecker:
    """Checks one unit mapping; every complaint names the unit, the finding and the clause."""

    def __init__(self, mapping: Any, rubric: Rubric, source: str):
        self.mapping = mapping
        self.rubric = rubric
        self.source = source
        self.unit: str | None = None

    def fail(self, message: str, at: Any = None, key: str | None = None, clause: str | None = None,
             where: int | str | None = None) -> FindingsError:
        """The error to raise; ``where`` is a finding's number, or words for a place."""
        line, column = _position(at if at is not None else self.mapping, key)
        if isinstance(where, int):
            where = _("finding {number}").format(number=where)
        return FindingsError(message, source=self.source, unit=self.unit, clause=clause, where=where, line=line, column=column)

    def check(self) -> Unit:
        mapping = self.mapping
        if not isinstance(mapping, Mapping):
            raise self.fail(_("a unit is a mapping with unit: and findings:; found {found}").format(found=_what(mapping)))
        name = mapping.get("unit")
        if isinstance(name, str) and name.strip():
            self.unit = name
        for key in mapping:
            if key not in UNIT_KEYS:
                raise self.fail(_("unknown key {key!r}; a unit has unit: and findings:{suggestion}").format(key=key, suggestion=_nearest(str(key), UNIT_KEYS)), key=key)
        if "unit" not in mapping:
            raise self.fail(_("missing unit: the name of the unit assessed"))
        if not isinstance(name, str) or not name.strip():
            raise self.fail(_("unit: is the unit's name, a non-empty text; found {found}").format(found=_what(name)), key="unit")
        if "findings" not in mapping:
            raise self.fail(_("missing findings: a list, empty when nothing was found"))
        raw = mapping["findings"]
        if raw is None or not isinstance(raw, list):
            raise self.fail(_("findings: is a list; found {found}").format(found=_what(raw)), key="findings")
        findings = tuple(self.finding(n, f) for n, f in enumerate(raw, 1))
        self.across(findings, raw)
        return Unit(name, findings)

    def finding(self, number: int, raw: Any) -> Finding:
        where = number
        if not isinstance(raw, Mapping):
            at = self.mapping
            if isinstance(self.mapping.get("findings"), LocatedList):
                positions = self.mapping["findings"].positions
                at = Located()
                at.line, at.column = positions[number - 1]
            raise self.fail(_("a finding is a mapping with clause: and count:; found {found}").format(found=_what(raw)), at=at, where=where)
        named = raw.get("clause") if isinstance(raw.get("clause"), str) else None
        for key in raw:
            if key not in FINDING_KEYS:
                raise self.fail(_("unknown key {key!r}{suggestion}; a finding has {keys}").format(key=key, suggestion=_nearest(str(key), FINDING_KEYS), keys=', '.join(FINDING_KEYS)),
                                at=raw, key=key, clause=named, where=where)
        if "clause" not in raw:
            raise self.fail(_("missing clause: the id of the clause found against"), at=raw, where=where)
        ident = raw["clause"]
        if not isinstance(ident, str):
            raise self.fail(_("clause ids are texts; found {found} (write it in quotes, like '0.1a')").format(found=_what(ident)), at=raw, key="clause", where=where)
        target = self.rubric.clause_index.get(ident)
        if target is None:
            raise self.fail(_("unknown clause {clause!r}{suggestion}").format(clause=ident, suggestion=_nearest(ident, list(self.rubric.clause_index))), at=raw, key="clause", where=where)
        for key in ("reason", "evidence"):
            if key in raw and not isinstance(raw[key], str):
                raise self.fail(_("{key}: is a text; found {found}").format(key=key, found=_what(raw[key])), at=raw, key=key, clause=ident, where=where)
        if isinstance(target, Adjustment):
            return self.adjustment(number, raw, target, where)
        if target.kind == "discretionary":
            return self.discretionary(number, raw, target, where)
        return self.counted(number, raw, target, where)

    def _count(self, raw: Mapping[str, Any], ident: str, where: int) -> int:
        count = raw["count"]
        if isinstance(count, bool) or not isinstance(count, int):
            raise self.fail(_("count: is a whole number like 2; found {found}").format(found=_what(count)), at=raw, key="count", clause=ident, where=where)
        if count < 0:
            raise self.fail(_("count: cannot be negative; found {count}").format(count=count), at=raw, key="count", clause=ident, where=where)
        if count > MAX_COUNT:
            shown = str(count) if count < 10**20 else str(count)[:20] + "…"
            raise self.fail(_("count: {count} is more than any assessment counts (at most {limit})").format(count=shown, limit=MAX_COUNT),
                            at=raw, key="count", clause=ident, where=where)
        return count

    def _cases(self, raw: Mapping[str, Any], ident: str, where: int) -> tuple[str, ...]:
        cases = raw["cases"]
        if not isinstance(cases, list):
            raise self.fail(_("cases: is a list of case ids; found {found}").format(found=_what(cases)), at=raw, key="cases", clause=ident, where=where)
        for case in cases:
            if not isinstance(case, str):
                raise self.fail(_("case ids are texts; found {found} (write it in quotes)").format(found=_what(case)), at=raw, key="cases", clause=ident, where=where)
            if not case.strip():
                raise self.fail(_("a case id cannot be empty"), at=raw, key="cases", clause=ident, where=where)
        duplicates = sorted({c for c in cases if cases.count(c) > 1})
        if duplicates:
            raise self.fail(_("case {case!r} is named twice on this clause").format(case=duplicates[0]), at=raw, key="cases", clause=ident, where=where)
        return tuple(cases)

    def adjustment(self, number: int, raw: Mapping[str, Any], target: Adjustment, where: int) -> Finding:
        for key in ("cases", "amount"):
            if key in raw:
                raise self.fail(_("{key}: is not for an adjustment; an adjustment takes a count only").format(key=key), at=raw, key=key, clause=target.id, where=where)
        if "count" not in raw:
            raise self.fail(_("missing count: how many times the adjustment applies"), at=raw, clause=target.id, where=where)
        return Finding(target.id, self._count(raw, target.id, where), evidence=raw.get("evidence"), reason=raw.get("reason"), index=number)

    def counted(self, number: int, raw: Mapping[str, Any], target: Clause, where: int) -> Finding:
        if "amount" in raw:
            raise self.fail(_("amount: is only for a discretionary clause; {clause} is `{kind}`: give count or cases").format(clause=target.id, kind=target.kind), at=raw, key="amount", clause=target.id, where=where)
        cases = self._cases(raw, target.id, where) if "cases" in raw else ()
        if "count" in raw:
            count = self._count(raw, target.id, where)
            if "cases" in raw and count != len(cases):
                raise self.fail(_("count: is {count} but {cases} cases are named; give one or make them agree").format(count=count, cases=len(cases)), at=raw, key="count", clause=target.id, where=where)
        elif "cases" in raw:
            count = len(cases)
        else:
            raise self.fail(_("missing count: how many times the clause applies (or cases:, the case ids)"), at=raw, clause=target.id, where=where)
        return Finding(target.id, count, cases, evidence=raw.get("evidence"), reason=raw.get("reason"), index=number)

    def discretionary(self, number: int, raw: Mapping[str, Any], target: Clause, where: int) -> Finding:
        if "count" in raw:
            raise self.fail(_("count: is not for a discretionary clause; {clause} takes an amount:").format(clause=target.id), at=raw, key="count", clause=target.id, where=where)
        if "amount" not in raw:
            raise self.fail(_("missing amount: the deduction the assessor gives on discretionary clause {clause}").format(clause=target.id), at=raw, clause=target.id, where=where)
        amount = self._amount(raw, target, where)
        cases = self._cases(raw, target.id, where) if "cases" in raw else ()
        if len(cases) > 1:
            raise self.fail(_("a discretionary finding names at most one case: give each case its own finding and amount"), at=raw, key="cases", clause=target.id, where=where)
        reason = raw.get("reason")
        if reason is None or not reason.strip():
            raise self.fail(_("missing reason: a discretionary deduction says why"), at=raw, clause=target.id, where=where)
        return Finding(target.id, 1, cases, amount=amount, reason=reason, evidence=raw.get("evidence"), index=number)

    def _amount(self, raw: Mapping[str, Any], target: Clause, where: int) -> Decimal:
        value = raw["amount"]
        amount: Decimal | None = None
        if isinstance(value, bool):
            amount = None
        elif isinstance(value, (int, Decimal)):
            amount = Decimal(value)
        elif isinstance(value, float):
            amount = Decimal(repr(value))  # as the caller wrote it, not the binary approximation
        elif isinstance(value, str):
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            raise self.fail(_("amount: is a number like 1.5; found {found}").format(found=_what(value)), at=raw, key="amount", clause=target.id, where=where)
        if amount.as_tuple().exponent < -MAX_DECIMAL_PLACES or amount.copy_abs() > MAX_COUNT:  # type: ignore[operator]
            raise self.fail(_("amount: {amount} has more than {places} decimal places or is out of range").format(
                amount=str(value)[:40], places=MAX_DECIMAL_PLACES), at=raw, key="amount", clause=target.id, where=where)
        points = self.rubric.item_index[target.item].points
        if amount < 0 or amount > points:
            raise self.fail(
                _("amount: {amount} is outside 0 to {points}, the points of item {item}").format(amount=plain(amount), points=plain(points), item=target.item),
                at=raw, key="amount", clause=target.id, where=where,
            )
        return amount

    def across(self, findings: tuple[Finding, ...], raw: list[Any]) -> None:
        """Checks over all findings of one clause: `of` and cases named twice."""
        by_clause: dict[str, list[Finding]] = {}
        for finding in findings:
            by_clause.setdefault(finding.clause, []).append(finding)
        for ident, group in by_clause.items():
            target = self.rubric.clause_index[ident]
            last = raw[group[-1].index - 1]
            if target.of is not None:
                total = sum(f.count for f in group)
                if total > target.of:
                    raise self.fail(
                        _("counts add up to {total}, past the {of} things the criterion lists (of {of})").format(total=total, of=target.of),
                        at=last, key="count" if "count" in last else "cases", clause=ident, where=group[-1].index,
                    )
            named: set[str] = set()
            for finding in group:
                for case in finding.cases:
                    if case in named:
                        at = raw[finding.index - 1]
                        raise self.fail(_("case {case!r} is named twice on this clause").format(case=case), at=at, key="cases", clause=ident, where=finding.index)
                    named.add(case)


def read_unit(mapping: Any, rubric: Rubric, source: str = "<findings>") -> Unit:
    """Check one unit mapping against ``rubric`` (contract §2).

    Raises:
        FindingsError: naming the unit, the finding and the clause.
    """
    return _UnitChecker(mapping, rubric, source).check()
