"""Checking findings against a rubric (docs/scoring.md, “Findings documents”): plain data in, `Unit` and `Finding` objects out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, assert_never

import attrs

from ..errors import FindingsCollector, FindingsError
from ..i18n import _
from ..io.documents import DECIMAL, Located, LocatedList, not_a_number
from ..model import Adjustment, Clause, ClauseRule, Discretionary, Each, Frozen, Levels, Measure, Once, Ranged, Rubric, Veto
from ..numbers import plain, signed
from .kernel import MAX_COUNT, MAX_DECIMAL_PLACES

UNIT_KEYS = ("unit", "findings")

#: Bounds that keep every sum exact in Decimal's 28 digits: no real assessment comes near them.
FINDING_KEYS = ("clause", "count", "cases", "amount", "level", "value", "reason", "evidence")


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
    level: str | None = None
    value: Decimal | None = None


@attrs.frozen
class Unit(Frozen):
    """A unit to score and its checked findings."""

    name: str
    findings: tuple[Finding, ...]


def _keyword(rule: ClauseRule) -> str:
    from ..language.unparse import keyword  # only for a message

    return keyword(rule)


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
    """Check unit mappings one by one as they come; a name seen before in them is refused.

    A stream: the units come out as they are checked, and the first invalid unit raises (its
    every problem, from `read_unit`) without the later ones being read. To report every bad
    unit of a batch, read it with `qlrules.io.stream.UnitStream`, as ``qlrules score`` does.
    """
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
        return _("nothing")
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, str):
        return _("the text {value!r}").format(value=value)
    if isinstance(value, (int, Decimal, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return type(value).__name__


def _nearest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    import difflib  # only for a message

    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    return _(" (did you mean {words}?)").format(words=_(" or ").join(close)) if close else ""


class _UnitChecker:
    """Checks one unit mapping; every complaint names the unit, the finding and the clause.

    Every problem is collected: each finding is checked on its own (a bad one is left out of
    the checks across findings), and only a unit that is no mapping or has no findings list
    stops early.
    """

    def __init__(self, mapping: Any, rubric: Rubric, source: str, key_names: Mapping[str, str] | None = None):
        self.mapping = mapping
        self.rubric = rubric
        self.source = source
        self.key_names = key_names or {}
        self.unit: str | None = None
        self.problems = FindingsCollector()

    def key(self, key: str) -> str:
        """How the document names a finding's key: the key itself in YAML and JSON, its column on a form (数量 for count)."""
        return self.key_names.get(key, key)

    def keys(self, *keys: str) -> dict[str, str]:
        """The names of ``keys``, as placeholders of a message: ``{count}`` is how the document names count."""
        return {key: self.key(key) for key in keys}

    def fail(self, message: str, at: Any = None, key: str | None = None, clause: str | None = None,
             where: int | str | None = None) -> FindingsError:
        """The error to raise; ``where`` is a finding's number, or words for a place."""
        line, column = _position(at if at is not None else self.mapping, key)
        if isinstance(where, int):
            where = _("finding {number}").format(number=where)
        return FindingsError(message, source=self.source, unit=self.unit, clause=clause, where=where, line=line, column=column)

    def check(self) -> Unit:
        """The checked unit; else raises every problem found in it."""
        mapping = self.mapping
        if not isinstance(mapping, Mapping):
            raise self.fail(_("a unit is a mapping with unit: and findings:; found {found}").format(found=_what(mapping)))
        name = mapping.get("unit")
        if isinstance(name, str) and name.strip():
            self.unit = name
        for key in mapping:
            if key not in UNIT_KEYS:
                self.problems.add(self.fail(_("unknown key {key!r}; a unit has unit: and findings:{suggestion}").format(key=key, suggestion=_nearest(str(key), UNIT_KEYS)), key=key))
        if "unit" not in mapping:
            self.problems.add(self.fail(_("missing unit: the name of the unit assessed")))
        elif not isinstance(name, str) or not name.strip():
            self.problems.add(self.fail(_("unit: is the unit's name, a non-empty text; found {found}").format(found=_what(name)), key="unit"))
        if "findings" not in mapping:
            self.problems.add(self.fail(_("missing findings: a list, empty when nothing was found")))
            raise self.problems.error()  # nothing more to check
        raw = mapping["findings"]
        if raw is None or not isinstance(raw, list):
            self.problems.add(self.fail(_("findings: is a list; found {found}").format(found=_what(raw)), key="findings"))
            raise self.problems.error()
        findings: list[Finding] = []
        for number, item in enumerate(raw, 1):
            try:
                findings.append(self.finding(number, item))
            except FindingsError as error:
                self.problems.add(error)
        self.across(tuple(findings), raw)
        self.problems.check()
        assert isinstance(name, str)
        return Unit(name, tuple(findings))

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
                raise self.fail(_("{key}: is a text; found {found}").format(key=self.key(key), found=_what(raw[key])), at=raw, key=key, clause=ident, where=where)
        if isinstance(target, Veto):
            self._refuse(raw, ("cases", "amount", "level", "value"), target.id, where, _("a veto takes only {count}").format(**self.keys("count")))
            return Finding(target.id, self._required_count(raw, target.id, where), evidence=raw.get("evidence"),
                           reason=raw.get("reason"), index=number)
        rule = target.rule
        match rule:
            case Once() | Each():
                if isinstance(target, Adjustment):
                    return self.adjustment(number, raw, target, where)
                return self.counted(number, raw, target, where)
            case Discretionary():
                return self.discretionary(number, raw, target, where)
            case Ranged():
                return self.ranged(number, raw, target, rule, where)
            case Levels():
                return self.leveled(number, raw, target, rule, where)
            case Measure():
                return self.measured(number, raw, target, where)
            case _:
                assert_never(rule)

    # -- language 2: keys each rule takes ------------------------------------------------------------

    def _refuse(self, raw: Mapping[str, Any], keys: Iterable[str], ident: str, where: int, why: str) -> None:
        for key in keys:
            if key in raw:
                raise self.fail(_("{key}: is not for clause {clause}: {why}").format(key=self.key(key), clause=ident, why=why),
                                at=raw, key=key, clause=ident, where=where)

    def _required_count(self, raw: Mapping[str, Any], ident: str, where: int) -> int:
        if "count" not in raw:
            raise self.fail(_("missing {key}: how many times the clause applies").format(key=self.key("count")), at=raw, clause=ident, where=where)
        return self._count(raw, ident, where)

    def _count_or_cases(self, raw: Mapping[str, Any], ident: str, where: int, default: int | None = None,
                        cases_allowed: bool = True) -> tuple[int, tuple[str, ...]]:
        """A count, or cases (whose number is the count), as for any once/each finding; both must agree."""
        if not cases_allowed:
            self._refuse(raw, ("cases",), ident, where, _("{cases} are for deductions (注1 compares what a case costs), not for awards or adjustments").format(
                **self.keys("cases")))
        cases = self._cases(raw, ident, where) if "cases" in raw else ()
        if "count" in raw:
            count = self._count(raw, ident, where)
            if "cases" in raw and count != len(cases):
                raise self.fail(_("{key}: is {count} but {cases} cases are named; give one or make them agree").format(
                    key=self.key("count"), count=count, cases=len(cases)),
                                at=raw, key="count", clause=ident, where=where)
        elif "cases" in raw:
            count = len(cases)
        elif default is not None:
            count = default
        else:
            raise self.fail(_("missing {count}: how many times the clause applies (or {cases}, the case ids)").format(
                **self.keys("count", "cases")), at=raw, clause=ident, where=where)
        return count, cases

    def _given_amount(self, raw: Mapping[str, Any], ident: str, where: int, low: Decimal, high: Decimal, count: int,
                      unit: str | None, per_count: bool) -> tuple[Decimal, str]:
        """The amount and reason a range finding must give, within |low|×count … |high|×count (or |low| … |high|)."""
        if "amount" not in raw:
            raise self.fail(_("missing {key}: clause {clause} gives a range ({low} to {high}); the finding says how much").format(
                key=self.key("amount"), clause=ident, low=plain(abs(low)), high=plain(abs(high))), at=raw, clause=ident, where=where)
        amount = self._decimal(raw, "amount", ident, where)
        least, most = (abs(low) * count, abs(high) * count) if per_count else (abs(low), abs(high))
        if not least <= amount <= most:
            if per_count:
                message = _("{key}: {amount} is outside what clause {clause} allows for a count of {count}: {low} to {high} per {unit}, so {least} to {most}").format(
                    key=self.key("amount"), amount=plain(amount), clause=ident, count=count, low=plain(abs(low)), high=plain(abs(high)), unit=unit or _("time"),
                    least=plain(least), most=plain(most))
            else:
                message = _("{key}: {amount} is outside the range of clause {clause}: {low} to {high}").format(
                    key=self.key("amount"), amount=plain(amount), clause=ident, low=plain(least), high=plain(most))
            raise self.fail(message, at=raw, key="amount", clause=ident, where=where)
        reason = raw.get("reason")
        if reason is None or not reason.strip():
            raise self.fail(_("missing {key}: an amount chosen within a range says why").format(key=self.key("reason")), at=raw, clause=ident, where=where)
        return amount, reason

    def ranged(self, number: int, raw: Mapping[str, Any], target: Clause | Adjustment, rule: Ranged, where: int) -> Finding:
        self._refuse(raw, ("level", "value"), target.id, where, _("it gives a range: give {amount} and {reason}").format(**self.keys("amount", "reason")))
        awards = rule.high > 0 or isinstance(target, Adjustment)
        count, cases = self._count_or_cases(raw, target.id, where, default=None if rule.each else 1, cases_allowed=not awards)
        if len(cases) > 1:
            raise self.fail(_("a finding with an amount names at most one case: give each case its own finding and amount"),
                            at=raw, key="cases", clause=target.id, where=where)
        amount, reason = self._given_amount(raw, target.id, where, rule.low, rule.high, count, rule.unit, rule.each)
        return Finding(target.id, count, cases, amount=amount, reason=reason, evidence=raw.get("evidence"), index=number)

    def leveled(self, number: int, raw: Mapping[str, Any], target: Clause | Adjustment, rule: Levels, where: int) -> Finding:
        self._refuse(raw, ("value",), target.id, where, _("it has levels: give {level} and {count}").format(**self.keys("level", "count")))
        names = "、".join(lv.name for lv in rule.levels)
        if "level" not in raw:
            raise self.fail(_("missing {key}: one of {levels}").format(key=self.key("level"), levels=names), at=raw, clause=target.id, where=where)
        name = raw["level"]
        level = rule.level(name) if isinstance(name, str) else None
        if level is None:
            raise self.fail(_("unknown level {level!r}; the levels of clause {clause} are {levels}").format(
                level=name, clause=target.id, levels=names), at=raw, key="level", clause=target.id, where=where)
        awards = level.high > 0 or isinstance(target, Adjustment)
        count, cases = self._count_or_cases(raw, target.id, where, cases_allowed=not awards)
        if not level.ranged:
            if "amount" in raw:
                raise self.fail(_("{key}: is not for level {level} of clause {clause}, whose rate is fixed ({rate})").format(
                    key=self.key("amount"), level=level.name, clause=target.id, rate=signed(level.low)), at=raw, key="amount", clause=target.id, where=where)
            return Finding(target.id, count, cases, level=level.name, reason=raw.get("reason"), evidence=raw.get("evidence"), index=number)
        if len(cases) > 1:
            raise self.fail(_("a finding with an amount names at most one case: give each case its own finding and amount"),
                            at=raw, key="cases", clause=target.id, where=where)
        amount, reason = self._given_amount(raw, target.id, where, level.low, level.high, count, rule.unit, rule.each)
        return Finding(target.id, count, cases, amount=amount, reason=reason, evidence=raw.get("evidence"), index=number, level=level.name)

    def measured(self, number: int, raw: Mapping[str, Any], target: Clause | Adjustment, where: int) -> Finding:
        self._refuse(raw, ("count", "cases", "amount", "level"), target.id, where, _("it is measured: give {value}").format(**self.keys("value")))
        if "value" not in raw:
            raise self.fail(_("missing {key}: clause {clause} computes its amount from the value measured").format(
                key=self.key("value"), clause=target.id),
                            at=raw, clause=target.id, where=where)
        value = self._decimal(raw, "value", target.id, where, negative=True)
        return Finding(target.id, 1, value=value, reason=raw.get("reason"), evidence=raw.get("evidence"), index=number)

    def _count(self, raw: Mapping[str, Any], ident: str, where: int) -> int:
        count = raw["count"]
        if isinstance(count, str) and _foreign_digits(count):
            raise self.fail(self.key("count") + ": " + not_a_number(count, decimal=False), at=raw, key="count", clause=ident, where=where)
        if isinstance(count, bool) or not isinstance(count, int):
            raise self.fail(_("{key}: is a whole number like 2; found {found}").format(key=self.key("count"), found=_what(count)), at=raw, key="count", clause=ident, where=where)
        if count < 0:
            raise self.fail(_("{key}: cannot be negative; found {count}").format(key=self.key("count"), count=count), at=raw, key="count", clause=ident, where=where)
        if count > MAX_COUNT:
            shown = str(count) if count < 10**20 else str(count)[:20] + "…"
            raise self.fail(_("{key}: {count} is more than any assessment counts (at most {limit})").format(key=self.key("count"), count=shown, limit=MAX_COUNT),
                            at=raw, key="count", clause=ident, where=where)
        return count

    def _cases(self, raw: Mapping[str, Any], ident: str, where: int) -> tuple[str, ...]:
        cases = raw["cases"]
        if not isinstance(cases, list):
            raise self.fail(_("{key}: is a list of case ids; found {found}").format(key=self.key("cases"), found=_what(cases)), at=raw, key="cases", clause=ident, where=where)
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
        for key in ("cases", "amount", "level", "value"):
            if key in raw:
                raise self.fail(_("{key}: is not for an adjustment; an adjustment takes only {count}").format(key=self.key(key), count=self.key("count")), at=raw, key=key, clause=target.id, where=where)
        if "count" not in raw:
            raise self.fail(_("missing {key}: how many times the adjustment applies").format(key=self.key("count")), at=raw, clause=target.id, where=where)
        return Finding(target.id, self._count(raw, target.id, where), evidence=raw.get("evidence"), reason=raw.get("reason"), index=number)

    def counted(self, number: int, raw: Mapping[str, Any], target: Clause, where: int) -> Finding:
        if "amount" in raw:
            raise self.fail(_("{key}: is only for a discretionary clause; {clause} is `{kind}`: give {count} or {cases}").format(
                key=self.key("amount"), clause=target.id, kind=_keyword(target.rule), **self.keys("count", "cases")), at=raw, key="amount", clause=target.id, where=where)
        self._refuse(raw, ("level", "value"), target.id, where, _("it has one rate: give {count} or {cases}").format(**self.keys("count", "cases")))
        awards = isinstance(target.rule, Once | Each) and target.rule.rate > 0
        count, cases = self._count_or_cases(raw, target.id, where, cases_allowed=not awards)
        return Finding(target.id, count, cases, evidence=raw.get("evidence"), reason=raw.get("reason"), index=number)

    def discretionary(self, number: int, raw: Mapping[str, Any], target: Clause | Adjustment, where: int) -> Finding:
        assert isinstance(target, Clause)  # the compiler refuses discretionary adjustments
        self._refuse(raw, ("level", "value"), target.id, where, _("it is discretionary: give {amount} and {reason}").format(**self.keys("amount", "reason")))
        if "count" in raw:
            raise self.fail(_("{key}: is not for a discretionary clause; {clause} takes {amount}").format(
                key=self.key("count"), clause=target.id, amount=self.key("amount")), at=raw, key="count", clause=target.id, where=where)
        if "amount" not in raw:
            raise self.fail(_("missing {key}: the deduction the assessor gives on discretionary clause {clause}").format(
                key=self.key("amount"), clause=target.id), at=raw, clause=target.id, where=where)
        amount = self._amount(raw, target, where)
        cases = self._cases(raw, target.id, where) if "cases" in raw else ()
        if len(cases) > 1:
            raise self.fail(_("a discretionary finding names at most one case: give each case its own finding and amount"), at=raw, key="cases", clause=target.id, where=where)
        reason = raw.get("reason")
        if reason is None or not reason.strip():
            raise self.fail(_("missing {key}: a discretionary deduction says why").format(key=self.key("reason")), at=raw, clause=target.id, where=where)
        return Finding(target.id, 1, cases, amount=amount, reason=reason, evidence=raw.get("evidence"), index=number)

    def _amount(self, raw: Mapping[str, Any], target: Clause, where: int) -> Decimal:
        amount = self._decimal(raw, "amount", target.id, where, negative=True)
        points = self.rubric.part_index[target.item].points
        if amount < 0 or amount > points:
            raise self.fail(
                _("{key}: {amount} is outside 0 to {points}, the points of item {item}").format(key=self.key("amount"), amount=plain(amount), points=plain(points), item=target.item),
                at=raw, key="amount", clause=target.id, where=where,
            )
        return amount

    def _decimal(self, raw: Mapping[str, Any], key: str, ident: str, where: int, negative: bool = False) -> Decimal:
        """``amount`` or ``value`` read exactly: a number or a decimal string, within the bounds that keep sums exact."""
        value = raw[key]
        amount: Decimal | None = None
        if isinstance(value, bool):
            amount = None
        elif isinstance(value, (int, Decimal)):
            amount = Decimal(value)
        elif isinstance(value, float):
            amount = Decimal(repr(value))  # as the caller wrote it, not the binary approximation
        elif isinstance(value, str):
            if DECIMAL.fullmatch(value.strip()):
                amount = Decimal(value.strip())
            elif _foreign_digits(value):
                raise self.fail(f"{self.key(key)}: " + not_a_number(value, decimal=True), at=raw, key=key, clause=ident, where=where)
        if amount is None or not amount.is_finite():
            raise self.fail(_("{key}: is a number like 1.5; found {found}").format(key=self.key(key), found=_what(value)), at=raw, key=key, clause=ident, where=where)
        if amount.as_tuple().exponent < -MAX_DECIMAL_PLACES or amount.copy_abs() > MAX_COUNT:  # type: ignore[operator]
            raise self.fail(_("{key}: {amount} has more than {places} decimal places or is out of range").format(
                key=self.key(key), amount=str(value)[:40], places=MAX_DECIMAL_PLACES), at=raw, key=key, clause=ident, where=where)
        if amount < 0 and not negative:
            raise self.fail(_("{key}: is a magnitude, at least 0; found {amount} (the clause's sign says whether it deducts or adds)").format(
                key=self.key(key), amount=plain(amount)), at=raw, key=key, clause=ident, where=where)
        return amount

    def across(self, findings: tuple[Finding, ...], raw: list[Any]) -> None:
        """Checks over all (valid) findings of one clause: `of` and cases named twice."""
        by_clause: dict[str, list[Finding]] = {}
        for finding in findings:
            by_clause.setdefault(finding.clause, []).append(finding)
        for ident, group in by_clause.items():
            target = self.rubric.clause_index[ident]
            last = raw[group[-1].index - 1]
            if len(group) > 1 and not isinstance(target, Veto) and _one_finding_per_unit(target.rule):
                self.problems.add(self.fail(_("clause {clause} takes at most one finding per unit; this unit has {count}").format(
                    clause=ident, count=len(group)), at=last, clause=ident, where=group[-1].index))
            if isinstance(target, Veto):
                pass
            elif target.of is not None:
                total = sum(f.count for f in group)
                if total > target.of:
                    self.problems.add(self.fail(
                        _("counts add up to {total}, past the {of} things the criterion lists (of {of})").format(total=total, of=target.of),
                        at=last, key="count" if "count" in last else "cases", clause=ident, where=group[-1].index,
                    ))
            named: set[str] = set()
            for finding in group:
                for case in finding.cases:
                    if case in named:
                        at = raw[finding.index - 1]
                        self.problems.add(self.fail(_("case {case!r} is named twice on this clause").format(case=case), at=at, key="cases",
                                                    clause=ident, where=finding.index))
                    named.add(case)


def _foreign_digits(text: str) -> bool:
    """Whether ``text`` has digits other than ASCII 0-9 (full-width ２, Arabic-Indic ٢, …), which are refused."""
    return any(ch.isdigit() and not ch.isascii() for ch in text)


def _one_finding_per_unit(rule: ClauseRule) -> bool:
    """A once range is one amount for the unit, a measure one value: a second finding would be a second opinion."""
    match rule:
        case Ranged(each=each):
            return not each
        case Measure():
            return True
        case Once() | Each() | Discretionary() | Levels():
            return False
        case _:
            assert_never(rule)


def read_unit(mapping: Any, rubric: Rubric, source: str = "<findings>", *, key_names: Mapping[str, str] | None = None) -> Unit:
    """Check one unit mapping against ``rubric`` (:ref:`scoring-findings`).

    ``key_names`` says how the document names a finding's keys where it is not by the keys
    themselves: a form's columns (``{"count": "数量", …}``), so that its messages name the column.

    Raises:
        FindingsError: every problem of the unit (see `FindingsError.problems`), each naming the
            unit, the finding and the clause.
    """
    from .plan import check_fast

    unit = check_fast(rubric, mapping)  # the common case, checked as it is collected (same Unit)
    return unit if unit is not None else _UnitChecker(mapping, rubric, source, key_names).check()
