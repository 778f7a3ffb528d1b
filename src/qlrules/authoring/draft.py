"""`qlrules draft`: an official assessment document (plain text) to a draft rubric.

The official document is a table (考评项目 / 具体内容 / 考评标准 / 责任科室) that has
been through a PDF-to-text extraction: the page header repeats on every page,
the 责任科室 cell comes out as separate lines after the rows it belongs to,
sentences break across lines, and headings break into fragments. `draft` reads
that text and writes rubric text in the qlrules language:

* sections (``一、突出政治引领 (25分)`` → ``section S1``; an unnumbered block such
  as ``强化组织领导 (5分)`` before the first numbered section → ``S0``),
* topics (``1.持续深化理论武装(8分)`` → ``topic 1``),
* items with their points and 具体内容 (``0.1``, ``0.2``… under S0; ``N.1``… under topic N),
* clauses split from each item's 考评标准 with kind and rate recognised,
* owners (责任科室), the notes (注) as rubric-wide rules, and the 加减分项 as adjustments.

Official wording is the document's, punctuation included, with the stray spaces and
no-break spaces of a PDF extraction closed up (未纳  入 → 未纳入, 扣1 分 → 扣1分; see
`spaces.close_up`), as the bundled rubric writes it. Only what is written is closed up:
the recognisers read the verbatim text, so a number the extraction broke (扣0 .5分)
still gets its TODO, which quotes it as the document has it.
What the text does not settle is written as a ``# TODO: …`` comment right above
the line concerned; the draft compiles as it is whenever the document's points
add up, and the TODOs say where an author must look.

Everything here is pure text processing except `draft_command`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from ..errors import InputError
from ..i18n import _
from ..numbers import plain as _plain
from ..numbers import quote as _quote
from .grading import DraftGrade, DraftVeto, grade_line, grades_of, veto_grade, vetoes_of
from .recognise import (
    DraftClause,
    clauses_of,
    enumeration_todo,
    exhausted,
    item_modifiers,
    largest,
    packed,
    part_cap,
    rule_text,
    suspects,
)
from .sources import Block, Line, Row, column_role, read_blocks, text_blocks
from .spaces import close_up
from .wording import VETO

__all__ = ["Draft", "Todo", "draft", "draft_blocks", "draft_file", "read_document"]

# ---------------------------------------------------------------------------
# Results


@attrs.frozen
class Todo:
    """One thing the author must decide: the draft line it sits above, the id concerned and why."""

    line: int
    target: str
    message: str


@attrs.frozen
class Draft:
    """A drafted rubric: its text, and what was recognised in the document."""

    text: str
    source: str
    title: str
    sections: int
    topics: int
    items: int
    clauses: int
    adjustments: int
    rules: int
    todos: tuple[Todo, ...]

    def summary(self) -> str:
        """One line for the terminal: what was drafted and how many TODOs it carries."""
        return _(
            "{source}: drafted {sections} sections, {topics} topics, {items} items, "
            "{clauses} clauses, {adjustments} adjustments, {rules} rules; {todos} TODOs to resolve"
        ).format(source=self.source, sections=self.sections, topics=self.topics, items=self.items,
                 clauses=self.clauses, adjustments=self.adjustments, rules=self.rules, todos=len(self.todos))


# ---------------------------------------------------------------------------
# Recognisers: what a line, a heading, a criterion looks like


#: Chinese numerals of the section headings (一、二、… 十九、).
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

#: Words of the table's header row, repeated on every page.
_HEADER_WORDS = ("考评项目", "具体内容", "考评标准", "责任科室", "考评内容", "评分标准", "考核内容", "考核标准",
                 "责任单位", "牵头科室", "责任部门", "分值", "备注", "序号", "类别", "具体项目内容", "信息提供部门",
                 "考核项目", "评分细则", "扣分标准", "检查内容", "评分方法", "考核方式", "牵头单位", "配合单位", "得分")

#: Owner names the seed uses; other names are recognised by their ending (`_OWNER_SHAPE`).
KNOWN_OWNERS = ("机关纪委", "机关党委", "各科室(单位)", "办公室", "人事科", "法规科")
_OWNER_SHAPE = re.compile(
    r"^(?:各|机关)?[\u4e00-\u9fff]{0,10}(?:委|科|室|处|办|部|局|组|队|中心|所|站|院|厅)"
    r"(?:[(（][\u4e00-\u9fff]{1,6}[)）])?$"
)

_SENTENCE_PUNCT = re.compile(r"[,，。;；:：!！?？]")
#: A section's number: 一、 or (一).
_SECTION_START = re.compile(r"^(?:([一二三四五六七八九十]{1,3})\s*[、.．]|[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）])")
#: A topic's or an item's number: 1. 1、 1． (1) （1） ①. Its style (`_style`) tells levels apart.
_NUMBERED = re.compile(r"^(?:(\d{1,3})\s*([.．、])(?!\d)|[(（]\s*(\d{1,3})\s*[)）]|([①-⑳]))")
#: A heading's points at its end: (8分), （8分）, (30).
_POINTS_TAIL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]$")
#: A bound stated in a heading: (本项限扣5分), (最高扣5分), (扣完为止).
_HEADING_CAP = re.compile(r"[(（][^()（）]*?(?:限扣|最高扣|最多扣|扣分不超过)\s*(\d+(?:\.\d+)?)\s*分[^()（）]*[)）]$")
#: Points alone, as a 分值 cell flattened onto its own line: "2", "2分", "0.5".
_POINTS_ALONE = re.compile(r"^(\d{1,3}(?:\.\d{1,2})?)\s*分?$")
#: A sentence that states points: 扣1分, 减0.5分, 加2分, 得1分, 扣1-3分, 不得分.
_STATES_POINTS = re.compile(r"(?:扣除?|减|加|得)\s*\d+(?:\.\d+)?\s*(?:[-－~～至]\s*\d+(?:\.\d+)?\s*)?分|不得分")
#: Wording that belongs to the whole rubric, not to an item: vetoes and grade bands.
_RUBRIC_LEVEL = re.compile(r"一票否决|否决项|\d+\s*分?\s*(?:[(（]含[)）])?\s*(?:以上|以下)?\s*为\s*(?:优秀|良好|合格|达标|不达标|不合格|较好|一般|较差)")
#: Page furniture: "— 15 -", "- 3 -", "第3页 共9页", "3/9".
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–−_~\s]+\d{1,4}[-—–−_~\s]*|[-—–−_~\s]*\d{1,4}[-—–−_~\s]+"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_ATTACHMENT = re.compile(r"^附\s*件\s*(\d+|[一二三四五六七八九十]+)?\s*[:：]?$")
_NOTES = re.compile(r"^(?:备注|注|说明)\s*[:：]\s*")
#: The 加减分项 heading, alone on its line or followed by its text after a colon.
_ADJUSTMENTS = re.compile(r"^(加减分项|加分项|减分项|扣分项|加减分|加扣分项|加分情况|扣分情况)\s*(?:[(（][^)）]*[)）])?\s*(?:$|[:：]\s*)")

#: The points of an item's 具体内容: ",2分。" (the first such number after a comma), or "(2分)".
_ITEM_POINTS = re.compile(
    r"[,，]\s*(\d+(?:\s*\.\s*\d+)?)\s*分\s*([。.,，;；]?)"
    r"|[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*([。.,，;；]?)"
)


#: The points an item earns, when its text states no others: 做到…的得1分, ,得1分,.
_EARNED_POINTS = re.compile(r"得(\d+(?:\.\d+)?)分")


def _numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23."""
    if "十" not in text:
        return _NUMERALS.get(text, 0)
    tens, _sep, ones = text.partition("十")
    return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)


def _section_number(match: re.Match[str]) -> int:
    return _numeral(match.group(1) or match.group(2))


def _number(match: re.Match[str]) -> int:
    """The number of a `_NUMBERED` match: 3 for "3." "3、" "(3)" and "③"."""
    if match.group(4):
        return ord(match.group(4)) - ord("①") + 1
    return int(match.group(1) or match.group(3))


def _style(match: re.Match[str]) -> str:
    """How a `_NUMBERED` match is written, the digits left out: "#." "#、" "(#)" "①"."""
    if match.group(4):
        return "①"
    if match.group(3):
        return "(#)"
    return "#、" if match.group(2) == "、" else "#."


#: Where the next number of each style starts inside a paragraph, after a sentence's end.
_NEXT_NUMBER = {
    "#.": r"(\d{1,3})\s*[.．](?!\d)",
    "#、": r"(\d{1,3})\s*、",
    "(#)": r"[(（]\s*(\d{1,3})\s*[)）]",
    "①": r"([①-⑳])",
}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(packed(text))
    except InvalidOperation:
        return None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_header_word(line: str) -> bool:
    """The table's header row, as one word a line or all on one line (考评项目 具体内容 …, 类别, 信息提供部门)."""
    rest = packed(line)
    if not rest or _ADJUSTMENTS.match(rest):  # 扣分项 is a heading of its own, not a 扣分 column
        return False
    for word in sorted(_HEADER_WORDS, key=len, reverse=True):
        rest = rest.replace(word, "")
    if rest == "":
        return True
    words = line.split()
    return all(column_role(word) is not None for word in words) and (len(words) > 1 or len(packed(line)) <= 6)


def _is_owner(line: str) -> bool:
    """A line of 责任科室 names only: 机关纪委, or 机关党委、各科室(单位)."""
    parts = _owner_parts(line)
    return bool(parts) and all(part in KNOWN_OWNERS or _OWNER_SHAPE.match(part) for part in parts)


def _owner_parts(line: str) -> list[str]:
    return [p for p in re.split(r"[、,，\s]+", line.strip()) if p]


def _is_fragment(line: str) -> bool:
    """A piece of a heading broken across lines: short, no sentence punctuation, not a start of its own."""
    compact = packed(line)
    return (
        0 < len(compact) <= 14
        and not _SENTENCE_PUNCT.search(compact)
        and not _SECTION_START.match(compact)
        and not _NUMBERED.match(compact)
        and not _is_owner(compact)
        and not _is_header_word(compact)
        and not re.search(r"(?<![(（\d.])\d+(?:\.\d+)?分", compact)  # an item's points: a short item, not a heading's tail
    )


# ---------------------------------------------------------------------------
# The drafted structure, before it is written out


@attrs.define
class _Item:
    number: int
    text: str
    points: Decimal | None
    clauses: list[DraftClause]
    todos: list[str] = attrs.field(factory=list)
    id: str = ""


@attrs.define
class _Topic:
    number: int
    title: str
    points: Decimal | None
    heading: str
    owners: list[str] = attrs.field(factory=list)
    items: list[_Item] = attrs.field(factory=list)
    todos: list[str] = attrs.field(factory=list)
    cap: Decimal | None = None
    id: str = ""


@attrs.define
class _Section:
    number: int
    title: str
    points: Decimal | None
    heading: str
    owners: list[str] = attrs.field(factory=list)
    topics: list[_Topic] = attrs.field(factory=list)
    items: list[_Item] = attrs.field(factory=list)
    todos: list[str] = attrs.field(factory=list)
    numbered: bool = True
    cap: Decimal | None = None

    @property
    def id(self) -> str:
        return f"S{self.number}"


@attrs.define
class _Note:
    name: str | None
    text: str


# ---------------------------------------------------------------------------
# Reading the document


class _Reader:
    """Walks the document's blocks once, building sections, topics, items, adjustments and notes.

    Lines go through `read_lines` (headings broken over lines, sentences joined, owner lines);
    table rows through `read_row` (each cell's column says what it is). Both build the same structure.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.title = ""
        self.edition: str | None = None
        self.sections: list[_Section] = []
        self.section: _Section | None = None
        self.topic: _Topic | None = None
        self.paragraph: list[str] = []
        self.paragraph_points: tuple[int, str] | None = None  # a 分值 on its own line: (index in paragraph, text)
        self.mode = "items"  # items | adjustments | notes
        self.adjustment_groups: list[tuple[str | None, list[str]]] = []
        self.note_paragraphs: list[str] = []
        self.stray: list[str] = []
        self.preface: list[str] = []  # text before the first heading or numbered line that states points
        self.rubric_level: list[str] = []  # paragraphs with vetoes or grade bands (for the clause-level recognition)
        self.running: set[str] = set()
        self.started = False
        self.item_style: str | None = None

    # -- the walk over blocks -------------------------------------------------

    def read(self, blocks: Sequence[Block]) -> None:
        run: list[str] = []
        for block in blocks:
            if isinstance(block, Line):
                run.append(block.text)
                continue
            if run:
                self.read_lines(run)
                run = []
            self.read_row(block)
        if run:
            self.read_lines(run)
        self.flush()

    # -- the preamble: everything before the table ----------------------------

    def preamble(self) -> int:
        """Read title, edition and running headers; return the index of the table's first line.

        A line above the first heading that states points (扣30分, 一票否决…) is no title: it is kept
        in `preface`, to be placed by the reader after all or written out with a TODO.
        """
        start = len(self.lines)
        for index, line in enumerate(self.lines):
            after_attachment = index > 0 and _ATTACHMENT.match(packed(self.lines[index - 1])) is not None
            if (
                _is_header_word(line)
                or _SECTION_START.match(packed(line))
                or _NUMBERED.match(packed(line))
                or (not after_attachment and self.heading(index, "unnumbered") is not None)
            ):
                start = index
                break
        candidates: list[str] = []
        after_attachment = False
        for line in self.lines[:start]:
            compact = packed(line)
            attachment = _ATTACHMENT.match(compact)
            if attachment:
                self.edition = self.edition or compact
                after_attachment = True
                continue
            if _PAGE_NUMBER.match(line):
                continue
            if _STATES_POINTS.search(compact) or _RUBRIC_LEVEL.search(compact):
                self.preface.append(line.strip())
                continue
            if after_attachment and not self.title:
                self.title = compact
                continue
            candidates.append(compact)
        if not self.title and candidates:
            self.title = candidates.pop()
        # What stood above the title is a running header: drop it wherever it repeats.
        self.running = set(candidates) | ({self.title} if self.title else set())
        return start

    def furniture(self, line: str) -> bool:
        compact = packed(line)
        return bool(
            _is_header_word(line)
            or _PAGE_NUMBER.match(line)
            or _ATTACHMENT.match(compact)
            or compact in self.running
        )

    # -- headings -------------------------------------------------------------

    def heading(self, index: int, kind: str) -> tuple[int, str, str, Decimal | None] | None:
        """A section / topic / unnumbered heading starting at ``index``, possibly broken over lines.

        Returns (lines consumed, verbatim heading, title, points) or None.
        """
        first = self.lines[index]
        compact = packed(first)
        if kind == "section":
            if not _SECTION_START.match(compact):
                return None
        elif kind == "topic":
            number = _NUMBERED.match(compact)
            if not number or len(compact) > 40:
                return None
            if self.item_style is not None and _style(number) != self.item_style and not _POINTS_TAIL.search(compact):
                return None
        else:
            if (
                not compact
                or _SENTENCE_PUNCT.search(compact)
                or _SECTION_START.match(compact)
                or _NUMBERED.match(compact)
                or _is_owner(compact)
                or _is_header_word(compact)
                or len(compact) > 24
            ):
                return None
        parts = [first.strip()]
        joined = compact
        consumed = 1
        while not _POINTS_TAIL.search(joined) and consumed <= 3 and index + consumed < len(self.lines):
            following = self.lines[index + consumed]
            if self.furniture(following) or not _is_fragment(following):
                break
            parts.append(following.strip())
            joined += packed(following)
            consumed += 1
        points_match = _POINTS_TAIL.search(joined)
        if points_match:
            body = joined[: points_match.start()]
            points: Decimal | None = Decimal(points_match.group(1))
        else:
            if kind == "unnumbered" and not self.unnumbered_without_points(index, compact):
                return None
            if kind == "topic" and not self.topic_without_points(index, compact):
                return None
            # A heading without its points: take the first line only.
            consumed, body, points = 1, compact, None
            parts = parts[:1]
        if kind == "section":
            start = _SECTION_START.match(body)
            assert start is not None
            title = body[start.end() :]
        elif kind == "topic":
            start = _NUMBERED.match(body)
            assert start is not None
            title = body[start.end() :]
        else:
            title = body
        if not title and kind != "section":
            return None
        return consumed, " ".join(parts), title, points

    def following(self, index: int) -> str:
        return next((line for line in self.lines[index + 1 :] if not self.furniture(line)), "")

    def topic_without_points(self, index: int, compact: str) -> bool:
        """A numbered line with no points is a topic heading only if it reads like one and item 1 follows."""
        if _SENTENCE_PUNCT.search(compact) or len(compact) > 24 or _STATES_POINTS.search(compact):
            return False
        number = _NUMBERED.match(packed(self.following(index)))
        return number is not None and _number(number) == 1

    def unnumbered_without_points(self, index: int, compact: str) -> bool:
        """A short line without number or points heads a block (a 类别 of a 负面清单) when what follows is
        numbered item 1 or a sentence that states points."""
        if _HEADING_CAP.search(compact) and len(compact) <= 24:
            return True
        if len(compact) > 14 or _STATES_POINTS.search(compact) or _POINTS_ALONE.match(compact):
            return False
        if self.paragraph and not re.search(r"[。;；.!！]$", self.paragraph[-1]):
            return False  # mid-sentence: a line the page's width broke, not a heading
        following = packed(self.following(index))
        number = _NUMBERED.match(following)
        if number is not None:
            return _number(number) == 1
        if re.match(r"(?:扣除?|减|加|得)\s*\d", following):
            return False  # the rest of a sentence ("…每项" / "扣0.5分。")
        return bool(_STATES_POINTS.search(following)) and not _is_owner(following)

    # -- lines ----------------------------------------------------------------

    def read_lines(self, lines: list[str]) -> None:
        self.lines = _unflattened(lines)
        index = 0
        if not self.started:
            index = self.preamble()
            self.started = index < len(lines)
        while index < len(self.lines):
            line = self.lines[index]
            compact = packed(line)
            if self.furniture(line):
                index += 1
                continue
            if self.mode_heading(line):
                index += 1
                continue
            section = self.heading(index, "section")
            if section is not None:
                self.flush()
                self.mode = "items"
                self.start_section(section, numbered=True)
                index += section[0]
                continue
            if self.mode == "items":
                topic = self.heading(index, "topic")
                if topic is not None:
                    self.flush()
                    self.start_topic(topic)
                    index += topic[0]
                    continue
            if _is_owner(compact):
                self.add_owners(_owner_parts(line))
                index += 1
                continue
            unnumbered = self.heading(index, "unnumbered")
            if unnumbered is not None:
                self.flush()
                self.mode = "items"
                self.start_unnumbered(unnumbered)
                index += unnumbered[0]
                continue
            if self.paragraph and self.mode == "items" and _POINTS_ALONE.match(compact) and self.paragraph_points is None:
                # A 分值 cell flattened onto its own line: the points of the item being read.
                self.paragraph_points = (len(self.paragraph), compact)
                self.paragraph.append("")
                index += 1
                continue
            numbered = _NUMBERED.match(compact)
            if numbered and self.mode == "items" and self.paragraph and self.item_style and _style(numbered) != self.item_style:
                numbered = None  # (1)… inside an item numbered 1.…: a clause's enumeration, not a new item
            if numbered or not self.paragraph:
                # A new item (or note, or adjustments paragraph) starts here.
                self.flush()
                if not numbered and self.mode == "items" and not _ITEM_POINTS.search(line) and not _STATES_POINTS.search(compact):
                    self.stray.append(line.strip())
                else:
                    if numbered and self.mode == "items" and self.item_style is None:
                        self.item_style = _style(numbered)
                    self.paragraph = [line.strip()]
            else:
                # A sentence broken across lines: join without a space (Chinese text).
                previous, following = self.paragraph[-1], line.strip()
                words = _latin(previous[-1:]) and _latin(following[:1])
                if self.paragraph_points is not None and len(self.paragraph) - 1 == self.paragraph_points[0]:
                    self.paragraph.append(following)
                else:
                    self.paragraph[-1] = previous + (" " if words else "") + following
            index += 1
        self.flush()

    def mode_heading(self, line: str) -> bool:
        """注 / 说明 and 加减分项 / 加分项 / 扣分项 headings switch what the following text is."""
        notes = _NOTES.match(line.strip())
        if notes:
            self.flush()
            self.mode = "notes"
            rest = line.strip()[notes.end() :]
            if rest:
                self.paragraph = [rest]
            return True
        adjustments = _ADJUSTMENTS.match(line.strip())
        if adjustments:
            self.flush()
            self.mode = "adjustments"
            self.adjustment_groups.append((adjustments.group(1), []))
            rest = line.strip()[adjustments.end() :]
            if rest:
                self.paragraph = [rest]
            return True
        return False

    # -- table rows -----------------------------------------------------------

    def read_row(self, row: Row) -> None:
        """One table row: a heading in each 考评项目 cell that starts here, then the item its cells give."""
        self.flush()
        self.started = True
        projects = row.get("project")
        for level, cell in enumerate(projects):
            if cell.first and packed(cell.text):
                for heading in _cell_headings(cell.text):
                    self.row_heading(heading, level, len(projects))
        content = "\n".join(c.text for c in row.get("content") if c.first and c.text.strip())
        criteria = "\n".join(c.text for c in row.get("criteria") if c.first and c.text.strip())
        points = next((packed(c.text) for c in row.get("points") if c.first and packed(c.text)), None)
        numbers = [packed(c.text) for c in row.get("number") if c.first and packed(c.text)]
        if self.mode_heading(content.split("\n")[0]) and self.mode != "items":
            content = "\n".join(content.split("\n")[1:])
        if self.mode == "adjustments":
            text = _cell_join([content, criteria])
            if text:
                self.adjustment_groups[-1][1].append(text)
        elif self.mode == "notes":
            text = _cell_join([content, criteria])
            if text:
                self.note_paragraphs.append(text)
        elif content or criteria or points:
            container: _Topic | _Section = self.topic or self.ensure_section()
            number = int(numbers[0]) if numbers and numbers[0].isdigit() else None
            container.items.extend(_row_items(content, criteria, points, len(container.items), number))
        for cell in row.get("owner"):
            for line in cell.text.split("\n"):
                self.add_owners(_owner_parts(line))

    def row_heading(self, text: str, level: int, levels: int) -> None:
        """A 考评项目 cell: a section (一、… or the first of two columns), a topic (1.…), 加减分项 or 注."""
        compact = packed(text)
        if self.mode_heading(compact):
            return
        self.mode = "items"
        title, points, cap = _split_heading(compact)
        section = _SECTION_START.match(title)
        if section is not None:
            self.start_section((1, text.strip(), title[section.end() :], points), numbered=True, cap=cap)
            return
        number = _NUMBERED.match(title)
        if number is not None and (level > 0 or self.section is not None or levels == 1):
            self.start_topic((1, text.strip(), title[number.end() :], points), cap=cap)
            return
        if level == 0 and levels > 1 or self.section is None or not self.section.numbered:
            self.start_unnumbered((1, text.strip(), title, points), cap=cap)
            return
        self.start_topic((1, text.strip(), title, points), cap=cap, numbered=False)

    # -- building -------------------------------------------------------------

    def start_section(self, heading: tuple[int, str, str, Decimal | None], numbered: bool, cap: Decimal | None = None) -> None:
        _consumed, verbatim, title, points = heading
        if cap is None:
            title, own_points, cap = _split_heading(title)
            points = points if points is not None else own_points
        start = _SECTION_START.match(packed(verbatim))
        assert start is not None
        number = _section_number(start)
        known = next((s for s in self.sections if s.numbered and s.number == number), None)
        if known is not None and known.title == title:
            # The heading repeated at the top of a new page: the section goes on.
            if self.section is not known:
                self.section, self.topic = known, None
            return
        todos: list[str] = []
        if known is not None:
            todos.append(f"the document numbers two sections {start.group(0)} (“{known.title}” and this one): "
                         "numbered apart in the draft; check the headings")
        if points is None:
            todos.append("no points found in this heading (like (25分)); drafted as the sum of its parts")
        if not title:
            todos.append("no title found in this heading")
        self.section = _Section(number, title, points, verbatim, todos=todos, cap=cap)
        self.sections.append(self.section)
        self.topic = None

    def start_unnumbered(self, heading: tuple[int, str, str, Decimal | None], cap: Decimal | None = None) -> None:
        """A heading without a number: a block before the numbered sections (S0) or one of a list of such."""
        _consumed, verbatim, title, points = heading
        if cap is None:
            title, own_points, cap = _split_heading(title)
            points = points if points is not None else own_points
        known = next((s for s in self.sections if not s.numbered and s.title == title), None)
        if known is not None:
            if self.section is not known:
                self.section, self.topic = known, None
            return
        todos = [] if points is not None else ["no points found in this heading (like (25分)); drafted as the sum of its parts"]
        self.section = _Section(0, title, points, verbatim, todos=todos, numbered=False, cap=cap)
        self.sections.append(self.section)
        self.topic = None

    def start_topic(self, heading: tuple[int, str, str, Decimal | None], cap: Decimal | None = None, numbered: bool = True) -> None:
        _consumed, verbatim, title, points = heading
        if cap is None:
            title, own_points, cap = _split_heading(title)
            points = points if points is not None else own_points
        start = _NUMBERED.match(packed(verbatim))
        section = self.ensure_section()
        number = _number(start) if numbered and start is not None else 0
        self.topic = _Topic(number, title, points, verbatim, cap=cap)
        if points is None:
            self.topic.todos.append("no points found in this heading (like (8分)); drafted as the sum of its items")
        section.topics.append(self.topic)

    def ensure_section(self) -> _Section:
        if self.section is None:
            todo = "content before any section heading: give this section its title and points"
            self.section = _Section(0, "", None, "", todos=[todo], numbered=False)
            self.sections.append(self.section)
        return self.section

    def add_owners(self, names: list[str]) -> None:
        target: _Topic | _Section | None = self.topic or self.section
        if target is None:
            return
        for name in names:
            if name not in target.owners:
                target.owners.append(name)

    def flush(self) -> None:
        if not self.paragraph:
            return
        lines, marker = self.paragraph, self.paragraph_points
        self.paragraph, self.paragraph_points = [], None
        text = "".join(lines)
        if _RUBRIC_LEVEL.search(packed(text)):
            self.rubric_level.append(text)
        if self.mode == "adjustments":
            if not self.adjustment_groups:
                self.adjustment_groups.append((None, []))
            self.adjustment_groups[-1][1].append(text)
        elif self.mode == "notes":
            self.note_paragraphs.append(text)
        else:
            container: _Topic | _Section = self.topic or self.ensure_section()
            if marker is not None:
                content, criteria = "".join(lines[: marker[0]]), "".join(lines[marker[0] + 1 :])
                container.items.extend(_row_items(content, criteria, marker[1], len(container.items), None))
            else:
                container.items.extend(_items(text, len(container.items), self.item_style))

    def place_preface(self) -> None:
        """Text above the first heading that states points: a block of its own (S0) before the others, never dropped."""
        if not self.preface:
            return
        section = _Section(0, "", None, "", numbered=False,
                           todos=["text before the first heading of the document: give this block its title and points, "
                                  "or move its clauses where they belong"])
        for n, text in enumerate(self.preface, 1):
            if _RUBRIC_LEVEL.search(packed(text)):
                self.rubric_level.append(text)
            section.items.extend(_items(text, n - 1, None))
        self.sections.insert(0, section)


#: Where an item may start in a table flattened onto one line: its number right after a sentence's end,
#: followed by its text ("。15健全完善…", "。17落实《…").
_RUN_ON_ITEM = re.compile(r"(?:(?<=[。;；)）])|^)(\d{1,2})(?=[\u4e00-\u9fff《“(（])")
#: The item's points in such a line: a number right after its text, before the criteria ("。5(1)未…", "。4发生…", "制度16(1)").
_RUN_ON_POINTS = re.compile(r"(\d{1,2}(?:\.\d)?)(?=[(（]1[)）])|(?<=[。;；])(\d{1,2}(?:\.\d)?)(?=[\u4e00-\u9fff])")
#: A section heading inside such an item: "(六)从严治党,…,严格责任追究(30)".
_RUN_ON_SECTION = re.compile(r"^[(（][一二三四五六七八九十]{1,3}[)）][^。;；]*?[(（]\d+(?:\.\d+)?\s*分?[)）]")


def _unflattened(lines: list[str]) -> list[str]:
    """A table flattened onto one long line (序号, 具体内容, 分值 and 考评标准 run together), as lines again.

    Only a line that holds a run of at least three consecutive item numbers is cut: before each
    item ("15." is written for "15"), after its text (its points on a line of their own, as a
    分值 cell), before a section heading that stands inside it, and before a closing 说明.
    """
    out: list[str] = []
    for line in lines:
        chain = _number_chain(line) if len(line) > 200 else []
        if len(chain) < 3:
            out.append(line)
            continue
        head = line[: chain[0].start()].strip()
        if head:
            out.append(head)
        for n, start in enumerate(chain):
            end = chain[n + 1].start() if n + 1 < len(chain) else len(line)
            body = line[start.end() : end]
            notes = re.search(r"(?<=[。;；])说明(?=[\u4e00-\u9fff])", body) if n + 1 == len(chain) else None
            closing = ""
            if notes is not None:
                body, closing = body[: notes.start()], body[notes.end() :]
            section = _RUN_ON_SECTION.match(body)
            if section is not None:
                out.append(section.group(0))
                body = body[section.end() :]
            points = _RUN_ON_POINTS.search(body)
            if points is not None:
                out.extend([f"{start.group(1)}.{body[: points.start()]}", points.group(0), body[points.end() :]])
            else:
                out.append(f"{start.group(1)}.{body}")
            if notes is not None:
                out.append(f"说明:{closing}")
    return [line for line in out if line.strip()]


def _number_chain(line: str) -> list[re.Match[str]]:
    """The longest run of consecutive numbers (15, 16, 17…) among the places an item may start."""
    candidates = list(_RUN_ON_ITEM.finditer(line))
    best: list[re.Match[str]] = []
    for n, first in enumerate(candidates):
        chain = [first]
        for later in candidates[n + 1 :]:
            if int(later.group(1)) == int(chain[-1].group(1)) + 1:
                chain.append(later)
        if len(chain) > len(best):
            best = chain
    return best


def _cell_headings(text: str) -> list[str]:
    """The headings of a 考评项目 cell: one, possibly typed over several lines ("一、突出" / "政治引领" /
    "(25分)"), or a section's and a topic's ("一、…(25分)" / "1.…(8分)"), each starting with its number."""
    headings: list[str] = []
    for line in (line.strip() for line in text.split("\n") if line.strip()):
        compact = packed(line)
        if headings and not _SECTION_START.match(compact) and not _NUMBERED.match(compact):
            headings[-1] += line
        else:
            headings.append(line)
    return headings


def _cell_join(texts: list[str]) -> str:
    """The texts of cells read as one paragraph; a cell's lines joined without a space (Chinese text)."""
    return "".join(line.strip() for text in texts for line in text.split("\n") if line.strip())


def _split_heading(compact: str) -> tuple[str, Decimal | None, Decimal | None]:
    """A heading's title, its points ((8分) at its end, taken off the title) and its bound ((本项限扣5分), kept in it)."""
    points: Decimal | None = None
    cap: Decimal | None = None
    bound = _HEADING_CAP.search(compact)
    if bound is not None:  # the title keeps its wording: "平安三率(本项限扣5分)" … cap 5
        cap = Decimal(bound.group(1))
        tail = _POINTS_TAIL.search(compact[: bound.start()])
        if tail is not None:
            points = Decimal(tail.group(1))
            compact = compact[: tail.start()] + compact[bound.start() :]
        return compact, points, cap
    tail = _POINTS_TAIL.search(compact)
    if tail is not None:
        points = Decimal(tail.group(1))
        compact = compact[: tail.start()]
    return compact, points, cap


def _items(paragraph: str, before: int, style: str | None) -> list[_Item]:
    """Split a paragraph into numbered items ("…,2分。…。 3.制定…") and parse each."""
    if not _NUMBERED.match(paragraph):
        return [_item(before + 1, paragraph, todo="the document gives this item no number")]
    return [_item(number, body) for number, body in _numbered_pieces(paragraph)]


def _row_items(content: str, criteria: str, points: str | None, before: int, number: int | None) -> list[_Item]:
    """The item(s) of a table row: 具体内容, 考评标准 and the 分值, each from its own cell (``number``: a 序号 cell)."""
    content, criteria = _cell_join([content]), _cell_join([criteria])
    first = _NUMBERED.match(content)
    if first is not None and points is None and len(_numbered_pieces(content)) > 1:
        # A cell that holds several items: read them as one paragraph, criteria after the last.
        return _items(content + criteria, before, None)
    if first is not None:
        number = number if number is not None else _number(first)
        content = content[first.end() :].strip()
    number = number if number is not None else before + 1
    if points is not None:
        return [_item(number, content, criteria=criteria, points=_decimal(points.removesuffix("分")))]
    if content and not _ITEM_POINTS.search(content):
        # The 具体内容 states no points (,2分。): its own text stays the item's, the 考评标准 are the clauses.
        return [_item(number, content, criteria=criteria)]
    return [_item(number, _cell_join([content, criteria]))]


def _item(number: int, body: str, todo: str | None = None, criteria: str | None = None,
          points: Decimal | None = None) -> _Item:
    """One item: its 具体内容 (up to and including its points) and the clauses of its 考评标准.

    ``criteria`` and ``points``, when given, come from cells of their own (a table's 考评标准 and
    分值 columns); otherwise both are found in ``body``, the criteria after the points.
    """
    todos = [todo] if todo else []
    if points is not None:
        return _Item(number, body.strip(), points, _clauses(criteria or "", points), todos)
    match = _ITEM_POINTS.search(body)
    earned = _EARNED_POINTS.search(packed(body)) if match is None else None
    if earned is not None:
        # 做到…的得1分: the points the item earns are its points; the sentence is its clause's wording too.
        points = Decimal(earned.group(1))
        todos.append(f"the item's points are read from “{earned.group(0)}” in its text: check them")
        return _Item(number, body.strip(), points, _clauses(criteria if criteria else body, points), todos)
    if match is None:
        todos.append("no points found for this item (like ,2分。 or a 分值 cell): drafted as 0; set them")
        text = body.strip()
        rest = criteria if criteria else body
        return _Item(number, text, None, _clauses(rest, None), todos)
    points = _decimal(match.group(1) or match.group(3))
    if match.group(1) and re.search(r"\d\s+\.|\.\s+\d", match.group(1)):
        todos.append(f"the points read {match.group(1)!r} in the source, taken as {points}")
    text = body[: match.end()].strip()
    rest = body[match.end() :].strip()
    if criteria:
        rest = _cell_join([rest, criteria])
    return _Item(number, text, points, _clauses(rest, points), todos)


def _clauses(criteria: str, points: Decimal | None) -> list[DraftClause]:
    clauses = clauses_of(criteria, adjustments=False) if criteria.strip() else []
    for clause in clauses:
        if clause.kind == "once" and clause.rate is None:  # 不得分: the item's points are lost
            clause.rate = -points if points else Decimal(-1)
    return clauses


# ---------------------------------------------------------------------------
# Clauses: splitting a 考评标准 and recognising each one's rule


# ---------------------------------------------------------------------------
# Notes (注) and adjustments (加减分项)


def _notes(paragraphs: list[str]) -> list[_Note]:
    notes = []
    for paragraph in paragraphs:
        for piece in _split_numbered(paragraph):
            compact = packed(piece)
            name: str | None = None
            if "不重复扣分" in compact or "扣分最高值" in compact or "最高值为准" in compact:
                name = "highest-per-case"
            elif "不超过" in compact and ("赋分" in compact or "分值" in compact):
                name = "item-cap"
            notes.append(_Note(name, piece))
    return notes


def _split_numbered(paragraph: str) -> list[str]:
    first = _NUMBERED.match(paragraph)
    if not first:
        return [paragraph.strip()]
    return [body for _num, body in _numbered_pieces(paragraph)]


def _numbered_pieces(paragraph: str) -> list[tuple[int, str]]:
    """Split "1.…。 2.…" at each next number that follows a sentence's end; (number, body) pairs."""
    first = _NUMBERED.match(paragraph)
    assert first is not None
    starts = [(_number(first), 0, first.end())]
    expected = starts[0][0] + 1
    for match in re.finditer(r"(?<=[。；;,，.])\s*" + _NEXT_NUMBER[_style(first)], paragraph):
        found = match.group(1)
        value = ord(found) - ord("①") + 1 if "①" <= found <= "⑳" else int(found)
        if value == expected and match.start() > starts[-1][2]:
            starts.append((expected, match.start(), match.end()))
            expected += 1
    pieces = []
    for n, (num, _start, body_start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(paragraph)
        pieces.append((num, paragraph[body_start:end].strip()))
    return pieces


# ---------------------------------------------------------------------------
# Writing the rubric


class _Writer:
    def __init__(self, source: str) -> None:
        self.lines: list[str] = []
        self.todos: list[Todo] = []
        self.source = source

    def emit(self, line: str, todos: list[str] = [], target: str = "") -> None:  # noqa: B006 - read only
        indent = line[: len(line) - len(line.lstrip())]
        for message in todos:
            self.lines.append(f"{indent}# TODO: {message}")
            self.todos.append(Todo(len(self.lines), target, message))
        self.lines.append(line)


def _points(value: Decimal | None, parts: Sequence[Decimal]) -> Decimal:
    """A part's points: the sum of its parts when they do not give the document's (a TODO says so)."""
    total = sum(parts, Decimal(0))
    if value is None or (parts and total != value):
        return total
    return value


def _number_sections(sections: list[_Section]) -> None:
    """Unique section ids: a document's numbers (一、 → S1) where it gives them; blocks without a number
    before the first numbered section are S0, after it the next free number; a document with no
    numbered section at all is numbered in order, S1, S2, …"""
    used: set[int] = set()
    for section in sections:
        if not section.numbered:
            continue
        if section.number in used:
            number = max(used) + 1
            section.todos.append(f"section number {section.number} is used twice in the document; drafted as S{number}")
            section.number = number
        used.add(section.number)
    if not used:
        for position, section in enumerate(sections, 1):
            section.number = position
        return
    first_numbered = next(n for n, s in enumerate(sections) if s.numbered)
    for position, section in enumerate(sections):
        if section.numbered:
            continue
        if position < first_numbered and 0 not in used:
            section.number = 0
        else:
            section.number = max(used) + 1
            section.todos.append(f"an unnumbered block among the numbered sections; drafted as S{section.number}: "
                                 "check where it belongs")
        used.add(section.number)


def _assign_ids(sections: list[_Section]) -> None:
    _number_sections(sections)
    used_topics: set[int] = set()
    for section in sections:
        if section.topics and section.items:
            # Items straight under a section with topics: the language has one or the other.
            number = max([*used_topics, *(t.number for s in sections for t in s.topics)], default=0) + 1
            wrapper = _Topic(number, section.title, None, "", items=section.items,
                             todos=["items that stand straight under a section that also has topics: drafted as their own topic"])
            section.topics.insert(0, wrapper)
            section.items = []
        for topic in section.topics:
            if topic.number == 0:  # a heading without a number: the next one
                topic.number = max(used_topics, default=0) + 1
            elif topic.number in used_topics:
                number = max(used_topics) + 1
                topic.todos.append(f"topic number {topic.number} is used twice in the document; drafted as {number}")
                topic.number = number
            used_topics.add(topic.number)
            topic.id = str(topic.number)
            _number_items(topic.items, topic.id)
        _number_items(section.items, str(section.number))
    # Items straight under section N are N.1, N.2…: so are topic N's. The section's become a topic of their own.
    for section in sections:
        if section.items and str(section.number) in {t.id for s in sections for t in s.topics}:
            number = max(used_topics) + 1
            used_topics.add(number)
            wrapper = _Topic(number, section.title, None, "", items=section.items, id=str(number),
                             todos=[f"the items under {section.id} would have the ids of topic {section.number}'s: "
                                    f"drafted as topic {number} of their own"])
            section.topics.insert(0, wrapper)
            section.items = []
            _number_items(wrapper.items, wrapper.id)


def _number_items(items: list[_Item], prefix: str) -> None:
    for position, item in enumerate(items, 1):
        if item.number != position:
            item.todos.append(f"the document numbers this item {item.number}; drafted as {prefix}.{position}")
        item.id = f"{prefix}.{position}"
        for n, clause in enumerate(item.clauses):
            clause.id = item.id + _letters(n)


def _letters(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _write(reader: _Reader, source: str) -> Draft:
    sections = reader.sections
    vetoes = _take_vetoes(sections)
    _assign_ids(sections)
    notes = _notes(reader.note_paragraphs)
    groups = _groups(reader)
    adjustments = [a for g in groups for a in g.adjustments]
    grades = grades_of([n.text for n in notes] + reader.stray + reader.rubric_level)
    for text in [n.text for n in notes] + reader.rubric_level:
        for veto in vetoes_of(text):
            if not any(veto.text in v.text or v.text in veto.text for v in vetoes):
                vetoes.append(veto)
    for n, veto in enumerate(vetoes, 1):
        veto.id = f"V{n}"

    out = _Writer(source)
    # Points of each level: the document's, or the sum of the parts when it gives none.
    item_points = {id(i): i.points if i.points is not None else Decimal(0)
                   for s in sections for i in [*s.items, *(i for t in s.topics for i in t.items)]}
    topic_points = {id(t): _points(t.points, [item_points[id(i)] for i in t.items]) for s in sections for t in s.topics}
    section_points = {
        id(s): _points(s.points, [item_points[id(i)] for i in s.items] + [topic_points[id(t)] for t in s.topics])
        for s in sections
    }
    total = sum((section_points[id(s)] for s in sections), Decimal(0))

    out.emit(f"# Drafted by `qlrules draft` from {source}: official wording from the document, stray spaces closed up.")
    out.emit("# Resolve every TODO below (search for TODO), give items their short titles, then run `qlrules check`.")
    out.emit("")
    header_todos = [] if reader.title else ["no title found in the document: write one"]
    out.emit(f"rubric {_wording(reader.title or Path(source).stem)} points {_plain(total)}", header_todos, "rubric")
    if reader.edition:
        out.emit(f"  edition {_wording(reader.edition)}")
    for n, note in enumerate(notes, 1):
        if note.name is None:
            drafted = [what for what, found in (("grades", any(g.text in note.text for g in grades)),
                                                ("vetoes", bool(vetoes_of(note.text)))) if found]
            also = f"; its {' and '.join(drafted)} are drafted below" if drafted else ""
            out.emit(f"  # 注{n} {_wording(note.text)}",
                     [f"注{n} matches no rule qlrules knows (highest-per-case, item-cap){also}; decide how to score the rest"], f"注{n}")
        else:
            out.emit(f"  # 注{n}")
            out.emit(f"  rule {note.name} {_wording(note.text)}")

    for section in sections:
        points = section_points[id(section)]
        out.emit("")
        numeral = _SECTION_START.match(packed(section.heading))
        label = (numeral.group(0) if numeral else "") + section.title or "(no heading in the document)"
        label = close_up(label)
        out.emit(f"# {label} ({_plain(section.points)}分)" if section.points is not None else f"# {label}")
        todos = list(section.todos)
        parts = [item_points[id(i)] for i in section.items] + [topic_points[id(t)] for t in section.topics]
        if section.points is not None and sum(parts, Decimal(0)) != section.points:
            todos.append(f"the document gives {_plain(section.points)}分 but its parts add up to {_plain(sum(parts, Decimal(0)))}: "
                         "drafted as the sum; check the points")
        if not section.topics and not section.items:
            todos.append("no items found under this heading")
        owners = _owners(section.owners)
        if section.topics and not section.items and not section.owners:
            owners = ""
        elif not section.topics and not section.owners:
            todos.append("no 责任科室 found for this section")
        cap = _cap(section.cap) if section.cap is not None else _part_cap(section.title, points)
        out.emit(f"section {section.id} {_wording(section.title)} points {_plain(points)}{cap}{owners}", todos, section.id)
        if not section.topics and not section.items:
            # The language needs an item: write a placeholder the author will replace.
            placeholder = ["placeholder item: the document gives none"]
            out.emit(f"  item {section.number}.1 points {_plain(points)}", placeholder, section.id)
            out.emit(f"    text {_quote('')}")
            out.emit(f"    {section.number}.1a {_quote('')} discretionary")
        for item in section.items:
            _write_item(out, item, item_points[id(item)], "  ")
        for n, topic in enumerate(section.topics):
            out.emit("")
            todos = list(topic.todos)
            tparts = [item_points[id(i)] for i in topic.items]
            if topic.points is not None and sum(tparts, Decimal(0)) != topic.points:
                added = _plain(sum(tparts, Decimal(0)))
                todos.append(f"the document gives {_plain(topic.points)}分 but its items add up to {added}: "
                             "drafted as the sum; check the points")
            if not topic.owners:
                following = next((t.owners for t in section.topics[n + 1 :] if t.owners), None)
                hint = f"; the next topic lists {', '.join(following)} (a merged cell?)" if following else ""
                todos.append(f"no 责任科室 found for this topic in the document{hint}: add `owners`")
            if not topic.items:
                todos.append("no items found under this topic")
            tpoints = topic_points[id(topic)]
            cap = _cap(topic.cap) if topic.cap is not None else _part_cap(topic.title, tpoints)
            out.emit(f"  topic {topic.id} {_wording(topic.title)} points {_plain(tpoints)}{cap}"
                     f"{_owners(topic.owners)}", todos, topic.id)
            if not topic.items:
                out.emit(f"    item {topic.id}.1 points {_plain(topic_points[id(topic)])}")
                out.emit(f"      text {_quote('')}")
                out.emit(f"      {topic.id}.1a {_quote('')} discretionary")
            for item in topic.items:
                _write_item(out, item, item_points[id(item)], "    ")

    if reader.stray:
        out.emit("")
        todo = f"{len(reader.stray)} line(s) of the document were not placed: check them"
        out.emit("# Text the draft could not place:", [todo], "document")
        for line in reader.stray:
            out.emit(f"#   {close_up(line)}")

    for group in groups:
        _write_group(out, group)

    # Vetoes (一票否决) and grade bands (优秀/良好/合格…) belong to the whole rubric: `grades` and `vetoes` blocks.
    _write_grades(out, grades, vetoes)
    # What states a veto or a grade but was drafted as neither stays in a comment (一票否决 naming an event is no veto).
    drafted = [packed(g.text) for g in grades] + [packed(v.text) for v in vetoes]
    _write_rubric_level(out, [p for p in reader.rubric_level if not any(d in packed(p) for d in drafted)
                              and (VETO.search(packed(p)) or grades_of([p]))])
    _explain_warnings(out)

    text = "\n".join(out.lines) + "\n"
    items = [i for s in sections for i in [*s.items, *(i for t in s.topics for i in t.items)]]
    return Draft(
        text=text,
        source=source,
        title=close_up(reader.title),
        sections=len(sections),
        topics=sum(len(s.topics) for s in sections),
        items=len(items),
        clauses=sum(len(i.clauses) for i in items),
        adjustments=len(adjustments),
        rules=sum(1 for n in notes if n.name),
        todos=tuple(out.todos),
    )


def _explain_warnings(out: _Writer) -> None:
    """What `check --strict` would warn about on a drafted line that no TODO explains becomes a TODO above it.

    The recognisers already say what they could not decide; this catches the rest (a stray number
    from a flattened table, a ceiling the wording words oddly), so draft and check never disagree
    in silence. A draft whose points do not add up does not compile: its TODOs already say why.
    """
    from ..errors import RubricError
    from ..language.build import compile_rubric
    from .lint import lint

    text = "\n".join(out.lines) + "\n"
    try:
        rubric = compile_rubric(text, out.source)
    except RubricError:
        return
    warned: dict[int, list[str]] = {}
    for warning in [*rubric.warnings, *lint(rubric, text)]:
        if not (warning.line >= 2 and out.lines[warning.line - 2].lstrip().startswith("# TODO:")):
            warned.setdefault(warning.line, []).append(warning.message)
    if not warned:
        return
    lines, todos, shift = [], [], 0
    by_line = {todo.line: todo for todo in out.todos}
    for number, line in enumerate(out.lines, 1):
        for message in warned.get(number, []):
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}# TODO: check --strict says: {message}")
            shift += 1
            words = line.split()
            target = words[1] if len(words) > 1 and words[0] in ("rubric", "section", "topic", "item", "adjustments") else words[0]
            todos.append(Todo(len(lines), target, f"check --strict says: {message}"))
        lines.append(line)
        if number in by_line:
            todos.append(attrs.evolve(by_line[number], line=number + shift))
    out.lines, out.todos = lines, sorted(todos, key=lambda t: t.line)


def _write_rubric_level(out: _Writer, paragraphs: list[str]) -> None:
    """The paragraphs that state a veto or a grade the draft could not write as `vetoes` or `grades`: comments with a TODO.

    The paragraphs also stay where the document has them (an item's wording, a 注), so nothing
    that states points is lost either way.
    """
    if not paragraphs:
        return
    out.emit("")
    out.emit("# Wording about the whole rubric (一票否决, grade bands):",
             ["vetoes or grades the draft could not read: write them as `grades` and `vetoes` blocks (see the language reference)"],
             "rubric-level")
    for paragraph in dict.fromkeys(paragraphs):
        out.emit(f"#   {close_up(paragraph)}")


def _wording(text: str) -> str:
    """Official wording as the draft writes it: closed up (the extraction's stray spaces gone), then quoted."""
    return _quote(close_up(text))


def _cap(cap: Decimal | None) -> str:
    return f" cap {_plain(cap)}" if cap is not None else ""


def _owners(owners: list[str]) -> str:
    return (" owners " + ", ".join(_quote(o) for o in owners)) if owners else ""


def _part_cap(title: str, points: Decimal) -> str:
    """`` cap 5`` for 平安三率(本项限扣5分), `` cap N`` (its points) for 扣完为止 in a title."""
    cap = part_cap(title)
    if cap is None and exhausted(title):
        cap = points
    return f" cap {_plain(cap)}" if cap is not None else ""


def _take_vetoes(sections: list[_Section]) -> list[DraftVeto]:
    """The clauses that impose 一票否决: those that deduct nothing leave their item for `vetoes`; the others are copied."""
    vetoes: list[DraftVeto] = []
    for section in sections:
        for item in [*section.items, *(i for t in section.topics for i in t.items)]:
            for clause in item.clauses:
                if clause.veto:
                    vetoes.append(DraftVeto(clause.text))
            kept = [c for c in item.clauses if c.kind != "veto"]
            if len(kept) != len(item.clauses):
                moved = len(item.clauses) - len(kept)
                item.todos.append(f"{moved} 考评标准 of this item impose 一票否决 and deduct nothing: drafted under `vetoes` at the end")
                item.clauses = kept
    return vetoes


@attrs.define
class _Group:
    """An adjustment group: 加减分项 (the seed's single, unnamed one), or 加分项 / 扣分项 with an id."""

    id: str | None
    title: str
    text: str
    adjustments: list[DraftClause]


#: The id of a named group, by its title: B for 加分项 and N for 扣分项, as language-2 writes them.
_GROUP_IDS = {"加分项": "B", "加分情况": "B", "扣分项": "N", "减分项": "N", "扣分情况": "N"}


def _groups(reader: _Reader) -> list[_Group]:
    """The adjustment groups, each with the paragraphs under its heading; a heading repeated goes on."""
    headings: list[tuple[str, list[str]]] = []
    for title, paragraphs in reader.adjustment_groups:
        known = next((h for h in headings if h[0] == (title or "加减分项")), None)
        if known is not None:
            known[1].extend(paragraphs)
        else:
            headings.append((title or "加减分项", list(paragraphs)))
    single = len(headings) == 1 and _GROUP_IDS.get(headings[0][0]) is None
    groups: list[_Group] = []
    used: set[str] = set()
    for title, paragraphs in headings:
        ident: str | None = None
        if not single:
            ident = base = _GROUP_IDS.get(title, "G")
            k = 1
            while ident in used or ident == "G":
                k += 1
                ident = f"{base}{k}" if base != "G" else f"G{k - 1}"
            used.add(ident)
        text = "".join(paragraphs)
        adjustments = clauses_of(text, adjustments=True) if text else []
        for n, adjustment in enumerate(adjustments, 1):
            adjustment.id = f"{ident or 'A'}{n}"
        groups.append(_Group(ident, title, text, adjustments))
    return groups


def _write_group(out: _Writer, group: _Group) -> None:
    out.emit("")
    out.emit(f"# {close_up(group.title)}")
    ident = f" {group.id}" if group.id else ""
    out.emit(f"adjustments{ident} {_wording(group.title)}")
    if group.text:
        out.emit(f"  text {_wording(group.text)}")
    if not group.adjustments:
        out.emit(f"  {group.id or 'A'}1 \"\" each 项 +1", ["no adjustments recognised in this paragraph: write them"], "adjustments")
    for adjustment in group.adjustments:
        rule = rule_text(adjustment)
        todos = adjustment.todos + suspects(adjustment.text)
        out.emit(f"  {adjustment.id} {_wording(adjustment.text)} {rule}", todos, adjustment.id)


def _write_grades(out: _Writer, grades: list[DraftGrade], vetoes: list[DraftVeto]) -> None:
    """The `grades` block the document's bands give, then its `vetoes`; without grades, the vetoes wait in comments."""
    if grades:
        out.emit("")
        out.emit(f"grades {_quote('考核结果')}")
        for grade in grades:
            comment = "" if grade.valid else "# "
            out.emit(f"  {comment}{grade.name} {_wording(grade.text)} {grade_line(grade)}", grade.todos, grade.name)
    if not vetoes:
        return
    out.emit("")
    if not grades:
        out.emit("# vetoes \"否决项\"", [
            "the document imposes 一票否决 but states no grades (like 90分以上为优秀): a veto caps the grade, so declare "
            "`grades`, then uncomment these lines and name the grade each veto gives"], "vetoes")
        for veto in vetoes:
            out.emit(f"#   {veto.id} {_wording(veto.text)} veto ?")
        return
    out.emit(f"vetoes {_quote('否决项')}")
    for veto in vetoes:
        out.emit(f"  {veto.id} {_wording(veto.text)} veto {veto_grade(veto, [g for g in grades if g.valid])}")


def _write_item(out: _Writer, item: _Item, points: Decimal, indent: str) -> None:
    out.emit("")
    modifiers, more = item_modifiers(item.clauses, points, item.text)
    todos = list(item.todos) + more
    out.emit(f"{indent}item {item.id} points {_plain(points)}{modifiers}", todos, item.id)
    out.emit(f"{indent}  text {_wording(item.text)}", suspects(item.text), item.id)
    if not item.clauses:
        todo = "no 考评标准 found for this item: write its clauses"
        out.emit(f"{indent}  {item.id}a {_quote('')} discretionary", [todo], item.id + "a")
        return
    for n, clause in enumerate(item.clauses):
        todos = list(clause.todos)
        if clause.kind == "discretionary" and not clause.todos:
            # Like the seed's 6.1h after 6.1b–6.1g: a 酌情扣分 right after per-case rates likely replaces them.
            run: list[str] = []
            for before in reversed(item.clauses[:n]):
                if before.kind != "each":
                    break
                run.insert(0, before.id)
            if run:
                refs = f"{run[0]}..{run[-1]}" if len(run) > 1 else run[0]
                todos.append(f"酌情扣分 after per-case rates: it may stand in for them in the cases it names "
                             f"(like `replaces {refs}`): decide, add `replaces`")
        enumeration = enumeration_todo(clause, item.text)
        if enumeration:
            todos.append(enumeration)
        todos.extend(suspects(clause.text))
        most = largest(clause)
        if most is not None and most > points and item.points is not None:
            todos.append(f"the rate {_plain(most)} is above the item's {_plain(points)} points")
        out.emit(f"{indent}  {clause.id} {_wording(clause.text)} {rule_text(clause)}", todos, clause.id)


# ---------------------------------------------------------------------------
# Entry points


def draft(text: str, source: str = "<document>") -> Draft:
    """Draft a rubric from an official document's plain text (its lines; see `draft_blocks`).

    Raises:
        InputError: nothing in ``text`` looks like a rubric (no section, topic or item with points).
    """
    return draft_blocks(text_blocks(text), source)


def draft_file(path: str | Path, source: str | None = None) -> Draft:
    """Draft a rubric from the document at ``path``: .docx, .pdf, or text (.txt, .md; ``-`` is standard input).

    Raises:
        InputError: the file cannot be read (a format qlrules does not read, damaged, too large, not
            UTF-8), or nothing in it looks like a rubric.
    """
    source = source or str(path)
    return draft_blocks(read_blocks(path, source), source)


def draft_blocks(blocks: Sequence[Block], source: str = "<document>") -> Draft:
    """Draft a rubric from a document's blocks (`authoring.sources`): lines and table rows, in order.

    Raises:
        InputError: nothing in ``blocks`` looks like a rubric (no section, topic or item with points).
    """
    reader = _Reader()
    reader.read(blocks)
    reader.place_preface()
    if not any(s.items or s.topics for s in reader.sections):
        raise InputError(_(
            "{source}: nothing recognisable as a rubric: no section (一、… (25分)), topic (1.… (8分)) "
            "or item (1.…,2分。) was found"
        ).format(source=source))
    return _write(reader, source)


def read_document(path: str | Path) -> str:
    """Read a document as UTF-8 text (with or without BOM).

    Raises:
        InputError: the file cannot be read or is not UTF-8.
    """
    from ..io.text import read_text

    return read_text(path, "document")[0]
