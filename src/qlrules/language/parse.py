"""Rubric text to parse tree: the only module that touches Lark."""

from __future__ import annotations

import difflib
import functools
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import Problem, RubricError
from ..i18n import N_, _
from ..io.text import read_text
from .mistakes import COMMON_MISTAKES

#: What each terminal is, in the words of a rubric author.
_TERMINAL_WORDS = {
    "ID": N_("an id like S1, 6.1 or 6.1a"),
    "STRING": N_('a quoted text like "…"'),
    "NUMBER": N_("a number like 2 or −0.5"),
    "UNIT": N_("a Chinese word like 项, 人次 or 优秀"),
    "RANGE": N_("a range like −1..−2"),
    "GROUP_ID": N_("a group id like B or N"),
    "PERCENT": N_("%"),
    "DIRECTION": N_("below or above"),
    "BOUND": N_("least or most"),
    "RULE_NAME": N_("a rule name (highest-per-case or item-cap)"),
    "COMMA": N_("a comma"),
    "$END": N_("the end of the file"),
}



def _context(exc: UnexpectedInput) -> tuple[int, ...] | None:
    """The top of the parser's state stack where it failed: what it was in the middle of."""
    state = getattr(exc, "state", None)
    stack = getattr(state, "state_stack", None)
    return tuple(stack[-3:]) if stack else None


@functools.cache
def _mistakes() -> dict[tuple[Any, ...], str]:
    """The contexts in which each common mistake fails.

    Lark's own ``match_examples`` also requires the same stack depth, so a
    mistake inside an item with a title would not match one without; the top
    of the stack is what tells the mistake.
    """
    table: dict[tuple[Any, ...], str] = {}
    for label, snippets in COMMON_MISTAKES.items():
        for snippet in snippets:
            try:
                parser().parse(snippet)
            except UnexpectedInput as exc:
                context = _context(exc)
                if context is not None:
                    # Keyed by what came unexpectedly too, for mistakes made in the same place.
                    table.setdefault((*context, _token_type(exc)), label)
                    table.setdefault(context, label)
    return table


def _token_type(exc: UnexpectedInput) -> str | None:
    token = getattr(exc, "token", None)
    return token.type if isinstance(token, Token) else None


def _grammar_text() -> str:
    return (Path(__file__).parent / "qlrules.lark").read_text(encoding="utf-8")


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process."""
    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False)


def read_source(path: str | Path) -> tuple[str, bytes]:
    """Read a rubric file (``-``: standard input): UTF-8 with or without BOM, any line endings."""
    return read_text(path, "rubric")


#: How many syntax errors one run reports; past a few, later ones are mostly echoes of the first.
MAX_SYNTAX_PROBLEMS = 10


#: The code of every syntax error (`Problem.code`, ``qlrules check --format json``).
SYNTAX = "syntax"


def parse_text(text: str, source: str = "<rubric>") -> Tree[Token]:
    """Parse rubric text; syntax errors become one `RubricError` that points at each line.

    After a syntax error the line it is on is set aside (blanked, so every position
    stays where it was) and parsing starts again, so an author sees the mistakes of
    several lines in one run rather than one per run.
    """
    text = text.removeprefix("\ufeff")
    problems: list[Problem] = []
    attempt = text
    resume = 0  # errors up to this line follow from a line set aside: echoes, not mistakes
    for _attempt in range(4 * MAX_SYNTAX_PROBLEMS):
        try:
            tree = parser().parse(attempt)
        except UnexpectedInput as exc:
            problem = _syntax_problem(exc, attempt, source, shown=text)
            if problem.line > resume:
                problems.append(problem)
            blanked = _blank_line(attempt, _culprit_line(exc, attempt))
            if blanked == attempt or len(problems) >= MAX_SYNTAX_PROBLEMS:
                break
            resume = _next_content_line(blanked, _last_changed_line(attempt, blanked))
            attempt = blanked
        else:
            if not problems:
                return tree
            break
    raise RubricError(problems)


def _culprit_line(exc: UnexpectedInput, text: str) -> int:
    """The line to set aside: the token's own, or the line before when the token opens its line.

    A missing rate or wording is noticed only at the next line's first token
    (``once`` then ``item …``): the mistake is on the line before.
    """
    lines = text.split("\n")
    line = getattr(exc, "line", None) or len(lines)
    if line == -1:
        line = len(lines)
    token = getattr(exc, "token", None)
    opens_line = isinstance(token, Token) and token.type != "$END" and not lines[line - 1][: (token.column or 1) - 1].strip()
    if isinstance(exc, UnexpectedCharacters) or not (opens_line or getattr(token, "type", None) == "$END"):
        return line
    previous = line - 1 if opens_line else line
    while previous > 1 and (not lines[previous - 1].strip() or lines[previous - 1].lstrip().startswith("#")):
        previous -= 1
    return max(previous, 1)


def _last_changed_line(before: str, after: str) -> int:
    old, new = before.split("\n"), after.split("\n")
    return max(n for n in range(1, len(old) + 1) if old[n - 1] != new[n - 1])


def _next_content_line(text: str, line: int) -> int:
    """The first line after ``line`` with something other than a comment on it."""
    lines = text.split("\n")
    for n in range(line + 1, len(lines) + 1):
        stripped = lines[n - 1].strip()
        if stripped and not stripped.startswith("#"):
            return n
    return len(lines) + 1


#: Block keywords by level: a block set aside takes the lines under it along.
_LEVELS = {"rubric": 0, "section": 1, "adjustments": 1, "grades": 1, "vetoes": 1, "topic": 2, "item": 3}


def _blank_line(text: str, line: int) -> str:
    """``text`` with line ``line`` set aside: made of spaces (same length, so every position still
    holds), and with it the lines of the block it opens, which would otherwise be read as part of
    the block before and reported again."""
    lines = text.split("\n")
    if not 0 < line <= len(lines) or not lines[line - 1].strip():
        return text

    def first_word(n: int) -> str:
        words = lines[n].split(None, 1)
        return words[0] if words else ""

    level = _LEVELS.get(first_word(line - 1))
    end = line
    if level is not None:
        while end < len(lines) and _LEVELS.get(first_word(end), 99) > level:
            end += 1
    for n in range(line - 1, end):
        content = lines[n].rstrip("\r")
        lines[n] = " " * len(content) + lines[n][len(content):]
    return "\n".join(lines)


def _keywords() -> list[str]:
    return [t.pattern.value for t in parser().terminals if t.pattern.type == "str" and t.pattern.value.isalpha()]


def _did_you_mean(word: str) -> str:
    close = difflib.get_close_matches(word, _keywords(), n=1, cutoff=0.6)
    return _(" (did you mean {word}?)").format(word=close[0]) if close and close[0] != word else ""


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_WORDS:
        return _(_TERMINAL_WORDS[terminal])
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal
    return f"'{pattern.value}'" if pattern.type == "str" else terminal


def _expected_words(expected: set[str]) -> str:
    words = sorted({_describe(t) for t in expected if not t.startswith("__")})
    if len(words) <= 1:
        return "".join(words)
    return _("{words} or {last}").format(words=", ".join(words[:-1]), last=words[-1])


def _syntax_problem(exc: UnexpectedInput, text: str, source: str, shown: str | None = None) -> Problem:
    """The problem ``exc`` describes; ``shown`` is the text to quote (``text`` with lines set aside)."""
    lines = (shown if shown is not None else text).splitlines()
    line = getattr(exc, "line", None) or max(1, len(lines))
    column = getattr(exc, "column", None) or 1
    if line == -1:  # the end of the file
        line, column = max(1, len(lines)), len(lines[-1]) + 1 if lines else 1
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    width = 1
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        word = re.match(r"[^\W\d_][\w-]*", text[position:])
        if char == '"':
            message = _('this text is not closed: a quoted text ends with " on the same line')
        elif re.match(r"[+\-\u2212\uff0d\uff0b]?[0-9]+(\.[0-9]+)?\s*\.\.", text[position:]):
            message = _("a range is one word, without spaces, like −1..−2")
        elif word:
            width = len(word.group())
            message = _("unknown word {word!r}{suggestion}; expected {expected}").format(word=word.group(), suggestion=_did_you_mean(word.group()), expected=_expected_words(set(exc.allowed)))
        else:
            message = _("unexpected character {char!r}; expected {expected}").format(char=char, expected=_expected_words(set(exc.allowed)))
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        expected = set(exc.expected)
        if exc.interactive_parser is not None:
            # What the parser accepts here (the lexer's own list can be wider).
            expected = set(exc.interactive_parser.accepts())  # type: ignore[no-untyped-call]
        found = _("the end of the file") if token.type == "$END" else repr(str(token))
        width = max(1, len(str(token))) if token.type != "$END" else 1
        message = _("expected {expected}, found {found}").format(expected=_expected_words(expected), found=found)
        if token.type != "STRING":
            message += _did_you_mean(str(token))
        context = _context(exc)
        hint = None
        if context is not None:
            hint = _mistakes().get((*context, _token_type(exc))) or _mistakes().get(context)
        if hint:
            message = _("{hint}; found {found}").format(hint=_(hint), found=found) + (_did_you_mean(str(token)) if token.type != "STRING" else "")
    elif isinstance(exc, UnexpectedEOF):
        message = _("the file ends too early; expected {expected}").format(expected=_expected_words(set(exc.expected)))
    else:  # pragma: no cover - lark has no other kind
        message = str(exc)
    return Problem(message, source, line, column, source_line, width, code=SYNTAX)


#: Where the comment-keeping parser puts the comments of the text it is parsing now.
_comment_sink: ContextVar[list[Token]] = ContextVar("qlrules_comments")


def _keep_comment(token: Token) -> Token:
    _comment_sink.get().append(token)
    return token


@functools.cache
def _commenting_parser() -> Lark:
    """The same parser, also handing over the comments the grammar ignores (for `qlrules fmt`)."""
    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False,
                lexer_callbacks={"COMMENT": _keep_comment})


def parse_with_comments(text: str, source: str = "<rubric>") -> tuple[Tree[Token], list[Token]]:
    """Parse like `parse_text`, and also return the comments, in order, with their positions.

    Positions are offsets into ``text`` without its BOM. A syntax error is worded by
    `parse_text`, whose parser the table of common mistakes was made with.
    """
    text = text.removeprefix("\ufeff")
    comments: list[Token] = []
    reset = _comment_sink.set(comments)
    try:
        return _commenting_parser().parse(text), comments
    except UnexpectedInput:
        return parse_text(text, source), comments  # raises RubricError: the text does not parse
    finally:
        _comment_sink.reset(reset)
