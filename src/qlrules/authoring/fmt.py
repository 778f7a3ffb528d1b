"""Rubric text to its one canonical layout, every comment kept: the `qlrules fmt` command.

The layout is the bundled rubric's: one construct per line, two spaces per
level, a blank line before each section, topic, item and the adjustments,
adjacent strings joined, numbers written one way (−0.5, +1, 2). Comments
travel with the construct they sit in front of (or inside of); a comment
after code stays at the end of its construct's line (a construct spread over
lines that had several keeps the last there, the others go above it, in
order); comments after the last construct stay at the end. Blank lines between comments, and between a
comment block and its construct, are kept (one at most).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

import attrs
from lark import Token, Tree

from ..errors import QlrulesError
from ..i18n import _
from ..language import unparse
from ..language.build import parse_tree
from ..language.parse import parse_with_comments
from ..model import Rubric, meaning

#: Whitespace the grammar skips between tokens.
_SPACE = " \t\r\n\f\u3000\ufeff"
#: Constructs that open a block: a blank line goes before each, as in the bundled rubric.
_BLOCKS = {"section", "topic", "item", "adjustments", "grades", "vetoes"}

Node = Tree[Token] | Token


@attrs.frozen
class _Line:
    """One construct as it is written out, and where it was in the source (for its comments)."""

    indent: int
    text: str
    start: int
    end: int
    line: int
    blank_before: bool


def format_text(text: str, source: str = "<rubric>") -> str:
    """The canonical layout of rubric ``text``, with the same meaning and every comment.

    Each construct is written by `qlrules.language.unparse` from the compiled model;
    the parse tree only says where each construct and comment stood. Like black's
    ``assert_equivalent`` and ``assert_stable``, the result is checked before it is
    returned: it compiles to the same model, and formatting it again changes nothing.

    Raises:
        RubricError: the text does not compile; nothing is formatted.
        FormatError: the layout would change the meaning (a bug in qlrules); nothing is formatted.
    """
    formatted, before = _format(text, source)
    try:
        again, after = _format(formatted, source)  # compiling the output proves both properties at once
    except QlrulesError:
        again, after = None, None
    if after is None or meaning(after) != meaning(before):
        raise FormatError(_("{source}: the canonical layout would change what the rubric means; the file is left as it is").format(source=source))
    if again != formatted:
        raise FormatError(_("{source}: formatting it twice does not give the same text; the file is left as it is").format(source=source))
    return formatted


class FormatError(QlrulesError):
    """`fmt` would not keep a rubric's meaning: it refuses to write rather than change it."""


def _format(text: str, source: str) -> tuple[str, Rubric]:
    """The layout of ``text`` and the rubric it compiles to (a rubric that does not compile is not formatted)."""
    text = text.removeprefix("\ufeff")
    tree, comments = parse_with_comments(text, source)
    rubric = parse_tree(tree, text, source, "")
    return _render(text, list(_lines(tree, rubric)), comments), rubric


# -- constructs -----------------------------------------------------------


def _lines(tree: Tree[Token], rubric: Rubric) -> Iterator[_Line]:
    """Each construct's line, written from the model, at the place its node stood in the source."""
    by_id: dict[str, Any] = {**{s.id: s for s in rubric.sections}, **{t.id: t for t in rubric.topics},
                             **{i.id: i for i in rubric.items}, **rubric.clause_index}
    rules = iter(rubric.rules)
    groups = iter(rubric.adjustment_groups)
    header = unparse.header_lines(rubric)
    options = iter(line.strip() for line in header[1:])
    for node in _trees(tree):
        if node.data == "header":
            head = [c for c in node.children if not _is(c, "year", "edition")]
            yield _Line(0, header[0], node.meta.start_pos, _end(head[-1]), node.meta.line, False)
            for option in _trees(node):
                if option.data in ("year", "edition"):
                    yield _own_line(option, 2, next(options))
        elif node.data == "rule_decl":
            yield _own_line(node, 2, unparse.rule_line(next(rules)))
        elif node.data == "section":
            yield from _block(node, 0, by_id, ())
        elif node.data == "adjustments":
            group = next(groups)
            head = [c for c in node.children if not _is(c, "adjustment", "content")]
            yield _head_line(node, 0, unparse.group_line(group), head)
            for child in _trees(node):
                if child.data == "adjustment":
                    yield _own_line(child, 2, unparse.adjustment_line(by_id[str(child.children[0])]))
                elif child.data == "content":
                    yield _own_line(child, 2, unparse.content_line(group.text or ""))
        elif node.data == "grades":
            yield _head_line(node, 0, unparse.grades_line(rubric), [node.children[0]])
            for child, grade in zip((c for c in _trees(node) if c.data == "grade"), rubric.grades):
                yield _own_line(child, 2, unparse.grade_line(grade))
        elif node.data == "vetoes":
            yield _head_line(node, 0, unparse.vetoes_line(rubric), [node.children[0]])
            for child in _trees(node):
                if child.data == "veto":
                    yield _own_line(child, 2, unparse.veto_line(by_id[str(child.children[0])]))
                elif child.data == "content":
                    yield _own_line(child, 2, unparse.content_line(rubric.vetoes_text or ""))


def _block(node: Tree[Token], indent: int, by_id: dict[str, Any], inherited: tuple[str, ...]) -> Iterator[_Line]:
    """A section, topic or item: its head line, then what it holds one level deeper."""
    part = by_id[str(node.children[0])]
    parts = [c for c in node.children if not _is(c, "topic", "item", "content", "clause")]
    if node.data == "section":
        head = unparse.section_line(part)
    elif node.data == "topic":
        head = unparse.topic_line(part, inherited)
    else:
        head = unparse.item_line(part, inherited)
    yield _head_line(node, indent, head, parts)
    order = [c.id for c in part.clauses]
    for child in _trees(node):
        if child.data in ("topic", "item"):
            yield from _block(child, indent + 2, by_id, part.owners)
        elif child.data == "content":
            yield _own_line(child, indent + 2, unparse.content_line(part.text))
        elif child.data == "clause":
            yield _own_line(child, indent + 2, unparse.clause_line(by_id[str(child.children[0])], order))


def _head_line(node: Tree[Token], indent: int, text: str, parts: list[Node]) -> _Line:
    """The first line of a block: keyword, id, title, points, owners (what comes before its body)."""
    return _Line(indent, text, node.meta.start_pos, _end(parts[-1]), node.meta.line, node.data in _BLOCKS)


def _own_line(node: Tree[Token], indent: int, text: str) -> _Line:
    return _Line(indent, text, node.meta.start_pos, node.meta.end_pos, node.meta.line, node.data in _BLOCKS)


def _trees(node: Tree[Token]) -> Iterator[Tree[Token]]:
    return (c for c in node.children if isinstance(c, Tree))


def _is(node: Node, *names: str) -> bool:
    return isinstance(node, Tree) and node.data in names


def _end(node: Node) -> int:
    return (node.end_pos or 0) if isinstance(node, Token) else node.meta.end_pos


# -- comments -------------------------------------------------------------


@attrs.frozen
class _Note:
    """A comment as written out: its text, where it was, and what was around it."""

    text: str
    position: int
    blank_above: bool = False  # a blank line separated it from what came before
    trailing: bool = False  # it followed code on its line


def _render(text: str, lines: list[_Line], comments: list[Token]) -> str:
    """Write the constructs out, each comment with the construct it belongs to, in their order."""
    source_lines = text.split("\n")

    def blank_above(line: int) -> bool:
        return line >= 2 and not source_lines[line - 2].strip(_SPACE)

    starts = [line.start for line in lines]
    attached: list[list[_Note]] = [[] for _ in lines]
    tail: list[_Note] = []
    for comment in comments:
        position = comment.start_pos or 0
        trailing = bool(text[text.rfind("\n", 0, position) + 1 : position].strip(_SPACE))
        note = _Note(str(comment).rstrip(_SPACE), position, not trailing and blank_above(comment.line or 0), trailing)
        index = bisect.bisect_right(starts, position) - 1  # the last construct that starts before it
        if trailing:
            attached[index].append(note)
        elif index >= 0 and position < lines[index].end:
            attached[index].append(attrs.evolve(note, blank_above=False))  # inside the construct
        elif index + 1 < len(lines):
            attached[index + 1].append(note)
        else:
            tail.append(note)

    out: list[str] = []
    for line, notes in zip(lines, attached):
        pad = " " * line.indent
        if line.blank_before and out:
            out.append("")
        # The last comment stays at the end of the line if it was there; the others go above, in order.
        last = notes.pop() if notes and notes[-1].trailing else None
        above = sum(n.position < line.start for n in notes)
        gap = above > 0 and blank_above(line.line)  # a blank line between the comments above and the construct
        for n, note in enumerate(notes):
            if n and (note.blank_above or (gap and n == above)):
                out.append("")
            out.append(pad + note.text)
        if gap and above == len(notes):
            out.append("")
        out.append(pad + line.text + (f"  {last.text}" if last else ""))
    for note in tail:
        if note.blank_above and out:
            out.append("")
        out.append(note.text)
    return "\n".join(out) + "\n"


def in_conventions_of(original: bytes, formatted: str) -> bytes:
    """``formatted`` as bytes in the original file's conventions: its BOM and its line endings (CRLF or LF).

    `qlrules fmt -w` changes the layout, not how a Windows editor saved the file.
    """
    crlf = original.count(b"\r\n") > original.count(b"\n") // 2 if b"\n" in original else False
    text = formatted.replace("\n", "\r\n") if crlf else formatted
    return (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")
