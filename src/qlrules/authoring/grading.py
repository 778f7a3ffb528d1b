"""Rubric-level recognition for `qlrules draft`: grades (90分以上为优秀) and vetoes (一票否决).

A document states its grades in a note or 说明 (总分90分(含)以上为优秀,76-89为达标,75分(含)以下为
不达标) and its vetoes wherever a sentence imposes one (实行“一票否决”). This module reads them
from wording; `draft` writes them as the rubric's `grades` and `vetoes` blocks. Pure text processing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from .recognise import packed
from .wording import VETO

__all__ = ["DraftGrade", "DraftVeto", "grade_line", "grades_of", "veto_grade", "vetoes_of"]

#: The names a grade is given, longest first where one holds another (不达标 is not 达标).
GRADE_NAMES = ("基本合格", "基本达标", "不合格", "不达标", "不称职", "基本称职", "优秀", "良好", "较好", "合格", "达标", "称职", "一般", "较差")

_NAMED = re.compile(r"(?:为|评为|定为|确定为|属于|即为)“?(?P<name>" + "|".join(GRADE_NAMES) + r")”?(?:等次|档次|等级)?$")
_BETWEEN = re.compile(r"(?P<low>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?[-－~～—至到](?P<high>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?")
_AT_LEAST = re.compile(r"(?P<number>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?(?:及|或)?以上")
_AT_MOST = re.compile(r"(?P<number>\d+(?:\.\d+)?)分?(?:[(（]含[)）])?(?:及|或)?以下")
_BELOW = re.compile(r"(?:低于|不足|不满|少于|小于|未达到|未满)(?P<number>\d+(?:\.\d+)?)分?")
_ABOVE = re.compile(r"(?:高于|超过|大于|多于)(?P<number>\d+(?:\.\d+)?)分?")
_PIECES = re.compile(r"[,，;；。]")


@attrs.define
class DraftGrade:
    """One grade as the wording gives it: name, the wording verbatim, its inclusive bounds."""

    name: str
    text: str
    low: Decimal | None
    high: Decimal | None
    todos: list[str] = attrs.field(factory=list)
    #: False when its band overlaps the one before: the draft keeps it in a comment, so the draft compiles.
    valid: bool = True


@attrs.define
class DraftVeto:
    """A sentence that imposes 一票否决, verbatim."""

    text: str
    todos: list[str] = attrs.field(factory=list)
    id: str = ""


def grades_of(texts: list[str]) -> list[DraftGrade]:
    """Every grade band the texts state, best first; a name given twice keeps its first band."""
    grades: list[DraftGrade] = []
    for text in texts:
        for piece in _PIECES.split(text):
            grade = _grade(piece.strip())
            if grade is not None and all(g.name != grade.name for g in grades):
                grades.append(grade)
    grades.sort(key=lambda g: g.low if g.low is not None else g.high if g.high is not None else Decimal(0), reverse=True)
    _gaps(grades)
    return grades


def _gaps(grades: list[DraftGrade]) -> None:
    """Totals no band covers (76-89, then 90分以上: 89 < t < 90): a TODO on the band below the gap, where check warns."""
    from ..numbers import plain

    for better, worse in zip(grades, grades[1:]):
        if better.low is not None and worse.high is not None and worse.high < better.low:
            worse.todos.append(
                f"totals above {plain(worse.high)} and below {plain(better.low)} get no grade, as the document writes the bands: "
                "if totals are whole numbers, acknowledge it (`# qlrules: accept grade-gap`); else widen a band")
        elif better.low is None or worse.high is None or worse.high >= better.low:
            worse.valid = False
            worse.todos.append(f"the bands of {better.name} and {worse.name} overlap or run the wrong way: kept in a comment; "
                               "set the band the document means and uncomment it")


def _grade(piece: str) -> DraftGrade | None:
    compact = packed(piece)
    named = _NAMED.search(compact)
    if named is None:
        return None
    band = compact[: named.start()]
    name = named["name"]
    if between := _BETWEEN.search(band):
        low, high = Decimal(between["low"]), Decimal(between["high"])
        return DraftGrade(name, piece, min(low, high), max(low, high))
    if at_least := _AT_LEAST.search(band):
        return DraftGrade(name, piece, Decimal(at_least["number"]), None)
    if at_most := _AT_MOST.search(band):
        return DraftGrade(name, piece, None, Decimal(at_most["number"]))
    if below := _BELOW.search(band):
        number = below["number"]
        return DraftGrade(name, piece, None, Decimal(number), [
            f"“{below[0]}” excludes {number} itself, but a grade's bounds include theirs: drafted as `at most {number}`; "
            "set the bound the document means"])
    if above := _ABOVE.search(band):
        number = above["number"]
        return DraftGrade(name, piece, Decimal(number), None, [
            f"“{above[0]}” excludes {number} itself, but a grade's bounds include theirs: drafted as `at least {number}`; "
            "set the bound the document means"])
    return None


def grade_line(grade: DraftGrade) -> str:
    """``at least 90``, ``from 76 to 89``, ``at most 75``: the band as the language writes it."""
    from ..language.unparse import value

    if grade.low is not None and grade.high is not None:
        return f"from {value(grade.low)} to {value(grade.high)}"
    if grade.low is not None:
        return f"at least {value(grade.low)}"
    assert grade.high is not None
    return f"at most {value(grade.high)}"


def vetoes_of(text: str) -> list[DraftVeto]:
    """Each sentence of ``text`` that imposes 一票否决 (实行“一票否决”, 列为否决项), verbatim."""
    found: list[DraftVeto] = []
    for sentence in re.split(r"[;；。]", text):
        sentence = sentence.strip().strip(",，").strip()
        if sentence and VETO.search(packed(sentence)):
            # Only the part of the sentence that imposes it: what comes after a grade's band is its own.
            parts = [p for p in re.split(r"[,，](?=[^,，]*(?:为|评为)(?:" + "|".join(GRADE_NAMES) + "))", sentence)]
            found.append(DraftVeto(parts[-1].strip(",， ")))
    return found


def veto_grade(veto: DraftVeto, grades: list[DraftGrade]) -> str | None:
    """The grade a veto caps at: the one its wording names (不达标), else the lowest declared."""
    wording = packed(veto.text)
    for name in sorted((g.name for g in grades), key=len, reverse=True):
        if name in wording:
            return name
    return grades[-1].name if grades else None
