"""Clause-level recognition for `qlrules draft`: a 考评标准's text to clauses with their rules.

`draft` finds the document's structure (sections, topics, items); this module reads what one
item's 考评标准 says: where it splits into clauses, and what rule each clause's wording states,
in every construct of language 2 — a fixed rate (扣1分, 每项扣0.5分, 得1分), a range (扣1-3分),
levels (分别扣1分、2分、3分), a measure (低于96%的,每降低1个百分点扣0.25分; 后退5位以上的扣1分),
a cap (最高扣5分, 扣完为止), the part's points (本项不得分) and a veto (一票否决). What the wording
leaves open is a TODO on the clause, never a silent guess. Everything here is pure text
processing on one criterion at a time.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ..language.unparse import modifiers, rule_source
from ..model import Band, ClauseRule, Discretionary, Each, Level, Levels, Measure, Once, Ranged
from ..numbers import plain as _plain
from .wording import (
    COUNTED,
    DISCRETIONARY,
    EXHAUSTED,
    LIST,
    NOTHING,
    ONE_BY_ONE,
    RANGE,
    VETO,
    is_ceiling,
    list_numbers,
)

__all__ = [
    "FULL_WIDTH", "SUSPECT_GLYPHS", "DraftClause", "clauses_of", "packed", "enumeration_todo", "has_rate",
    "exhausted", "implicit_subject", "item_modifiers", "largest", "part_cap", "recognise", "rule_text", "short", "split_criteria", "suspects",
]


#: Full-width digits and punctuation, read as ASCII when numbers are recognised (never in wording).
FULL_WIDTH = str.maketrans("０１２３４５６７８９．（）：％－", "0123456789.():%-")


#: Where a 考评标准 splits into clauses: ；/; and 。, and an ASCII full stop that is not inside a number.
_CLAUSE_BREAK = re.compile(r"([;；。]|\.(?!\s*\d))")


#: A rate as written (spaces already removed): 扣1分, 扣0.5分, 加1分, 减2分, 扣除1分, 得1分.
_RATE = re.compile(r"(扣除?|减|加|得)(\d+(?:\.\d+)?)分")


#: The same on the verbatim text, where the PDF extraction may have put spaces inside: 扣1 分, 扣0 .5分.
_RATE_VERBATIM = re.compile(r"(扣除?|减|加)\s*(\d[\d\s.]*?)\s*分")


#: Any amount the verbatim text states, a range or a list included (扣1-3分, 分别加2、4分, 得1分): where a sentence may be cut.
_STATED_VERBATIM = re.compile(r"(?:扣除?|减|加|得)\s*\d[\d\s.]*(?:分?\s*[-－~～—至到、]\s*\d[\d\s.]*)*\s*分")


#: Quoted names (“13710”, 《规定》): their numbers name things, no rule carries them.
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")


#: An amount with or without its verb, for finding ceilings: 最高扣5分, 最多不超过3分.
_AMOUNT = re.compile(r"(?:扣除|扣|减|加|得)?(\d+(?:\.\d+)?)分(?!钟)")


#: A clause whose subject is presumably that of the clause before it starts with one of these.
_IMPLICIT_START = re.compile(r"^(?:对|在|向|受|被|移送|给予)")


#: A closed list counted by a number word: 三张清单, 两项制度.
_COUNT_WORD = re.compile(r"([两二三四五六七八九十])(?:张|项|个|类|种|方面|条)")


#: A measure's step without a numeric threshold to count from (每低1个百分点 below an average): counted per step.
_STEP = re.compile(r"每(?:降低|下降|减少|低|少|增加|提高|上升|增|多|高|超过|超出|后退|进步)(?P<step>\d+(?:\.\d+)?)个?(?P<unit>百分点|%|[人位名项次家件起例个])?")

_BELOW = "低于|不足|不到|未达到|未达|少于|小于"
_ABOVE = "高于|超过|超出|多于|大于|达到"

#: One band with a step: 低于96%的,每降低1个百分点扣0.25分; 达到5人以上的,每增加1人加0.5分.
_STEP_BAND = re.compile(
    rf"(?P<way>{_BELOW}|{_ABOVE})(?P<threshold>\d+(?:\.\d+)?)(?P<unit>%|个百分点|[人位名项次个家件起例])?(?:[(（]含[)）])?(?:及?以上|及?以下)?"
    r"[^;；。]*?每(?:降低|下降|减少|低|少|增加|提高|上升|增|多|高|超过|超出)(?P<step>\d+(?:\.\d+)?)个?(?P<stepunit>百分点|%|[人位名项次家件起例])?"
    r"[^;；。\d]*?(?P<verb>扣除?|减|加|得)(?P<rate>\d+(?:\.\d+)?)分"
)

#: One band without a step, on a percentage: 兵役登记率未达到100%的,扣1分.
_FLAT_BAND = re.compile(
    rf"(?P<way>{_BELOW}|高于|超过|超出|多于|大于)(?P<threshold>\d+(?:\.\d+)?)(?P<unit>%)[^;；。每]*?(?P<verb>扣除?|减|加)(?P<rate>\d+(?:\.\d+)?)分"
)

#: One tier: 后退5位以上的扣1分, 死亡10人以上的扣5分 (以上/以下 include the number itself).
_TIER = re.compile(
    r"(?P<threshold>\d+(?:\.\d+)?)(?P<unit>位|名|个百分点|%|人次|人|次|个|起|例|项(?!目)|家|件)(?:[(（]含[)）])?(?P<side>及?以上|及?以下)"
    r"[^;；。\d]*?(?P<verb>扣除?|减|加)(?P<rate>\d+(?:\.\d+)?)分"
)

#: Where a tier's or band's condition starts a sentence of its own, continuing the measure before it.
_CONTINUES = re.compile(rf"^(?:(?:{_BELOW}|{_ABOVE}|后退|进步|下降|提高|上升|排名|排在)\d|\d+(?:\.\d+)?[位名%人次个起例项家件])")

#: What a sentence may start with before a level list: verbs to drop from the first level's name.
_LEVEL_LEAD = re.compile(r"^(?:有关工作|受到|获得|分别|被|获|受|到|经|对|在|发生|出现|属于|造成)+")

#: Glyph confusions PDF extraction and OCR are known for in this kind of text, with the reading meant.
#: The draft keeps the wording verbatim and flags them; the author corrects and says so in a comment.
#: Each is (pattern, as seen, as meant); the pattern keeps clear of real words (属于部门).
SUSPECT_GLYPHS = (
    (r"于部(?![门署分委队属])", "于部", "干部"),
    (r"迫责", "迫责", "追责"),
    (r"克已", "克已", "克己"),
    (r"康政", "康政", "廉政"),
    (r"康洁", "康洁", "廉洁"),
    (r"己经", "己经", "已经"),
    (r"巳经", "巳经", "已经"),
    (r"责仼", "责仼", "责任"),
)


_CN_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def packed(text: str) -> str:
    """``text`` without any whitespace (the PDF's layout spaces), full-width digits as ASCII."""
    return re.sub(r"\s+", "", text).translate(FULL_WIDTH)


@attrs.define
class DraftClause:
    """One drafted clause: its wording verbatim, the rule it states and what the author must decide.

    ``kind`` is once, each or discretionary with ``rate`` and ``unit`` (the seed's kinds), or range,
    levels or measure with the language-2 ``rule``, or veto (a 一票否决 that deducts nothing).
    """

    text: str
    kind: str = "discretionary"
    rate: Decimal | None = None  # signed: negative deducts
    unit: str | None = None
    todos: list[str] = attrs.field(factory=list)
    id: str = ""
    rule: ClauseRule | None = None  # a range, levels or a measure, written as it is
    cap: Decimal | None = None  # 最高扣5分: the clause's own bound
    exhausted: bool = False  # 扣完为止: the part it belongs to loses at most its points
    veto: bool = False  # 一票否决: drafted under `vetoes` too

    @property
    def awards(self) -> bool:
        """Whether the clause adds points (得1分, 加1分, 酌情加1－5分)."""
        match self.rule:
            case Ranged(high=high):
                return high > 0
            case Levels(levels):
                return all(lv.high > 0 for lv in levels)
            case Measure(bands=bands):
                return all(b.rate > 0 for b in bands)
            case _:
                return self.rate is not None and self.rate > 0

    @property
    def deducts(self) -> bool:
        return self.kind != "veto" and not self.awards


def split_criteria(criteria: str) -> list[tuple[str, str | None]]:
    """Split at ；/; and 。, then at a comma after a rate when another rate follows.

    A sentence that only bounds the one before (累计最高扣2分, 扣完为止) stays with it, and so does
    the next band of a measure (…每降低1个百分点扣0.25分;低于90%的,每降低1个百分点扣0.5分).
    Returns (wording, continued) pairs: ``continued`` is the wording of the sentence's first
    clause when this one continues it (and probably shares its subject), or None.
    """
    pieces: list[tuple[str, str | None]] = []
    for sentence in _sentences(criteria):
        if _measure(packed(sentence)) is not None and not _other_rates(sentence):
            pieces.append((sentence, None))  # the bands of one measure: never cut between them
            continue
        cuts = [0]
        for rate in list(_STATED_VERBATIM.finditer(sentence)) + list(DISCRETIONARY.finditer(sentence)):
            after = re.match(r"\s*[,，]", sentence[rate.end() :])
            if after and not is_ceiling(sentence, rate) and has_rate(sentence[rate.end() + after.end() :]):
                cuts.append(rate.end() + after.end())
        cuts = sorted(set(cuts))
        first: str | None = None
        for n, start in enumerate(cuts):
            end = cuts[n + 1] if n + 1 < len(cuts) else len(sentence)
            part = sentence[start:end].strip().rstrip(",，").strip()
            if part:
                pieces.append((part, first))
                first = first or part
    return pieces


def _sentences(criteria: str) -> list[str]:
    """The sentences of a 考评标准, a bound or a measure's next band joined to the sentence it continues."""
    parts = _CLAUSE_BREAK.split(criteria)
    sentences: list[str] = []
    for n in range(0, len(parts), 2):
        sentence = parts[n].strip().strip(",，").strip()
        if not sentence:
            continue
        if sentences and (_only_bound(sentence) or _continues_measure(sentences[-1], sentence)):
            sentences[-1] += parts[n - 1] + sentence  # with the separator the document has
            continue
        sentences.append(sentence)
    return sentences


def _only_bound(sentence: str) -> bool:
    """累计最高扣2分, 扣完为止, 最多不超过3分: a sentence that bounds the one before and states no rate."""
    compact = _unquoted(packed(sentence))
    ceilings = [m for m in _AMOUNT.finditer(compact) if is_ceiling(compact, m)]
    return bool(ceilings or EXHAUSTED.search(compact)) and not has_rate(sentence) and len(compact) <= 16


def _continues_measure(before: str, sentence: str) -> bool:
    """低于90%的,每降低1个百分点扣0.5分 after a band of the same measure, or 后退10位以上的扣2分 after a tier."""
    compact = packed(sentence)
    return bool(_CONTINUES.match(compact)) and _measure(packed(before)) is not None and _measure(packed(before + "；" + sentence)) is not None


def _other_rates(sentence: str) -> bool:
    """Whether a sentence that holds a measure also states amounts outside its bands."""
    compact = _unquoted(packed(sentence))
    for pattern in (_STEP_BAND, _FLAT_BAND, _TIER):
        compact = pattern.sub(lambda m: "□" * len(m[0]), compact)
    return has_rate(compact)


def has_rate(text: str) -> bool:
    """Whether ``text`` states an amount that is not a ceiling, 酌情扣分 or 不得分: a clause of its own."""
    compact = _unquoted(packed(text))
    stated = [m for m in (*RANGE.finditer(compact), *LIST.finditer(compact), *_RATE.finditer(compact)) if not is_ceiling(compact, m)]
    return bool(stated or DISCRETIONARY.search(compact) or NOTHING.search(compact))


def _unquoted(compact: str) -> str:
    """Quoted names blotted out, keeping positions: their numbers state no amount."""
    return _QUOTED.sub(lambda m: "□" * len(m[0]), compact)


def clauses_of(criteria: str, adjustments: bool) -> list[DraftClause]:
    clauses: list[DraftClause] = []
    subjects: dict[str, str] = {}
    for wording, continued in split_criteria(criteria):
        if continued is not None and clauses and _extends_levels(clauses[-1], wording, criteria):
            continue
        clause = recognise(wording, adjustments)
        if continued is not None:
            subject = subjects[continued] = implicit_subject(continued, wording) or subjects.get(continued, "")
            guess = f"probably “{subject}”, " if subject else ""
            clause.todos.append(f"subject left implicit: {guess}from “{short(continued)}” — name whom it concerns in a comment")
        elif clauses and _IMPLICIT_START.match(packed(wording)):
            clause.todos.append("subject left implicit (the wording starts mid-sentence): name whom it concerns in a comment")
        clauses.append(clause)
    return clauses


#: One more level after a list of them: 不合格的扣1-2分 after 为优秀、良好的分别得2、1分.
_MORE_LEVEL = re.compile(r"^(?P<name>[\u4e00-\u9fff]{1,4}?)的?(?P<verb>扣除?|减|加|得)(?P<low>\d+(?:\.\d+)?)(?:分?[-－~～—至到](?P<high>\d+(?:\.\d+)?))?分$")


def _extends_levels(clause: DraftClause, wording: str, criteria: str) -> bool:
    """Fold ``wording`` into ``clause`` as one more level when it names one (不合格的扣1-2分); True if it did."""
    rule = clause.rule
    more = _MORE_LEVEL.match(packed(wording))
    if not isinstance(rule, Levels) or more is None or rule.level(more["name"]) is not None:
        return False
    joined = re.search(re.escape(clause.text) + r"\s*[,，]\s*" + re.escape(wording), criteria)
    if joined is None:
        return False
    sign = 1 if more["verb"] in ("加", "得") else -1
    low, high = Decimal(more["low"]), Decimal(more["high"] or more["low"])
    level = Level(more["name"], sign * low, sign * high, ranged=more["high"] is not None)
    clause.rule = Levels((*rule.levels, level), rule.each, rule.unit)
    clause.text = joined[0]
    return True


def implicit_subject(first: str, continuation: str) -> str:
    """What the sentence's first clause says before the words the continuation starts with (市管干部 in
    “市管干部受轻处分…” / “受重处分…”), or "" when they share no such start."""
    head, rest = packed(first), packed(continuation)
    for length in (3, 2, 1):
        at = head.find(rest[:length]) if len(rest) >= length else -1
        if at > 0:
            return head[:at].rstrip(",，")
    return ""


def suspects(text: str) -> list[str]:
    """A TODO for each known extraction error in ``text`` (the wording itself is left as it is)."""
    compact = packed(text)
    return [
        f"“{seen}” looks like an extraction error for “{meant}”: correct it if so (and say so in a comment)"
        for pattern, seen, meant in SUSPECT_GLYPHS
        if re.search(pattern, compact)
    ]


def short(text: str, limit: int = 24) -> str:
    compact = packed(text)
    return compact if len(compact) <= limit else compact[: limit - 1] + "…"


def _blot(text: str, matches: list[re.Match[str]]) -> str:
    for m in matches:
        text = text[: m.start()] + "□" * len(m[0]) + text[m.end() :]
    return text


def recognise(wording: str, adjustments: bool) -> DraftClause:
    """The rule one clause's wording states: kind, rate and unit, or a range, levels or a measure; its cap."""
    compact = _unquoted(packed(wording))
    clause = DraftClause(wording)
    clause.veto = bool(VETO.search(packed(wording)))
    clause.exhausted = bool(EXHAUSTED.search(compact))
    ceilings = [m for m in _AMOUNT.finditer(compact) if is_ceiling(compact, m)]
    if ceilings:
        clause.cap = Decimal(ceilings[0][1])
        if len({Decimal(m[1]) for m in ceilings}) > 1:
            clause.todos.append(f"several ceilings ({', '.join(m[0] for m in ceilings)}): drafted with the first as the cap")
    body = _blot(compact, ceilings)

    measured = _measure(body) or _relative_measure(clause, body)
    if measured is not None:
        clause.kind, clause.rule = "measure", measured
        return clause

    lists = list(LIST.finditer(body))
    ranges = list(RANGE.finditer(_blot(body, lists)))
    rates = list(_RATE.finditer(_blot(body, lists + ranges)))
    stated = sorted([*lists, *ranges, *rates], key=lambda m: m.start())
    if not stated:
        _no_rate(clause, compact, adjustments)
        return clause
    if len(stated) > 1:
        listed = ", ".join(m[0] for m in stated)
        clause.todos.append(f"several rates in one clause ({listed}): split it or decide which applies; drafted with the first")
    first = stated[0]
    sign = _sign(body, first)
    each, unit = _counting(clause, body[: first.start()])
    if first in lists:
        numbers = [Decimal(n) for n in list_numbers(first["numbers"])]
        names = _level_names(clause, body[: first.start()], len(numbers))
        levels = tuple(Level(name, sign * n, sign * n) for name, n in zip(names, numbers))
        if not each and adjustments:
            # 获…通报表扬的,分别加2、4、6、10分: each commendation counts, at its own level.
            each, unit = True, "次"
            clause.todos.append("levels drafted `each 次`: each one found counts at its own level; "
                                "if the clause applies once, at the highest level found (同一项目就高), write `once`")
        elif not each:
            clause.todos.append("levels drafted `once`: the clause applies once, at the highest level found (同一项目就高); "
                                "if each finding counts at its own level, write `each` and the unit counted")
        clause.kind, clause.rule = "levels", Levels(levels, each, unit)
    elif first in ranges:
        low, high = Decimal(first["low"]), Decimal(first["high"])
        if low > high:
            clause.todos.append(f"the range {first[0]} runs backwards: drafted from {_plain(high)} to {_plain(low)}")
            low, high = high, low
        clause.kind, clause.rule = "range", Ranged(sign * low, sign * high, each, unit)
    else:
        value = Decimal(first[2])
        clause.rate = sign * value
        clause.kind, clause.unit = ("each", unit) if each else ("once", None)
        verbatim = next((m for m in _RATE_VERBATIM.finditer(wording)), None)
        if verbatim is not None and re.search(r"\d\s+\.|\.\s+\d", verbatim.group(2)):
            clause.todos.append(f"the number reads “{verbatim.group(0)}” in the source (a space inside it), taken as {_plain(value)}")
    if clause.kind == "once" and clause.cap is not None:
        said = re.split(r"[,，;；。:：]", compact[: ceilings[0].end()])[-1]
        clause.todos.append(f"a ceiling ({said}) on a clause that applies once: if it counts findings, "
                            f"make it `each` with that cap; else drop the cap")
        clause.cap = None
    if clause.veto:
        clause.todos.append("the wording also says 一票否决: drafted under `vetoes` too; keep the deduction only if the document means both")
    if NOTHING.search(compact):
        clause.todos.append("the wording also says 不得分 (the part's points): split it into a clause of its own")
    return clause


def _no_rate(clause: DraftClause, compact: str, adjustments: bool) -> None:
    """A clause that states no amount: 酌情扣分, 不得分, a veto, or one the author must write."""
    if clause.veto:
        clause.kind = "veto"
    elif DISCRETIONARY.search(compact) and not adjustments:
        clause.kind = "discretionary"
    elif adjustments and re.search("视情|酌情|酌定", compact):
        awards = "加" in compact or "奖" in compact
        clause.kind, clause.rule = "range", Ranged(Decimal(0), Decimal(1) if awards else Decimal(-1))
        clause.todos.append(f"{'视情加分' if awards else '视情扣分'} with no bound in the document: drafted as "
                            f"`once {'+0..+1' if awards else '−0..−1'}`, a placeholder: set the most it can give")
    elif NOTHING.search(compact) and not adjustments:
        clause.kind = "once"  # its rate is the part's points, set where they are known
        clause.todos.append("不得分: drafted as losing the item's points; check the rate")
    else:
        clause.kind = "once" if adjustments else "discretionary"
        awards = "加" in compact and "扣" not in compact
        clause.rate = (Decimal(1) if awards else Decimal(-1)) if adjustments else None
        placeholder = f" (drafted as {'+1' if awards else '−1'}, a placeholder)" if adjustments else ""
        clause.todos.append(f"no rate recognised in this wording (like 扣1分 or 每项扣0.5分){placeholder}: write its rule")
    if clause.kind == "once" and clause.cap is not None:
        clause.cap = None
        clause.todos.append("a ceiling with no rate: write the rule it bounds")


def _sign(body: str, stated: re.Match[str]) -> int:
    """加/得 add, 扣/减 deduct; a range or list without its verb takes the verb just before it (酌情加1－5分)."""
    groups = stated.groupdict()
    verb = groups.get("verb") or (stated.group(1) if not groups else None)
    if verb is None:
        before = body[max(0, stated.start() - 4) : stated.start()]
        verb = "加" if re.search("加|得", before) and not re.search("扣|减", before) else "扣"
    return 1 if verb in ("加", "得") else -1


def _counting(clause: DraftClause, condition: str) -> tuple[bool, str | None]:
    """Whether the wording before the rate counts findings (每项, 发现一起, 1人…), and the unit it counts."""
    found: list[re.Match[str]] = list(COUNTED.finditer(condition))
    if found:
        last = found[-1]
        unit = last["unit"]
        if len(found) > 1 and found[-2].end() == last.start():  # 每个每次: per 个 and per 次
            unit = found[-2]["unit"] + unit
        elif unit == "个":  # 每个问题点: the thing counted is named after 个
            named = re.match(r"[\u4e00-\u9fff]{1,4}?(?=[扣减加得再])", condition[last.end() :] + "扣")
            if named and not re.search("[再另均各都即]", named[0]) and not COUNTED.match(named[0]):
                unit = named[0]
        return True, unit
    one = ONE_BY_ONE.search(condition)
    if one is not None:
        clause.todos.append(f"“{one[0].lstrip(',，;；:：的')}” counts one by one: drafted as `each {one['unit']}`; "
                            "check that each one found costs the rate")
        return True, one["unit"]
    step = _STEP.search(condition)
    if step is not None:
        unit = "百分点" if step["unit"] in ("百分点", "%", None) else step["unit"]
        clause.todos.append(f"“{step[0]}” counts steps from a threshold the wording gives no number for: drafted as "
                            f"`each {unit}` (count the steps); a measure (`measure … below T per S R`) needs the number")
        return True, unit
    counts = re.search(r"每[^,，;；。:：]{0,6}?(?:\d|一)[^,，;；。:：]{0,3}", condition)
    if counts is not None and not re.match(r"每(?:年|季度?|月|周|半年)", counts[0]):
        clause.todos.append(f"the wording counts (“{counts[0]}”) but no unit was recognised: drafted as `once`; "
                            "if each one costs the rate, write `each` and the unit")
    return False, None


def _level_names(clause: DraftClause, condition: str, count: int) -> list[str]:
    """The levels' names from the list the wording gives them in (到县、市、省、京上访的 → 县, 市, 省, 京).

    Names that needed trimming get a TODO to check them; with no list of the right length, the
    levels are named 一档, 二档… and the TODO says to name them.
    """
    condition = re.sub(r"(?:分别|均|每[\u4e00-\u9fff]{0,3})$", "", condition)
    lists = list(re.finditer(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+", condition))
    names: list[str] = []
    if lists:
        found = lists[-1]
        tokens = [t.removesuffix("的") for t in found[0].split("、")]
        lead: str | None = None
        before = condition[: found.start()]
        if len(tokens) == count - 1 and before.endswith((",", "，")):
            lead = re.split(r"[,，;；]", before[:-1])[-1]
            lead = re.split(r"获得?|受到?|被|经", lead)[-1] or lead  # 村(社区)获镇党委政府 → 镇党委政府
        if len(tokens) + (lead is not None) == count:
            inner = tokens[1:-1] if lead is None else tokens[:-1]
            width = max(len(t) for t in inner) if inner else min(len(t) for t in tokens)
            start = _LEVEL_LEAD.sub("", tokens[0]) or tokens[0]
            trimmed = [start[-width:], *tokens[1:-1], tokens[-1][:width]] if len(tokens) > 1 else [start[-width:]]
            if lead is not None:
                trimmed = [lead[:width], tokens[0][-width:] if len(tokens) > 1 else start[-width:], *trimmed[1:]]
                trimmed = trimmed[:count]
            if len(set(trimmed)) == count and all(re.fullmatch(r"[\u4e00-\u9fff]+", n) for n in trimmed):
                names = trimmed
                if names != [t for t in tokens] or lead is not None:
                    clause.todos.append(f"levels named from the wording’s list (“{short(found[0], 20)}”): "
                                        f"{', '.join(names)}; check the names")
    if not names:
        names = [f"{_ORDINALS[n] if n < len(_ORDINALS) else n + 1}档" for n in range(count)]
        clause.todos.append(f"{count} levels, but the wording names none in a list of {count}: "
                            f"drafted as {', '.join(names)}; name them")
    return names


_ORDINALS = "一二三四五六七八九十"


def _measure(body: str) -> Measure | None:
    """A measured rule, when the wording states bands over a number (低于96%…每降低1个百分点…) or tiers (以上/以下)."""
    steps = list(_STEP_BAND.finditer(body))
    flats = [m for m in _FLAT_BAND.finditer(body) if not any(s.start() <= m.start() < s.end() for s in steps)]
    tiers = list(_TIER.finditer(_blot(body, steps + flats)))
    if steps or flats:
        if (steps and flats) or tiers:
            return None  # bands with and without a step, or with tiers: the language has no such measure
        found = steps or flats
        ways = {"below" if re.fullmatch(_BELOW, m["way"]) else "above" for m in found}
        if len(ways) != 1:
            return None
        way = ways.pop()
        units = {m["unit"] for m in found} | ({m["stepunit"] for m in steps} if steps else set())
        unit = "%" if units & {"%", "个百分点", "百分点"} else next((u for u in units if u), "个")
        bands = [Band(Decimal(m["threshold"]), _rate_of(m), Decimal(m["step"]) if steps else None) for m in found]
        bands.sort(key=lambda b: b.threshold, reverse=way == "below")
    elif len(tiers) >= 2:
        sides = {"at-least" if "以上" in m["side"] else "at-most" for m in tiers}
        units = {m["unit"] for m in tiers}
        if len(sides) != 1 or len(units) != 1:
            return None
        way = sides.pop()
        unit = "%" if units & {"%", "个百分点"} else units.pop()
        bands = [Band(Decimal(m["threshold"]), _rate_of(m)) for m in tiers]
        bands.sort(key=lambda b: b.threshold, reverse=way == "at-least")  # the most extreme tier first
    else:
        return None
    if len({b.threshold for b in bands}) != len(bands) or len({b.rate > 0 for b in bands}) != 1:
        return None
    return Measure(unit, way, tuple(bands))


#: A step counted from a threshold that is no number: 低于前一年度全省平均数的,每低1个百分点扣0.25分.
_RELATIVE = re.compile(
    r"(?P<way>低于|不足|少于|小于|未达到|高于|超过|超出|多于|大于)(?P<threshold>[^,，;；。\d]{2,16}?)的?[,，]?"
    r"每(?P<move>降低|下降|减少|低|少|增加|提高|上升|增|多|高|超过|超出)(?P<step>\d+(?:\.\d+)?)(?P<unit>个百分点|百分点|%|[人位名项次家件起例])"
    r"[^;；。\d]*?(?P<verb>扣除?|减|加|得)(?P<rate>\d+(?:\.\d+)?)分"
)


def _relative_measure(clause: DraftClause, body: str) -> Measure | None:
    """低于全省平均数的,每低1个百分点扣0.25分: a measure of the difference from that threshold (below 0)."""
    found = _RELATIVE.search(body)
    if found is None or len(_RATE.findall(body)) != 1:
        return None
    way = "below" if re.fullmatch(_BELOW, found["way"]) else "above"
    unit = "个百分点" if found["unit"] in ("个百分点", "百分点", "%") else found["unit"]
    clause.todos.append(f"the threshold “{found['threshold']}” is no number: drafted as a measure of the difference from it "
                        f"(a finding's value is the measured value minus the threshold, in {unit}); check")
    return Measure(unit, way, (Band(Decimal(0), _rate_of(found), Decimal(found["step"])),))


def _rate_of(band: re.Match[str]) -> Decimal:
    value = Decimal(band["rate"])
    return value if band["verb"] in ("加", "得") else -value


def enumeration_todo(clause: DraftClause, item_text: str) -> str | None:
    """For `each 项` clauses: a list the criterion names that might be closed (`of N`). Never guessed."""
    if clause.kind != "each" or clause.unit != "项":
        return None
    compact = packed(clause.text)
    marker = COUNTED.search(compact)
    condition = compact[: marker.start()] if marker else compact
    condition = condition.rstrip(",，")
    if compact.startswith(("每缺", "每少")):
        # The missing things are those the item's text lists.
        lists = re.findall(r"[^,，。;；]*、[^,，。;；]*", packed(item_text))
        if not lists:
            return None
        listed = max(lists, key=lambda s: s.count("、"))
        if "等" in listed:
            return None
        count = listed.count("、") + 1
        return f"每缺一项 counts what the item's text lists (“{short(listed, 30)}”): if that list is closed, add `of {count}`"
    if "等" in condition:
        return None
    count_word = _COUNT_WORD.search(condition)
    if count_word:
        count = _CN_COUNT[count_word.group(1)]
        return f"“{count_word.group(0)}” names a closed list: add `of {count}` if counts cannot exceed it"
    separators = len(re.findall(r"、|和|及|与|[,，]", condition))
    if separators == 0:
        return None
    count = separators + 1
    return f"the criterion lists {count} things (“{short(condition, 30)}”): if the list is closed, add `of {count}`"


def rule_text(clause: DraftClause) -> str:
    """The drafted rule as source text, written by the one unparser, with the clause's cap."""
    rule: ClauseRule
    if clause.rule is not None:
        rule = clause.rule
    elif clause.kind == "discretionary" or clause.rate is None:
        rule = Discretionary()
    elif clause.kind == "each":
        rule = Each(clause.rate, clause.unit)
    else:
        rule = Once(clause.rate)
    return rule_source(rule) + modifiers(None, clause.cap)


def largest(clause: DraftClause) -> Decimal | None:
    """The most the clause can cost or give in one finding, as a magnitude: to compare with its item's points."""
    match clause.rule:
        case Ranged(low, high):
            return max(abs(low), abs(high))
        case Levels(levels):
            return max(max(abs(lv.low), abs(lv.high)) for lv in levels)
        case Measure():
            return None
        case _:
            return abs(clause.rate) if clause.rate is not None and clause.kind != "discretionary" else None


def item_modifiers(clauses: list[DraftClause], points: Decimal, text: str) -> tuple[str, list[str]]:
    """What follows an item's points, from its clauses: ``earned`` (做到…的得1分), ``cap N`` (扣完为止); and the TODOs.

    An item whose clauses only add points is earned: it starts at 0. One that deducts and adds stays
    full (awards only restore what it lost), with a TODO. 扣完为止 caps the item at its points.
    """
    todos: list[str] = []
    awards = [c for c in clauses if c.awards]
    deductions = [c for c in clauses if c.deducts and c.kind != "veto"]
    earned = bool(awards) and not deductions
    if awards and deductions:
        todos.append(f"awards ({', '.join(c.id for c in awards)}) and deductions in one item: drafted full (it starts at its "
                     "points and awards only restore what it lost); if it starts at 0 and earns them, write `earned`")
    cap = part_cap(text)
    if cap is not None and any(c.cap == cap for c in clauses):
        cap = None  # the text is the clause's own wording (最高减5分): its cap is the clause's
    if any(c.exhausted for c in clauses) and cap is None:
        cap = points
    if cap is not None and earned:
        todos.append(f"a bound ({_plain(cap)}) on an item that earns its points: an earned item takes no cap; decide")
        cap = None
    return (" earned" if earned else "") + (f" cap {_plain(cap)}" if cap is not None else ""), todos


#: A part's bound in its title or text: 本项限扣5分, 最高扣3分, 扣完为止 (the part's points: returned as None here).
_PART_CEILING = re.compile(r"(?:限扣|限减|最高扣|最高减|最多扣|最多减|扣分不超过|累计扣分不超过|最高不超过)(\d+(?:\.\d+)?)分")


def part_cap(title: str) -> Decimal | None:
    """平安三率(本项限扣5分): the part never loses more than 5 of its points."""
    found = _PART_CEILING.search(packed(title))
    return Decimal(found[1]) if found else None


def exhausted(title: str) -> bool:
    """减完为止 in a part's title or text: it loses at most its points."""
    return bool(EXHAUSTED.search(packed(title)))
