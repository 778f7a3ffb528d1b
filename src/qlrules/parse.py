"""Rubric text to parse tree: the only module that touches Lark."""

from __future__ import annotations

import functools
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ._data import data_file
from .errors import InputError, Problem, RubricError

#: What each terminal is, in the words of a rubric author.
_TERMINAL_WORDS = {
    "ID": "an id like S1, 6.1 or 6.1a",
    "STRING": 'a quoted text like "…"',
    "NUMBER": "a number like 2 or −0.5",
    "UNIT": "a unit word like 项 or 人次",
    "RULE_NAME": "a rule name (highest-per-case or item-cap)",
    "COMMA": "a comma",
    "$END": "the end of the file",
}

#: Hints for the mistakes authors make most, keyed by what the parser expected.
_HINTS = (
    (frozenset({"ONCE", "EACH", "DISCRETIONARY"}), "a clause needs its rule after the wording: once −R, each 项 −R or discretionary"),
    (frozenset({"POINTS"}), "needs its points here, like: points 2"),
    (frozenset({"TEXT"}), 'an item needs its official text (具体内容) before its clauses, like: text "…"'),
)


def _grammar_text() -> str:
    return data_file("grammar", "qlrules.lark").read_text(encoding="utf-8")


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process."""
    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False)


def read_source(path: str | Path) -> tuple[str, bytes]:
    """Read a rubric file: UTF-8 with or without BOM, any line endings."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the rubric: {exc.strerror or exc}") from None
    return decode(data, str(path)), data


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x})") from None


def parse_text(text: str, source: str = "<rubric>") -> Tree[Token]:
    """Parse rubric text; a syntax error becomes a `RubricError` that points at the line."""
    text = text.removeprefix("\ufeff")
    try:
        return parser().parse(text)
    except UnexpectedInput as exc:
        raise RubricError([_syntax_problem(exc, text, source)]) from None


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[terminal]
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal
    return f"'{pattern.value}'" if pattern.type == "str" else terminal


def _expected_words(expected: set[str]) -> str:
    words = sorted({_describe(t) for t in expected if not t.startswith("__")})
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _syntax_problem(exc: UnexpectedInput, text: str, source: str) -> Problem:
    lines = text.splitlines()
    line = getattr(exc, "line", None) or max(1, len(lines))
    column = getattr(exc, "column", None) or 1
    if line == -1:  # the end of the file
        line, column = max(1, len(lines)), len(lines[-1]) + 1 if lines else 1
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    width = 1
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        if char == '"':
            message = 'this text is not closed: a quoted text ends with " on the same line'
        else:
            message = f"unexpected character {char!r}; expected {_expected_words(set(exc.allowed))}"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        expected = set(exc.expected)
        found = "the end of the file" if token.type == "$END" else repr(str(token))
        width = max(1, len(str(token))) if token.type != "$END" else 1
        message = f"expected {_expected_words(expected)}, found {found}"
        for keys, hint in _HINTS:
            if keys <= expected:
                message += f" ({hint})"
                break
    elif isinstance(exc, UnexpectedEOF):
        message = f"the file ends too early; expected {_expected_words(set(exc.expected))}"
    else:  # pragma: no cover - lark has no other kind
        message = str(exc)
    return Problem(message, source, line, column, source_line, width)
