"""Lints: where a rubric's official wording and the rule that encodes it disagree (`qlrules check`).

The compiler already warns about a rate above its item's points and a cap
that never applies (validate.py); these lints read the wording. The wording
is read as the PDF extraction left it: spaces, no-break spaces (U+00A0) and
ideographic spaces fall inside sentences and numbers ("扣1 分"), so they are
dropped first. Quoted names (“13710”, “三讲一争”, 《…》) are not read for
amounts or counts: their numbers name things, no rule carries them.

Language 2 ties each construct to its wording: 扣1-2分 to a range, 分别加2、4、6、10分
to levels (in that order), 得N分 and 加N分 to an award, 每降低1个百分点 to a measure's
steps and 以上/以下 to its tiers, 最高减N分 / 限扣N分 / 扣完为止 to a cap (on the
clause, or on the item, topic, section or group whose words say it), 本项不得分 to a
once deduction of the part's points, 一票否决 to a veto, and a grade's wording
(90分(含)以上为优秀, 76-89为达标) to its bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import assert_never

import attrs

from ..errors import Problem
from ..i18n import _
from ..language.unparse import band_source, grade_band, keyword, levels_source, rate_range, rule_source
from ..model import (
    ITEM_CAP,
    Adjustment,
    AdjustmentGroup,
    Band,
    Clause,
    Discretionary,
    Each,
    Grade,
    Item,
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
from ..numbers import plain
from .wording import COUNTED, DISCRETIONARY, EXHAUSTED, LIST, NOTHING, ONE_BY_ONE, RANGE, SENTENCE, VETO, is_ceiling, list_numbers

_SPACES = re.compile(r"\s+")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
#: The mark a clause's wording starts with when the document numbers its 考评标准: (1), （2）, ③.
_ENUMERATION = re.compile(r"^(?:[(（]\d{1,2}[)）]|[\u2460-\u2473])")
#: An amount of points, with the verb before it if any: 扣0.5分, 加1分, 2分.
_AMOUNT = re.compile(r"(?P<verb>扣除|扣|减|加|得)?(?P<number>\d+(?:\.\d+)?)分(?!钟)")
#: A number of things (三张清单, 3项), which `of` carries; not a span of time (三个月内) nor a threshold (2项以上).
_THINGS = re.compile(r"(?P<number>\d+|[二两三四五六七八九十]+)(?:项(?!目)|条|张|种|类|个(?!月))(?!以上|以下|以内|内)")
#: Any other number: carried by no rule unless it states a condition (2次以上, 3个月内).
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z0-9.])")
_CONDITION = re.compile(r"次|年|个?月|周|天|日|小时|人|岁|以上|以下|以内|内")
_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", 1)} | {"两": 2}
#: A number that is the first end of a range of a condition (死亡3-5人): its other end says what it counts.
_RANGE_END = re.compile(r"[-－~～—至到]\d+(?:\.\d+)?")
#: A measure's step (每降低1个百分点, 每增加1人, 每低1个百分点).
_STEP = re.compile(r"每(?:降低|下降|减少|低|少|增加|提高|上升|增|多|高|超过|超出|后退|进步)(?P<step>\d+(?:\.\d+)?)")
#: A measure's threshold, after the word that says which way it is passed.
_THRESHOLD = re.compile(
    r"(?P<way>低于|不足|不到|未达到|未达|少于|小于|高于|超过|超出|多于|大于|达到|后退|进步|下降|提高|增加|减少)?"
    r"(?P<number>\d+(?:\.\d+)?)(?P<after>[%％个人位名项次分]*(?:[(（]含[)）])?(?:及以上|以上|及以下|以下)?)")
_BELOW_WORDS = frozenset({"低于", "不足", "不到", "未达到", "未达", "少于", "小于"})
_ABOVE_WORDS = frozenset({"高于", "超过", "超出", "多于", "大于"})
#: A grade's bound: 90分(含)以上, 75分(含)以下, 低于60分; or a band, 76-89.
_GRADE_RANGE = re.compile(r"(?P<low>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?[-－~～—至到](?P<high>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?")
_GRADE_BOUND = re.compile(
    r"(?P<strict>低于|不足|不满|未达到|未满|少于|小于|高于|超过|大于|多于)?(?P<number>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?"
    r"(?P<side>及以上|以上|及以下|以下|以内)?")


#: The code of every lint warning: the official wording and the rule disagree.
WORDING = "wording"


def lint(rubric: Rubric, text: str) -> list[Problem]:
    """Every lint warning for ``rubric``, compiled from ``text``, in line order."""
    lines = text.removeprefix("\ufeff").splitlines()
    problems: list[Problem] = []

    def warn(span: Span, width: int, message: str) -> None:
        source_line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
        problems.append(Problem(message, rubric.source, span.line, span.column, source_line, width, "warning", WORDING))

    def clauses(clauses: tuple[Clause, ...], part: Section | Topic | Item) -> None:
        for clause in clauses:
            for message in _wording(clause, _("clause {clause}").format(clause=clause.id), part, item_cap):
                warn(clause.span, len(clause.id), message)

    item_cap = rubric.has_rule(ITEM_CAP)
    for section in rubric.sections:
        for message in _part_caps(section, _part_name(section), item_cap):
            warn(section.span, len("section"), message)
        clauses(section.clauses, section)
        for topic in section.topics:
            for message in _part_caps(topic, _part_name(topic), item_cap):
                warn(topic.span, len("topic"), message)
            clauses(topic.clauses, topic)
    for item in rubric.items:
        for message in _item_points(item):
            warn(item.span, len("item"), message)
        for message in _part_caps(item, _part_name(item), item_cap):
            warn(item.span, len("item"), message)
        clauses(item.clauses, item)
    for group in rubric.adjustment_groups:
        for message in _part_caps(group, _part_name(group), item_cap):
            warn(group.span, len("adjustments"), message)
        for adjustment in group.adjustments:
            for message in _wording(adjustment, _("adjustment {clause}").format(clause=adjustment.id), group, item_cap):
                warn(adjustment.span, len(adjustment.id), message)
    names = [g.name for g in rubric.grades]
    for grade in rubric.grades:
        for message in _grade(grade, names):
            warn(grade.span, len(grade.name), message)
    for veto in rubric.vetoes:
        for message in _veto(veto, names):
            warn(veto.span, len(veto.id), message)
    return sorted(problems, key=lambda p: (p.line, p.column))


def _read(wording: str) -> str:
    """The wording without spaces, quoted names and its own enumeration mark ((1)未执行…, ②…): what amounts and counts are read from."""
    return _ENUMERATION.sub("", _QUOTED.sub("", _SPACES.sub("", wording)))


def _blank(wording: str) -> str:
    """The wording with its ranges (扣1-2分) and lists (分别加2、4分) blotted out, for the lints of single amounts."""
    for pattern in (RANGE, LIST):
        wording = pattern.sub(lambda m: "□" * len(m[0]), wording)
    return wording


def _item_points(item: Item) -> Iterator[str]:
    """The 具体内容 ends with the item's points (…,2分。)."""
    for match in _AMOUNT.finditer(_blank(_read(item.text))):
        if match["verb"] in (None, "得") and Decimal(match["number"]) != item.points:
            yield _("item {item}: its text says {said} but the item has points {points}").format(
                item=item.id, said=match[0], points=plain(item.points))


Part = Section | Topic | Item | AdjustmentGroup


def _sign(verb: str | None) -> int:
    """What the verb before an amount says: 扣/减 deduct (−1), 加/得 add (+1), none says nothing (0)."""
    if verb is None:
        return 0
    return 1 if verb in ("加", "得") else -1


def _wording(target: Clause | Adjustment, what: str, part: Part, item_cap: bool = False) -> Iterator[str]:
    """Where a clause's or adjustment's wording says another amount, kind, count or list than its rule."""
    wording = _read(target.text)
    blanked = _blank(wording)
    nothing = isinstance(target, Clause) and NOTHING.search(wording) is not None and not any(
        m["verb"] in ("加", "得") for m in _AMOUNT.finditer(blanked))
    yield from _shapes(target, what, wording)
    yield from _amounts(target, what, blanked)
    yield from _kind(target, what, blanked, nothing)
    yield from _counts(target, what, wording)
    yield from _exhausted(target, what, wording, part, item_cap)
    if nothing and isinstance(part, Section | Topic | Item):
        yield from _whole_loss(target, what, part)
    yield from _not_veto(target, what)
    if isinstance(target.rule, Once | Each | Discretionary):  # the others carry several numbers of their own
        yield from _other_numbers(what, blanked)



def _amounts(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """扣N分 is the rate (加N分 or 得N分 for one that adds), 最多扣N分 the cap."""
    # Signed as the rubric writes it (−0.5 deducts, +1 adds); a discretionary clause has none.
    rule = target.rule
    rate: Decimal | None
    match rule:
        case Once(rate) | Each(rate):
            pass
        case Discretionary():
            rate = Decimal(0)
        case Ranged() | Levels() | Measure():
            rate = None  # several numbers, each its own: `_shapes` ties them to the wording
        case _:
            assert_never(rule)
    for match in _AMOUNT.finditer(wording):
        said, number = match[0], Decimal(match["number"])
        if is_ceiling(wording, match):
            if target.cap is None:
                yield _("{what}: the wording says {said} but the rule has no cap").format(what=what, said=said)
            elif target.cap != number:
                yield _("{what}: the wording says {said} but the rule's cap is {cap}").format(
                    what=what, said=said, cap=plain(target.cap))
        elif rate is None:
            continue
        elif match["verb"] is None:
            if number not in (abs(rate), target.cap):
                yield _("{what}: {said} in the wording is a number no rule carries").format(what=what, said=said)
        elif isinstance(rule, Discretionary):
            yield _("{what}: the wording says {said}, a fixed amount, but the rule is discretionary").format(what=what, said=said)
        elif _sign(match["verb"]) * number != rate:
            sign = "+" if rate > 0 else "\u2212"
            yield _("{what}: the wording says {said} but the rule's rate is {rate}").format(
                what=what, said=said, rate=sign + plain(abs(rate)))


def _kind(target: Clause | Adjustment, what: str, wording: str, whole_loss: bool = False) -> Iterator[str]:
    """每项…扣N分 is `each`, a plain 扣N分 `once`, 酌情扣分 `discretionary`: the seed's 考评标准 are written so.

    A range (扣1-3分) is the assessor's choice within bounds: 酌情 suits it. 凡出现一例,本项不得分 is `once`.
    """
    rule = target.rule
    ranged = isinstance(rule, Ranged) or (isinstance(rule, Levels) and any(lv.ranged for lv in rule.levels))
    if DISCRETIONARY.search(wording) and not isinstance(rule, Discretionary) and not ranged:
        yield _("{what}: the wording says 酌情 (at the assessor's discretion) but the rule is `{kind}`").format(
            what=what, kind=keyword(rule))
    counted = COUNTED.search(wording) or ONE_BY_ONE.search(wording)
    flat = [m[0] for m in _AMOUNT.finditer(wording) if m["verb"] and not is_ceiling(wording, m)]
    flat += [m[0] for m in RANGE.finditer(_read(target.text)) if m["verb"]]
    unit: str | None
    match rule:
        case Discretionary() | Measure():
            return
        case Once():
            each, unit = False, None
        case Each(unit=unit):
            each = True
        case Ranged(each=each, unit=unit) | Levels(each=each, unit=unit):
            pass
        case _:
            assert_never(rule)
    if not each:
        if counted and not whole_loss:
            yield _("{what}: the wording counts ({said}) but the rule is `once`").format(what=what, said=counted[0])
    # Levels may list their rates with no 每 (获…表扬的,分别加2、4分): each commendation counts.
    elif counted is None and flat and not isinstance(rule, Levels):
        yield _("{what}: the wording says {said} with no 每 (per finding) but the rule is `each`").format(what=what, said=flat[0])
    elif counted and unit and unit not in _counted_units(wording, counted):
        yield _("{what}: the wording counts per {said} but the rule counts per {unit}").format(
            what=what, said=counted["unit"], unit=unit)


def _counted_units(wording: str, counted: re.Match[str]) -> set[str]:
    """What 每… may count: its unit word (每人次), the word it measures (每个问题点), or several in a row (每个每次: 个次)."""
    units = {counted["unit"]}
    joined, end = counted["unit"], counted.end()
    while (more := COUNTED.match(wording, end)) is not None:
        joined, end = joined + more["unit"], more.end()
        units.add(joined)
    after = SENTENCE.split(wording[counted.end():])[0]
    units.update(after[:n] for n in range(1, len(after) + 1))
    return units


def _counts(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """A number of things (三张清单) is the clause's `of`; so is the length of a closed list (A、B和C).

    A measured clause's numbers are its thresholds and steps (每降低2个百分点): it counts nothing.
    """
    if isinstance(target.rule, Measure):
        return
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
    for sentence in SENTENCE.split(LIST.sub("□", _SPACES.sub("", target.text))):
        things = sentence.split("、")
        if len(things) > 1 and "等" not in things[-1]:  # a list ending with 等 is open: no `of`
            count = len(things) + (1 if re.search("和|及|与", things[-1]) else 0)
            yield _("{what}: the wording lists {count} things ({said}) but the rule has no `of`; "
                    "add `of {count}`, or end an open list with 等").format(what=what, count=count, said=sentence)


def _other_numbers(what: str, wording: str) -> Iterator[str]:
    """A number that is neither an amount, nor a number of things, nor a condition (2次以上): no rule carries it."""
    read = [m.span() for pattern in (_AMOUNT, _THINGS) for m in pattern.finditer(wording)]
    for match in _NUMBER.finditer(wording):
        if any(a <= match.start() < b for a, b in read) or _CONDITION.match(wording, match.end()):
            continue
        other_end = _RANGE_END.match(wording, match.end())  # 死亡3-5人: a range of a condition
        if other_end is not None and _CONDITION.match(wording, other_end.end()):
            continue
        yield _("{what}: {said} in the wording is a number no rule carries").format(what=what, said=match[0])


def _whole(number: str) -> int:
    """An Arabic or Chinese whole number up to 99: 3, 三, 两, 十二, 二十."""
    if number.isdigit():
        return int(number)
    tens, _ten, units = number.rpartition("十")
    if not _ten:
        return _DIGITS.get(number, 0)
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)


# -- language 2: ranges, levels, measures, caps, 本项不得分, vetoes and grades ------------------


@attrs.frozen
class _Said:
    """An amount the wording states, as the rule would carry it: signed (0: no verb), a range's ends, where."""

    text: str
    start: int
    low: Decimal
    high: Decimal
    sign: int

    def agrees(self, low: Decimal, high: Decimal) -> bool:
        """Whether this says the signed rate ``low``..``high`` (a fixed rate: ``low == high``)."""
        sign = 1 if high > 0 else -1
        return (self.low, self.high) == (abs(low), abs(high)) and self.sign in (0, sign)


def _stated(wording: str) -> list[_Said]:
    """The amounts the wording states that are not ceilings, in wording order: ranges, each number of a list, singles."""
    said: list[_Said] = []
    for m in RANGE.finditer(wording):
        said.append(_Said(m[0], m.start(), Decimal(m["low"]), Decimal(m["high"]), _sign(m["verb"])))
    for m in LIST.finditer(wording):
        said.extend(_Said(m[0], m.start() + n, Decimal(x), Decimal(x), _sign(m["verb"])) for n, x in enumerate(list_numbers(m["numbers"])))
    blanked = _blank(wording)
    for m in _AMOUNT.finditer(blanked):
        if m["verb"] is not None and not is_ceiling(blanked, m):
            said.append(_Said(m[0], m.start(), Decimal(m["number"]), Decimal(m["number"]), _sign(m["verb"])))
    return sorted(said, key=lambda s: s.start)


def _texts(said: list[_Said]) -> str:
    """What the wording states, each text once: 分别得2、1分 … 扣1-2分."""
    return " … ".join(dict.fromkeys(s.text for s in said))


def _shapes(target: Clause | Adjustment, what: str, wording: str) -> Iterator[str]:
    """扣1-2分 is a range with those ends; 分别加2、4、6、10分 levels with those rates in that order."""
    rule = target.rule
    ranges = [m for m in RANGE.finditer(wording) if not is_ceiling(wording, m)]
    lists = [m for m in LIST.finditer(wording) if not is_ceiling(wording, m)]
    match rule:
        case Ranged(low, high):
            if lists:
                yield _("{what}: the wording says {said}, a rate for each level, but the rule is the range {rule}").format(
                    what=what, said=lists[0][0], rule=rate_range(low, high))
            for m in ranges:
                said = _Said(m[0], m.start(), Decimal(m["low"]), Decimal(m["high"]), _sign(m["verb"]))
                if not said.agrees(low, high):
                    yield _("{what}: the wording says {said} but the rule's range is {rule}").format(
                        what=what, said=m[0], rule=rate_range(low, high))
            if not ranges and not lists:
                single = _stated(wording)
                if single:
                    yield _("{what}: the wording says {said}, one amount, but the rule is the range {rule}").format(
                        what=what, said=single[0].text, rule=rate_range(low, high))
        case Levels(levels):
            stated = _stated(wording)
            rates = [(lv.low, lv.high) for lv in levels]
            # 迟报、漏报的扣1分;瞒报的扣2分: levels next to each other at the same rate may be stated once.
            collapsed = [r for n, r in enumerate(rates) if n == 0 or r != rates[n - 1]]
            if stated and not any(len(stated) == len(rs) and all(s.agrees(*r) for s, r in zip(stated, rs)) for rs in (rates, collapsed)):
                yield _("{what}: the wording says {said} but the rule's levels are {levels}").format(
                    what=what, said=_texts(stated), levels=levels_source(levels))
        case Measure(_unit, way, bands):
            if ranges or lists:
                first = (ranges or lists)[0]
                yield _("{what}: the wording says {said}, but the rule is measured: {rule}").format(
                    what=what, said=first[0], rule=rule_source(rule))
            else:
                yield from _measure(what, wording, way, bands)
        case Once() | Each() | Discretionary():
            if ranges:
                yield _("{what}: the wording says {said}, a range, but the rule is `{rule}`").format(
                    what=what, said=ranges[0][0], rule=rule_source(rule))
            if lists:
                yield _("{what}: the wording says {said}, a rate for each level, but the rule is `{rule}`").format(
                    what=what, said=lists[0][0], rule=rule_source(rule))
        case _:
            assert_never(rule)


@attrs.frozen
class _Band:
    """What the wording says of one band of a measure: the sentence, and what it reads there."""

    text: str
    rate: _Said
    threshold: Decimal | None
    step: Decimal | None
    tier: str | None  # at-least (以上) or at-most (以下), for a band without a step
    way: str | None  # below (低于) or above (高于), where the wording says so


def _bands(wording: str) -> list[_Band]:
    """Each amount of a measured clause's wording with the condition written before it (低于96%的,每降低1个百分点)."""
    found: list[_Band] = []
    start = 0
    for m in _AMOUNT.finditer(wording):
        if is_ceiling(wording, m):
            start = m.end()
            continue
        text = wording[start:m.end()].lstrip(",,;;。:：")  # noqa: B005 - a set of separators
        condition = wording[start:m.start()]
        start = m.end()
        step = _STEP.search(condition)
        outside = condition[: step.start()] + "□" * len(step[0]) + condition[step.end():] if step else condition
        thresholds = list(_THRESHOLD.finditer(outside))
        said = next((t for t in thresholds if t["way"]), None) or next(iter(thresholds), None)
        after = said["after"] if said else ""
        tier = None if step else "at-least" if "以上" in after else "at-most" if "以下" in after else None
        word = said["way"] if said else None
        way = "below" if word in _BELOW_WORDS else "above" if word in _ABOVE_WORDS else None
        rate = _Said(m[0], m.start(), Decimal(m["number"]), Decimal(m["number"]), _sign(m["verb"]))
        found.append(_Band(text, rate, Decimal(said["number"]) if said else None, Decimal(step["step"]) if step else None, tier, way))
    return found


def _measure(what: str, wording: str, way: str, bands: tuple[Band, ...]) -> Iterator[str]:
    """每降低1个百分点扣0.25分 is a band with a step; 后退5位以上的扣1分 a tier; each with the rule's numbers."""
    said = _bands(wording)
    if not said:
        return
    if len(said) != len(bands):
        yield _("{what}: the wording states {count} amounts ({said}) but the rule has {bands} bands: {rule}").format(
            what=what, count=len(said), said=" … ".join(s.rate.text for s in said), bands=len(bands),
            rule=", ".join(band_source(way, b) for b in bands))
        return
    left = list(bands)
    pairs: list[tuple[_Band, Band]] = []
    for s in said:  # a band the wording gives a threshold for goes with the rule's band at it (tiers are written the other way)
        band = next((b for b in left if b.threshold == s.threshold), None)
        if band is not None:
            left.remove(band)
            pairs.append((s, band))
    for s in (s for s in said if all(s is not p[0] for p in pairs)):
        pairs.append((s, left.pop(0)))
    tiers = way in ("at-least", "at-most")
    for s, band in sorted(pairs, key=lambda p: p[0].rate.start):
        shown = band_source(way, band)
        if s.step is not None and tiers:
            yield _("{what}: the wording says {said}, per step, but the rule is `tiers`: {band}").format(what=what, said=s.text, band=shown)
        elif s.step is not None and band.step is None:
            yield _("{what}: the wording says {said}, per step, but the rule's band {band} has no `per`").format(
                what=what, said=s.text, band=shown)
        elif s.tier is not None and not tiers:
            yield _("{what}: the wording says {said} (以上/以下: a tier) but the rule's band is {band}, not `tiers`").format(
                what=what, said=s.text, band=shown)
        elif s.step is None and s.tier is None and band.step is not None:
            yield _("{what}: the wording says {said} with no 每 (per step) but the rule's band {band} counts per {step}").format(
                what=what, said=s.text, band=shown, step=plain(band.step))
        elif ((s.threshold is not None and s.threshold != band.threshold)
              or (s.step is not None and s.step != band.step)
              or not s.rate.agrees(band.rate, band.rate)
              or (s.tier is not None and s.tier != way)
              or (s.way is not None and not tiers and s.way != way)):
            yield _("{what}: the wording says {said} but the rule's band is {band}").format(what=what, said=s.text, band=shown)


def _exhausted(target: Clause | Adjustment, what: str, wording: str, part: Part, item_cap: bool) -> Iterator[str]:
    """扣完为止 in a clause's wording: the clause, or the part it belongs to, is bounded."""
    said = EXHAUSTED.search(wording)
    if said is None or target.cap is not None or part.cap is not None:
        return
    if isinstance(part, Item) and not part.earned and item_cap:
        return
    yield _("{what}: the wording says {said} but neither it nor {part} has a cap").format(
        what=what, said=said[0], part=_part_name(part))


def _part_name(part: Part) -> str:
    match part:
        case Section():
            return _("section {section}").format(section=part.id)
        case Topic():
            return _("topic {topic}").format(topic=part.id)
        case Item():
            return _("item {item}").format(item=part.id)
        case AdjustmentGroup():
            return _("adjustment group {group}").format(group=part.id or part.title)
        case _:
            assert_never(part)


def _part_caps(part: Part, what: str, item_cap: bool) -> Iterator[str]:
    """本项限扣5分, 最高扣3分, 加分最高3分, 减完为止 in a part's title or text: the part (or one of its clauses) has that cap."""
    points = part.points if not isinstance(part, AdjustmentGroup) else None
    bounded_by_rule = isinstance(part, Item) and not part.earned and item_cap
    own: tuple[Clause | Adjustment, ...]
    own = part.adjustments if isinstance(part, AdjustmentGroup) else part.clauses
    words = [(_("title"), part.title)] + ([(_("text"), part.text)] if isinstance(part, Item | AdjustmentGroup) and part.text else [])
    for field, words_of in words:
        wording = _blank(_read(words_of))
        for m in _AMOUNT.finditer(wording):
            if not is_ceiling(wording, m):
                continue
            number = Decimal(m["number"])
            if part.cap == number or (bounded_by_rule and number == points) or any(c.cap == number for c in own):
                continue
            if part.cap is None:
                yield _("{what}: its {field} says {said} but it has no cap").format(what=what, field=field, said=m[0])
            else:
                yield _("{what}: its {field} says {said} but its cap is {cap}").format(
                    what=what, field=field, said=m[0], cap=plain(part.cap))
        said = EXHAUSTED.search(wording)
        if said is None or points is None or bounded_by_rule or part.cap == points:
            continue
        if part.cap is None:
            yield _("{what}: its {field} says {said} but it has no cap (its points are {points})").format(
                what=what, field=field, said=said[0], points=plain(points))
        else:
            yield _("{what}: its {field} says {said} but its cap is {cap}, not its points {points}").format(
                what=what, field=field, said=said[0], cap=plain(part.cap), points=plain(points))


def _is_whole_loss(target: Clause | Adjustment, part: Part) -> bool:
    """Whether the rule takes the part's points at once: 本项不得分 is ``once −points``."""
    rule = target.rule
    return isinstance(part, Section | Topic | Item) and isinstance(rule, Once | Each) and rule.rate == -part.points


def _whole_loss(target: Clause | Adjustment, what: str, part: Section | Topic | Item) -> Iterator[str]:
    """本项不得分: the clause deducts all of its part's points, once."""
    if not _is_whole_loss(target, part):
        yield _("{what}: the wording says 本项不得分 but the rule is `{rule}`, not `once {points}` ({part}'s points)").format(
            what=what, rule=rule_source(target.rule), points="\u2212" + plain(part.points), part=_part_name(part))


def _not_veto(target: Clause | Adjustment, what: str) -> Iterator[str]:
    """一票否决 is a veto: a clause that deducts or adds is not one."""
    if VETO.search(_SPACES.sub("", target.text)):
        yield _("{what}: the wording says 一票否决 but the rule is `{rule}`, not a veto (write it under `vetoes` as `veto GRADE`)").format(
            what=what, rule=rule_source(target.rule))


def _named(wording: str, names: list[str]) -> list[str]:
    """The grade names the wording mentions, longest first where one holds another (不达标 is not 达标)."""
    found: list[str] = []
    for name in sorted(names, key=len, reverse=True):
        if name in wording:
            found.append(name)
            wording = wording.replace(name, "□")
    return found


def _veto(veto: Veto, names: list[str]) -> Iterator[str]:
    """A veto says 一票否决 (or 否决); a grade its wording names is the veto's."""
    wording = _SPACES.sub("", veto.text)
    what = _("veto {veto}").format(veto=veto.id)
    if "否决" not in wording:
        yield _("{what}: the wording does not say 一票否决 (or 否决), but the clause is a veto").format(what=what)
    named = _named(wording, names)
    if named and veto.grade not in named:
        yield _("{what}: the wording says {said} but the veto's grade is {grade}").format(
            what=what, said="、".join(named), grade=veto.grade)


def _grade(grade: Grade, names: list[str]) -> Iterator[str]:
    """90分(含)以上为优秀 is ``at least 90``, 76-89为达标 ``from 76 to 89``, 低于60分 a high bound below 60."""
    wording = _read(grade.text)
    what = _("grade {grade}").format(grade=grade.name)
    named = _named(wording, names)
    if named and grade.name not in named:
        yield _("{what}: the wording names {said}, not {grade}").format(what=what, said="、".join(named), grade=grade.name)
    band = grade_band(grade)
    ranged = _GRADE_RANGE.search(wording)
    if ranged is not None:
        if (grade.low, grade.high) != (Decimal(ranged["low"]), Decimal(ranged["high"])):
            yield _("{what}: the wording says {said} but the grade is {band}").format(what=what, said=ranged[0], band=band)
        return
    for m in _GRADE_BOUND.finditer(wording):
        number, strict, side = Decimal(m["number"]), m["strict"], m["side"]
        if strict in ("低于", "不足", "不满", "未达到", "未满", "少于", "小于"):
            agrees = grade.high is not None and grade.high < number
        elif strict is not None:
            agrees = grade.low is not None and grade.low > number
        elif side in ("以上", "及以上"):
            agrees = grade.low == number
        elif side is not None:
            agrees = grade.high == number
        else:
            agrees = number in (grade.low, grade.high)
        if not agrees:
            yield _("{what}: the wording says {said} but the grade is {band}").format(what=what, said=m[0], band=band)
