"""Clause-level recognition for `qlrules draft`: a 考评标准's text to clauses with their rules.

`draft` finds the document's structure (sections, topics, items); this module reads what one
item's 考评标准 says: where it splits into clauses, and what rule each clause's wording states.
Everything here is pure text processing on one criterion at a time.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ..language.unparse import rule_source
from ..model import ClauseRule, Discretionary, Each, Once
from ..numbers import plain as _plain
from .wording import COUNTED, DISCRETIONARY

__all__ = [
    "FULL_WIDTH", "SUSPECT_GLYPHS", "DraftClause", "clauses_of", "packed", "enumeration_todo", "has_rate",
    "implicit_subject", "recognise", "rule_text", "short", "split_criteria", "suspects",
]


#: Full-width digits and punctuation, read as ASCII when numbers are recognised (never in wording).
FULL_WIDTH = str.maketrans("０１２３４５６７８９．（）：", "0123456789.():")


#: Where a 考评标准 splits into clauses: ；/; and 。, and an ASCII full stop that is not inside a number.
_CLAUSE_BREAK = re.compile(r"[;；。]|\.(?!\s*\d)")


#: A rate as written (spaces already removed): 扣1分, 扣0.5分, 加1分, 减2分, 扣除1分.
_RATE = re.compile(r"(扣除?|减|加)(\d+(?:\.\d+)?)分")


#: The same on the verbatim text, where the PDF extraction may have put spaces inside: 扣1 分, 扣0 .5分.
_RATE_VERBATIM = re.compile(r"(扣除?|减|加)\s*(\d[\d\s.]*?)\s*分")


_NO_POINTS = re.compile(r"不得分|该项不得分|本项不得分")


#: A clause whose subject is presumably that of the clause before it starts with one of these.
_IMPLICIT_START = re.compile(r"^(?:对|在|向|受|被|移送|给予)")


#: A closed list counted by a number word: 三张清单, 两项制度.
_COUNT_WORD = re.compile(r"([两二三四五六七八九十])(?:张|项|个|类|种|方面|条)")


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
    text: str
    kind: str = "discretionary"
    rate: Decimal | None = None  # signed: negative deducts
    unit: str | None = None
    todos: list[str] = attrs.field(factory=list)
    id: str = ""


def split_criteria(criteria: str) -> list[tuple[str, str | None]]:
    """Split at ；/; and 。, then at a comma after a rate when another rate follows.

    Returns (wording, continued) pairs: ``continued`` is the wording of the sentence's first
    clause when this one continues it (and probably shares its subject), or None.
    """
    pieces: list[tuple[str, str | None]] = []
    for sentence in _CLAUSE_BREAK.split(criteria):
        sentence = sentence.strip().strip(",，").strip()
        if not sentence:
            continue
        cuts = [0]
        for rate in list(_RATE_VERBATIM.finditer(sentence)) + list(DISCRETIONARY.finditer(sentence)):
            after = re.match(r"\s*[,，]", sentence[rate.end() :])
            if after and has_rate(sentence[rate.end() + after.end() :]):
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


def has_rate(text: str) -> bool:
    compact = packed(text)
    return bool(_RATE.search(compact) or DISCRETIONARY.search(compact))


def clauses_of(criteria: str, adjustments: bool) -> list[DraftClause]:
    clauses: list[DraftClause] = []
    subjects: dict[str, str] = {}
    for wording, continued in split_criteria(criteria):
        clause = recognise(wording, adjustments)
        if continued is not None:
            subject = subjects[continued] = implicit_subject(continued, wording) or subjects.get(continued, "")
            guess = f"probably “{subject}”, " if subject else ""
            clause.todos.append(f"subject left implicit: {guess}from “{short(continued)}” — name whom it concerns in a comment")
        elif clauses and _IMPLICIT_START.match(packed(wording)):
            clause.todos.append("subject left implicit (the wording starts mid-sentence): name whom it concerns in a comment")
        clauses.append(clause)
    return clauses


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


def recognise(wording: str, adjustments: bool) -> DraftClause:
    """Kind, rate and unit of one clause, from its wording."""
    compact = packed(wording)
    clause = DraftClause(wording)
    rates = list(_RATE.finditer(compact))
    if not rates:
        if DISCRETIONARY.search(compact) and not adjustments:
            clause.kind = "discretionary"
            return clause
        if _NO_POINTS.search(compact) and not adjustments:
            clause.kind = "once"
            clause.todos.append("不得分: drafted as losing the item's points; check the rate")
            return clause
        clause.kind = "once" if adjustments else "discretionary"
        clause.rate = Decimal(-1) if adjustments else None
        clause.todos.append("no rate recognised in this wording (like 扣1分 or 每项扣0.5分): write its rule")
        return clause
    if len(rates) > 1:
        listed = ", ".join(r.group(0) for r in rates)
        clause.todos.append(f"several rates in one clause ({listed}): split it or decide which applies; drafted with the first")
    rate_match = rates[0]
    value = Decimal(rate_match.group(2))
    clause.rate = value if rate_match.group(1) == "加" else -value
    if rate_match.group(1) == "加" and not adjustments:
        clause.todos.append("a clause that adds points (加…分): deductions only in items; move it to the adjustments")
        clause.rate = -value
    verbatim = next((m for m in _RATE_VERBATIM.finditer(wording)), None)
    if verbatim is not None and re.search(r"\d\s+\.|\.\s+\d", verbatim.group(2)):
        clause.todos.append(f"the number reads “{verbatim.group(0)}” in the source (a space inside it), taken as {_plain(value)}")
    each = None
    for candidate in COUNTED.finditer(compact[: rate_match.start()]):
        each = candidate
    if each is not None:
        clause.kind = "each"
        clause.unit = each.group(1)
    else:
        clause.kind = "once"
    return clause


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
    """The drafted rule as source text, written by the one unparser."""
    rule: ClauseRule
    if clause.kind == "discretionary" or clause.rate is None:
        rule = Discretionary()
    elif clause.kind == "each":
        rule = Each(clause.rate, clause.unit)
    else:
        rule = Once(clause.rate)
    return rule_source(rule)
