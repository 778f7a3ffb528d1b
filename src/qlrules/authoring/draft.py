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

Official wording is kept verbatim, punctuation and no-break spaces included.
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

__all__ = ["Draft", "Todo", "draft", "read_document"]

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
                 "责任单位", "牵头科室", "责任部门", "分值", "备注", "序号")

#: Owner names the seed uses; other names are recognised by their ending (`_OWNER_SHAPE`).
KNOWN_OWNERS = ("机关纪委", "机关党委", "各科室(单位)", "办公室", "人事科", "法规科")
_OWNER_SHAPE = re.compile(
    r"^(?:各|机关)?[\u4e00-\u9fff]{0,10}(?:委|科|室|处|办|部|局|组|队|中心|所|站|院|厅)"
    r"(?:[(（][\u4e00-\u9fff]{1,6}[)）])?$"
)

_SENTENCE_PUNCT = re.compile(r"[,，。;；:：!！?？]")
_SECTION_START = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]")
_NUMBERED = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)")
_POINTS_TAIL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")
#: Page furniture: "— 15 -", "- 3 -", "第3页 共9页", "3/9".
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–−_~\s]+\d{1,4}[-—–−_~\s]*|[-—–−_~\s]*\d{1,4}[-—–−_~\s]+"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_ATTACHMENT = re.compile(r"^附\s*件\s*(\d+|[一二三四五六七八九十]+)?\s*[:：]?$")
_NOTES = re.compile(r"^(?:备注|注|说明)\s*[:：]\s*")
#: The 加减分项 heading, alone on its line or followed by its text after a colon.
_ADJUSTMENTS = re.compile(
    r"^(加减分项|加分项|减分项|扣分项|加减分|加扣分项|扣分情况|加分情况)\s*(?P<bracket>[(（][^)）]*[)）])?\s*(?:$|[:：]\s*)")

#: The points of an item's 具体内容: ",2分。" (the first such number after a comma), or "(2分)".
_ITEM_POINTS = re.compile(
    r"[,，]\s*(\d+(?:\s*\.\s*\d+)?)\s*分\s*([。.,，;；]?)"
    r"|[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*([。.,，;；]?)"
)


def _numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23."""
    if "十" not in text:
        return _NUMERALS.get(text, 0)
    tens, _sep, ones = text.partition("十")
    return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(packed(text))
    except InvalidOperation:
        return None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_header_word(line: str) -> bool:
    """The page header of the table, as one word a line or all on one line."""
    rest = packed(line)
    if not rest:
        return False
    for word in sorted(_HEADER_WORDS, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest == ""


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
    """Walks the document's lines once, building sections, topics, items, adjustments and notes."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.title = ""
        self.edition: str | None = None
        self.sections: list[_Section] = []
        self.section: _Section | None = None
        self.topic: _Topic | None = None
        self.paragraph: list[str] = []
        self.mode = "items"  # items | adjustments | notes
        self.adjustment_paragraphs: list[str] = []
        self.note_paragraphs: list[str] = []
        self.adjustments_title: str | None = None
        #: Each adjustments heading: (its title, its words in brackets, the index of its first paragraph).
        self.adjustment_headings: list[tuple[str, str, int]] = []
        self.stray: list[str] = []
        self.running: set[str] = set()

    # -- the preamble: everything before the table ----------------------------

    def preamble(self) -> int:
        """Read title, edition and running headers; return the index of the table's first line."""
        start = len(self.lines)
        for index, line in enumerate(self.lines):
            if (
                _is_header_word(line)
                or _SECTION_START.match(packed(line))
                or _NUMBERED.match(packed(line))
                or self.heading(index, "unnumbered") is not None
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
            if not _NUMBERED.match(compact) or len(compact) > 40:
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
            if kind == "unnumbered" or (kind == "topic" and not self.topic_without_points(index, compact)):
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

    def topic_without_points(self, index: int, compact: str) -> bool:
        """A numbered line with no points is a topic heading only if it reads like one and item 1 follows."""
        if _SENTENCE_PUNCT.search(compact) or len(compact) > 24:
            return False
        following = next((line for line in self.lines[index + 1 :] if not self.furniture(line)), "")
        number = _NUMBERED.match(packed(following))
        return number is not None and number.group(1) == "1"

    # -- the walk -------------------------------------------------------------

    def read(self) -> None:
        index = self.preamble()
        while index < len(self.lines):
            line = self.lines[index]
            compact = packed(line)
            if self.furniture(line):
                index += 1
                continue
            notes = _NOTES.match(line.strip())
            if notes:
                self.flush()
                self.mode = "notes"
                rest = line.strip()[notes.end() :]
                if rest:
                    self.paragraph = [rest]
                index += 1
                continue
            adjustments = _ADJUSTMENTS.match(line.strip())
            if adjustments:
                self.flush()
                self.mode = "adjustments"
                self.adjustments_title = adjustments.group(1)
                self.adjustment_headings.append((adjustments.group(1), adjustments["bracket"] or "", len(self.adjustment_paragraphs)))
                rest = line.strip()[adjustments.end() :]
                if rest:
                    self.paragraph = [rest]
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
                self.start_section(unnumbered, numbered=False)
                index += unnumbered[0]
                continue
            numbered = _NUMBERED.match(compact)
            if numbered or not self.paragraph:
                # A new item (or note, or adjustments paragraph) starts here.
                self.flush()
                if not numbered and self.mode == "items" and not _ITEM_POINTS.search(line):
                    self.stray.append(line.strip())
                else:
                    self.paragraph = [line.strip()]
            else:
                # A sentence broken across lines: join without a space (Chinese text).
                previous, following = self.paragraph[-1], line.strip()
                words = _latin(previous[-1:]) and _latin(following[:1])
                self.paragraph[-1] = previous + (" " if words else "") + following
            index += 1
        self.flush()

    def start_section(self, heading: tuple[int, str, str, Decimal | None], numbered: bool) -> None:
        _consumed, verbatim, title, points = heading
        if numbered:
            start = _SECTION_START.match(packed(verbatim))
            assert start is not None
            number = _numeral(start.group(1))
        else:
            number = 0 if not any(s.number > 0 for s in self.sections) else -1
        known = next((s for s in self.sections if (numbered and s.number == number) or (not numbered and s.title == title)), None)
        if known is not None:
            # The heading repeated at the top of a new page: the section goes on.
            if self.section is not known:
                self.section, self.topic = known, None
            return
        todos: list[str] = []
        if number < 0:
            number = max(s.number for s in self.sections) + 1
            todos.append(f"an unnumbered block after the numbered sections; drafted as S{number}: check where it belongs")
        if points is None:
            todos.append("no points found in this heading (like (25分)); drafted as the sum of its parts")
        if not title:
            todos.append("no title found in this heading")
        self.section = _Section(number, title, points, verbatim, todos=todos)
        self.sections.append(self.section)
        self.topic = None

    def start_topic(self, heading: tuple[int, str, str, Decimal | None]) -> None:
        _consumed, verbatim, title, points = heading
        start = _NUMBERED.match(packed(verbatim))
        assert start is not None
        number = int(start.group(1))
        section = self.ensure_section()
        self.topic = _Topic(number, title, points, verbatim)
        if points is None:
            self.topic.todos.append("no points found in this heading (like (8分)); drafted as the sum of its items")
        section.topics.append(self.topic)

    def ensure_section(self) -> _Section:
        if self.section is None:
            todo = "content before any section heading: give this section its title and points"
            self.section = _Section(0, "", None, "", todos=[todo])
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
        text = "".join(self.paragraph)
        self.paragraph = []
        if self.mode == "adjustments":
            self.adjustment_paragraphs.append(text)
        elif self.mode == "notes":
            self.note_paragraphs.append(text)
        else:
            container: _Topic | _Section = self.topic or self.ensure_section()
            container.items.extend(_items(text, len(container.items)))


def _items(paragraph: str, before: int) -> list[_Item]:
    """Split a paragraph into numbered items ("…,2分。…。 3.制定…") and parse each."""
    if not _NUMBERED.match(paragraph):
        return [_item(before + 1, paragraph, todo="the document gives this item no number")]
    return [_item(number, body) for number, body in _numbered_pieces(paragraph)]


def _item(number: int, body: str, todo: str | None = None) -> _Item:
    """One item: its 具体内容 (up to and including its points) and the clauses of its 考评标准."""
    todos = [todo] if todo else []
    match = _ITEM_POINTS.search(body)
    if match is None:
        todos.append("no points found in this item's text (like ,2分。); set them")
        return _Item(number, body, None, [], todos)
    points = _decimal(match.group(1) or match.group(3))
    if match.group(1) and re.search(r"\d\s+\.|\.\s+\d", match.group(1)):
        todos.append(f"the points read {match.group(1)!r} in the source, taken as {points}")
    text = body[: match.end()].strip()
    criteria = body[match.end() :].strip()
    clauses = clauses_of(criteria, adjustments=False)
    for clause in clauses:
        if clause.kind == "once" and clause.rate is None:  # 不得分: the item's points are lost
            clause.rate = -points if points else Decimal(-1)
    return _Item(number, text, points, clauses, todos)


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
    starts = [(int(first.group(1)), 0, first.end())]
    expected = starts[0][0] + 1
    for match in re.finditer(r"(?<=[。；;,，.])\s*(\d{1,3})\s*[.．](?!\d)", paragraph):
        if int(match.group(1)) == expected and match.start() > starts[-1][2]:
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


def _points(value: Decimal | None, parts: Sequence[Decimal | None]) -> Decimal:
    if value is not None:
        return value
    known = [p for p in parts if p is not None]
    total = sum(known, Decimal(0))
    return total if total > 0 else Decimal(1)


def _assign_ids(sections: list[_Section]) -> None:
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
            if topic.number in used_topics:
                number = max(used_topics) + 1
                topic.todos.append(f"topic number {topic.number} is used twice in the document; drafted as {number}")
                topic.number = number
            used_topics.add(topic.number)
            topic.id = str(topic.number)
            _number_items(topic.items, topic.id)
        _number_items(section.items, str(section.number))


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
    grades = grades_of([n.text for n in notes] + reader.stray)
    for note in notes:
        vetoes.extend(vetoes_of(note.text))
    for n, veto in enumerate(vetoes, 1):
        veto.id = f"V{n}"

    out = _Writer(source)
    # Points of each level: the document's, or the sum of the parts when it gives none.
    item_points = {id(i): _points(i.points, []) for s in sections for i in [*s.items, *(i for t in s.topics for i in t.items)]}
    topic_points = {id(t): _points(t.points, [item_points[id(i)] for i in t.items]) for s in sections for t in s.topics}
    section_points = {
        id(s): _points(s.points, [item_points[id(i)] for i in s.items] + [topic_points[id(t)] for t in s.topics])
        for s in sections
    }
    total = sum((section_points[id(s)] for s in sections), Decimal(0))

    out.emit(f"# Drafted by `qlrules draft` from {source}: official wording verbatim from the document.")
    out.emit("# Resolve every TODO below (search for TODO), give items their short titles, then run `qlrules check`.")
    out.emit("")
    header_todos = [] if reader.title else ["no title found in the document: write one"]
    out.emit(f"rubric {_quote(reader.title or Path(source).stem)} points {_plain(total)}", header_todos, "rubric")
    if reader.edition:
        out.emit(f"  edition {_quote(reader.edition)}")
    for n, note in enumerate(notes, 1):
        if note.name is None:
            drafted = [what for what, found in (("grades", any(g.text in note.text for g in grades)),
                                                ("vetoes", bool(vetoes_of(note.text)))) if found]
            also = f"; its {' and '.join(drafted)} are drafted below" if drafted else ""
            out.emit(f"  # 注{n} {_quote(note.text)}",
                     [f"注{n} matches no rule qlrules knows (highest-per-case, item-cap){also}; decide how to score the rest"], f"注{n}")
        else:
            out.emit(f"  # 注{n}")
            out.emit(f"  rule {note.name} {_quote(note.text)}")

    for section in sections:
        points = section_points[id(section)]
        out.emit("")
        numeral = _SECTION_START.match(packed(section.heading))
        label = (numeral.group(0) if numeral else "") + section.title or "(no heading in the document)"
        out.emit(f"# {label} ({_plain(section.points)}分)" if section.points is not None else f"# {label}")
        todos = list(section.todos)
        parts = [item_points[id(i)] for i in section.items] + [topic_points[id(t)] for t in section.topics]
        if section.points is not None and sum(parts, Decimal(0)) != section.points:
            todos.append(f"its parts add up to {_plain(sum(parts, Decimal(0)))}, not {_plain(section.points)}: check the points")
        if not section.topics and not section.items:
            todos.append("no items found under this heading")
        owners = _owners(section.owners)
        if section.topics and not section.items and not section.owners:
            owners = ""
        elif not section.topics and not section.owners:
            todos.append("no 责任科室 found for this section")
        out.emit(f"section {section.id} {_quote(section.title)} points {_plain(points)}{_part_cap(section.title, points)}{owners}",
                 todos, section.id)
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
                todos.append(f"its items add up to {added}, not {_plain(topic.points)}: check the points")
            if not topic.owners:
                following = next((t.owners for t in section.topics[n + 1 :] if t.owners), None)
                hint = f"; the next topic lists {', '.join(following)} (a merged cell?)" if following else ""
                todos.append(f"no 责任科室 found for this topic in the document{hint}: add `owners`")
            if not topic.items:
                todos.append("no items found under this topic")
            tpoints = topic_points[id(topic)]
            out.emit(f"  topic {topic.id} {_quote(topic.title)} points {_plain(tpoints)}{_part_cap(topic.title, tpoints)}"
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
            out.emit(f"#   {line}")

    for group in groups:
        _write_group(out, group)
    _write_grades(out, grades, vetoes)
    _explain_warnings(out)

    text = "\n".join(out.lines) + "\n"
    items = [i for s in sections for i in [*s.items, *(i for t in s.topics for i in t.items)]]
    return Draft(
        text=text,
        source=source,
        title=reader.title,
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
    cap: Decimal | None
    adjustments: list[DraftClause]


#: The id of a named group, by its title: B for 加分项 and N for 扣分项, as language-2 writes them.
_GROUP_IDS = {"加分项": "B", "加分情况": "B", "扣分项": "N", "减分项": "N", "扣分情况": "N"}


def _groups(reader: _Reader) -> list[_Group]:
    """The adjustment groups, each with the paragraphs under its heading; a heading repeated goes on."""
    headings: list[tuple[str, str, list[str]]] = []
    marks = reader.adjustment_headings
    for n, (title, bracket, start) in enumerate(marks):
        end = marks[n + 1][2] if n + 1 < len(marks) else len(reader.adjustment_paragraphs)
        paragraphs = reader.adjustment_paragraphs[start:end]
        known = next((h for h in headings if h[0] == title), None)
        if known is not None:
            known[2].extend(paragraphs)
        else:
            headings.append((title, bracket, list(paragraphs)))
    single = len(headings) == 1 and _GROUP_IDS.get(headings[0][0]) is None
    groups: list[_Group] = []
    used: set[str] = set()
    for title, bracket, paragraphs in headings:
        ident: str | None = None
        if not single:
            ident = _GROUP_IDS.get(title, "G")
            base, k = ident, 1
            while ident in used or ident == "G":
                k += 1
                ident = f"{base}{k}" if base != "G" else f"G{k - 1}"
            used.add(ident)
        text = "".join(paragraphs)
        adjustments = clauses_of(text, adjustments=True) if text else []
        for n, adjustment in enumerate(adjustments, 1):
            adjustment.id = f"{ident or 'A'}{n}"
        cap = re.search(r"(\d+(?:\.\d+)?)分", packed(bracket)) if bracket else None
        groups.append(_Group(ident, title, text, Decimal(cap[1]) if cap else None, adjustments))
    return groups


def _write_group(out: _Writer, group: _Group) -> None:
    out.emit("")
    out.emit(f"# {group.title}")
    ident = f" {group.id}" if group.id else ""
    cap = f" cap {_plain(group.cap)}" if group.cap is not None else ""
    out.emit(f"adjustments{ident} {_quote(group.title)}{cap}")
    if group.text:
        out.emit(f"  text {_quote(group.text)}")
    if not group.adjustments:
        out.emit(f"  {group.id or 'A'}1 \"\" each 项 +1", ["no adjustments recognised in this paragraph: write them"], "adjustments")
    for adjustment in group.adjustments:
        rule = rule_text(adjustment)
        todos = adjustment.todos + suspects(adjustment.text)
        out.emit(f"  {adjustment.id} {_quote(adjustment.text)} {rule}", todos, adjustment.id)


def _write_grades(out: _Writer, grades: list[DraftGrade], vetoes: list[DraftVeto]) -> None:
    """The `grades` block the document's bands give, then its `vetoes`; without grades, the vetoes wait in comments."""
    if grades:
        out.emit("")
        out.emit(f"grades {_quote('考核结果')}")
        for grade in grades:
            comment = "" if grade.valid else "# "
            out.emit(f"  {comment}{grade.name} {_quote(grade.text)} {grade_line(grade)}", grade.todos, grade.name)
    if not vetoes:
        return
    out.emit("")
    if not grades:
        out.emit("# vetoes \"否决项\"", [
            "the document imposes 一票否决 but states no grades (like 90分以上为优秀): a veto caps the grade, so declare "
            "`grades`, then uncomment these lines and name the grade each veto gives"], "vetoes")
        for veto in vetoes:
            out.emit(f"#   {veto.id} {_quote(veto.text)} veto ?")
        return
    out.emit(f"vetoes {_quote('否决项')}")
    for veto in vetoes:
        out.emit(f"  {veto.id} {_quote(veto.text)} veto {veto_grade(veto, [g for g in grades if g.valid])}")


def _write_item(out: _Writer, item: _Item, points: Decimal, indent: str) -> None:
    out.emit("")
    modifiers, more = item_modifiers(item.clauses, points, item.text)
    todos = list(item.todos) + more
    out.emit(f"{indent}item {item.id} points {_plain(points)}{modifiers}", todos, item.id)
    out.emit(f"{indent}  text {_quote(item.text)}", suspects(item.text), item.id)
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
        if most is not None and most > points:
            todos.append(f"the rate {_plain(most)} is above the item's {_plain(points)} points")
        out.emit(f"{indent}  {clause.id} {_quote(clause.text)} {rule_text(clause)}", todos, clause.id)


# ---------------------------------------------------------------------------
# Entry points


def _lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def draft(text: str, source: str = "<document>") -> Draft:
    """Draft a rubric from an official document's plain text.

    Raises:
        InputError: nothing in ``text`` looks like a rubric (no section, topic or item with points).
    """
    reader = _Reader(_lines(text))
    reader.read()
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
