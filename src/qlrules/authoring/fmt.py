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
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import click
from lark import Token, Tree

from ..language.build import parse_tree
from ..errors import QlrulesError
from ..i18n import _
from ..numbers import plain
from ..language.parse import parse_with_comments, read_source

#: Whitespace the grammar skips between tokens.
_SPACE = " \t\r\n\f\u3000\ufeff"
_MINUS = "-\u2212\uff0d"
_PLUS = "+\uff0b"
#: Constructs that open a block: a blank line goes before each, as in the bundled rubric.
_BLOCKS = {"section", "topic", "item", "adjustments"}

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

    Raises:
        RubricError: the text does not compile; nothing is formatted.
    """
    text = text.removeprefix("\ufeff")
    tree, comments = parse_with_comments(text, source)
    parse_tree(tree, text, source, "")  # a rubric that does not compile is not formatted
    return _render(text, list(_lines(tree)), comments)


# -- constructs -----------------------------------------------------------


def _lines(tree: Tree[Token]) -> Iterator[_Line]:
    for node in _trees(tree):
        if node.data == "header":
            head = [c for c in node.children if not _is(c, "year", "edition")]
            yield _head_line(node, 0, "rubric", head)
            for option in _trees(node):
                if option.data in ("year", "edition"):
                    yield _own_line(option, 2, _value(option))
        elif node.data == "rule_decl":
            name, text = node.children
            yield _own_line(node, 2, f"rule {name} {_value(text)}")
        elif node.data == "section":
            yield from _block(node, 0)
        elif node.data == "adjustments":
            yield _head_line(node, 0, "adjustments", [node.children[0]])
            for child in _trees(node):
                if child.data == "adjustment":
                    yield _own_line(child, 2, _rule_line(child))
                elif child.data == "content":
                    yield _own_line(child, 2, _value(child))


def _block(node: Tree[Token], indent: int) -> Iterator[_Line]:
    """A section, topic or item: its head line, then what it holds one level deeper."""
    parts = [c for c in node.children if not _is(c, "topic", "item", "content", "clause")]
    yield _head_line(node, indent, str(node.data), parts)
    for child in _trees(node):
        if child.data in ("topic", "item"):
            yield from _block(child, indent + 2)
        elif child.data == "content":
            yield _own_line(child, indent + 2, _value(child))
        elif child.data == "clause":
            yield _own_line(child, indent + 2, _rule_line(child))


def _head_line(node: Tree[Token], indent: int, keyword: str, parts: list[Node]) -> _Line:
    """The first line of a block: keyword, id, title, points, owners (what comes before its body)."""
    words = [keyword, *(_value(p) for p in parts)]
    return _Line(indent, " ".join(words), node.meta.start_pos, _end(parts[-1]), node.meta.line, node.data in _BLOCKS)


def _own_line(node: Tree[Token], indent: int, text: str) -> _Line:
    return _Line(indent, text, node.meta.start_pos, node.meta.end_pos, node.meta.line, node.data in _BLOCKS)


def _rule_line(node: Tree[Token]) -> str:
    """A clause or adjustment: id, wording, kind with its rate, modifiers in their order."""
    ident, text, kind, *modifiers = node.children
    words = [str(ident), _value(text), str(_tree(kind).data)]
    for part in _tree(kind).children:
        if _is(part, "replaces"):
            words.append("replaces " + ", ".join(_ref(r) for r in _trees(_tree(part))))
        else:
            words.append(_value(part))
    words.extend(_value(m) for m in modifiers)
    return " ".join(words)


def _ref(node: Tree[Token]) -> str:
    return "..".join(str(c) for c in node.children)


def _value(node: Node) -> str:
    """A leaf or a keyword with its value, written canonically: texts joined and re-quoted, numbers plain."""
    if isinstance(node, Token):
        if node.type == "NUMBER":
            return _number(str(node))
        if node.type == "STRING":
            return _quote(_unquote(str(node)))
        return str(node)
    if node.data == "text":
        return _quote("".join(_unquote(str(s)) for s in node.children))
    if node.data == "owners":
        return "owners " + ", ".join(_value(s) for s in node.children)
    # points, year, edition, of, cap, and an item's `text` (the grammar's `content`)
    return f"{'text' if node.data == 'content' else node.data} {_value(node.children[0])}"


def _number(raw: str) -> str:
    """−0.5 for a deduction, +1 or −1 for an adjustment, 2 for points: one minus, no trailing zeros."""
    sign = raw[0] if raw[0] in _MINUS + _PLUS else ""
    mark = "\u2212" if sign and sign in _MINUS else sign and "+"
    return mark + plain(Decimal(raw[len(sign) :]))


def _unquote(string: str) -> str:
    return re.sub(r"\\(.)", r"\1", string[1:-1])


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _trees(node: Tree[Token]) -> Iterator[Tree[Token]]:
    return (c for c in node.children if isinstance(c, Tree))


def _tree(node: Node) -> Tree[Token]:
    assert isinstance(node, Tree)
    return node


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
