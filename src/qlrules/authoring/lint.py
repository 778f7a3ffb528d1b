"""Lints: where a rubric's official wording and the rule that encodes it disagree (`qlrules check`).

The compiler already warns about a rate above its item's points and a cap
that never applies (validate.py); these lints read the wording. The wording
is read as the PDF extraction left it: spaces, no-break spaces (U+00A0) and
ideographic spaces fall inside sentences and numbers ("扣1 分"), so they are
dropped first. Quoted names (“13710”, “三讲一争”, 《…》) are not read for
amounts or counts: their numbers name things, no rule carries them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import assert_never

from ..errors import Problem
from ..i18n import _
from ..language.unparse import keyword
from ..model import Adjustment, Clause, Discretionary, Each, Item, Levels, Measure, Once, Ranged, Rubric, Span
from ..numbers import plain
from .wording import COUNTED, DISCRETIONARY

_SPACES = re.compile(r"\s+")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
#: An amount of points, with the verb before it if any: 扣0.5分, 加1分, 2分.
_AMOUNT = re.compile(r"(?P<verb>扣除|扣|减|加)?(?P<number>\d+(?:\.\d+)?)分(?!钟)")
#: Words that make an amount a ceiling (最多扣2分): what a `cap` carries.
_CEILING = re.compile(r"最多|最高|至多|累计|不超过|不得超过|上限|封顶")
#: A number of things (三张清单, 3项), which `of` carries; not a span of time (三个月内) nor a threshold (2项以上).
_THINGS = re.compile(r"(?P<number>\d+|[二两三四五六七八九十]+)(?:项(?!目)|条|张|种|类|个(?!月))(?!以上|以下|以内|内)")
#: Any other number: carried by no rule unless it states a condition (2次以上, 3个月内).
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z0-9.])")
_CONDITION = re.compile(r"次|年|个?月|周|天|日|小时|人|岁|以上|以下|以内|内")
_SENTENCE = re.compile(r"[,,;;。:：]")
_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", 1)} | {"两": 2}


def lint(rubric: Rubric, text: str) -> list[Problem]:
    """Every lint warning for ``rubric``, compiled from ``text``, in line order."""
    lines = text.removeprefix("\ufeff").splitlines()
    problems: list[Problem] = []

    def warn(span: Span, width: int, message: str) -> None:
        source_line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
        problems.append(Problem(message, rubric.source, span.line, span.column, source_line, width, "warning"))

    for item in rubric.items:
        for message in _item_points(item):
            warn(item.span, len("item"), message)
        for clause in item.clauses:
            for message in _wording(clause, _("clause {clause}").format(clause=clause.id)):
                warn(clause.span, len(clause.id), message)
    for adjustment in rubric.adjustments:
        for message in _wording(adjustment, _("adjustment {clause}").format(clause=adjustment.id)):
            warn(adjustment.span, len(adjustment.id), message)
    return sorted(problems, key=lambda p: (p.line, p.column))


def _read(wording: str) -> str:
    """The wording without spaces and quoted names: what amounts and counts are read from."""
    return _QUOTED.sub("", _SPACES.sub("", wording))


def _item_points(item: Item) -> Iterator[str]:
    """The 具体内容 ends with the item's points (…,2分。)."""
    for match in _AMOUNT.finditer(_read(item.text)):
        if match["verb"] is None and Decimal(match["number"]) != item.points:
            yield _("item {item}: its text says {said} but the item has points {points}").format(
                item=item.id, said=match[0], points=plain(item.points))


def _wording(target: Clause | Adjustment, what: str) -> Iterator[str]:
    """Where a clause's or adjustment's wording says another amount, kind, count or list than its rule."""
    wording = _read(target.text)
    yield from _amounts(target, what, wording)
    yield from _kind(target, what, wording)
    yield from _counts(target, what, wording)
    if isinstance(target.rule, Once | Each | Discretionary):  # the others carry several numbers of their own
        yield from _other_numbers(what, wording)


def _is_ceiling(wording: str, match: re.Match[str]) -> bool:
    """最多扣2分, 累计不超过2分, 2分为限: the amount is a cap, not a rate."""
    sentence = _SENTENCE.split(wording[: match.start()])[-1]
    return bool(_CEILING.search(sentence)) or wording.startswith(("为限", "封顶"), match.end())


def _amounts(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """扣N分 is the rate (加N分 for an adjustment that adds), 最多扣N分 the cap."""
    # Signed as the rubric writes it (−0.5 deducts, +1 adds); a discretionary clause has none.
    rule = target.rule
    match rule:
        case Once(rate) | Each(rate):
            pass
        case Discretionary():
            rate = Decimal(0)
        case Ranged() | Levels() | Measure():
            return  # several numbers, each its own: `_constructs` ties them to the wording
        case _:
            assert_never(rule)
    for match in _AMOUNT.finditer(wording):
        said, number = match[0], Decimal(match["number"])
        if _is_ceiling(wording, match):
            if target.cap is None:
                yield _("{what}: the wording says {said} but the rule has no cap").format(what=what, said=said)
            elif target.cap != number:
                yield _("{what}: the wording says {said} but the rule's cap is {cap}").format(
                    what=what, said=said, cap=plain(target.cap))
        elif match["verb"] is None:
            if number not in (abs(rate), target.cap):
                yield _("{what}: {said} in the wording is a number no rule carries").format(what=what, said=said)
        elif isinstance(rule, Discretionary):
            yield _("{what}: the wording says {said}, a fixed amount, but the rule is discretionary").format(what=what, said=said)
        elif (number if match["verb"] == "加" else -number) != rate:
            sign = "+" if rate > 0 else "\u2212"
            yield _("{what}: the wording says {said} but the rule's rate is {rate}").format(
                what=what, said=said, rate=sign + plain(abs(rate)))


def _kind(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """每项…扣N分 is `each`, a plain 扣N分 `once`, 酌情扣分 `discretionary`: the seed's 考评标准 are written so."""
    rule = target.rule
    if DISCRETIONARY.search(wording) and not isinstance(rule, Discretionary):
        yield _("{what}: the wording says 酌情 (at the assessor's discretion) but the rule is `{kind}`").format(
            what=what, kind=keyword(rule))
    counted = COUNTED.search(wording)
    flat = [m[0] for m in _AMOUNT.finditer(wording) if m["verb"] and not _is_ceiling(wording, m)]
    match rule:
        case Once():
            if counted:
                yield _("{what}: the wording counts ({said}) but the rule is `once`").format(what=what, said=counted[0])
        case Each(_rate, unit):
            if counted is None and flat:
                yield _("{what}: the wording says {said} with no 每 (per finding) but the rule is `each`").format(what=what, said=flat[0])
            elif counted and unit and counted["unit"] != unit:
                yield _("{what}: the wording counts per {said} but the rule counts per {unit}").format(
                    what=what, said=counted["unit"], unit=unit)
        case Discretionary() | Ranged() | Levels() | Measure():
            pass
        case _:
            assert_never(rule)


def _counts(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """A number of things (三张清单) is the clause's `of`; so is the length of a closed list (A、B和C)."""
    for match in _THINGS.finditer(wording):
        number = _whole(match["number"])
        if number >= 2 and number != target.of:
            if target.of is None:
                yield _("{what}: the wording says {said} but the rule has no `of`").format(what=what, said=match[0])
            else:
                yield _("{what}: the wording says {said} but the rule has `of {of}`").format(
                    what=what, said=match[0], of=target.of)
    # Only a clause counting 项 counts the things it lists; one counting 起 or 人次 counts events of any kind listed.
    if not isinstance(target.rule, Each) or target.rule.unit not in (None, "项") or target.of is not None:
        return
    for sentence in _SENTENCE.split(_SPACES.sub("", target.text)):
        things = sentence.split("、")
        if len(things) > 1 and "等" not in things[-1]:  # a list ending with 等 is open: no `of`
            count = len(things) + (1 if re.search("和|及|与", things[-1]) else 0)
            yield _("{what}: the wording lists {count} things ({said}) but the rule has no `of`; "
                    "add `of {count}`, or end an open list with 等").format(what=what, count=count, said=sentence)


def _other_numbers(what: str, wording: str) -> Iterator[str]:
    """A number that is neither an amount, nor a number of things, nor a condition (2次以上): no rule carries it."""
    read = [m.span() for pattern in (_AMOUNT, _THINGS) for m in pattern.finditer(wording)]
    for match in _NUMBER.finditer(wording):
        if not any(a <= match.start() < b for a, b in read) and not _CONDITION.match(wording, match.end()):
            yield _("{what}: {said} in the wording is a number no rule carries").format(what=what, said=match[0])


def _whole(number: str) -> int:
    """An Arabic or Chinese whole number up to 99: 3, 三, 两, 十二, 二十."""
    if number.isdigit():
        return int(number)
    tens, _ten, units = number.rpartition("十")
    if not _ten:
        return _DIGITS.get(number, 0)
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)
