"""A Pygments lexer for the qlrules rubric language (``*.qlr``), registered by entry point.

It follows ``qlrules/language/qlrules.lark`` token for token: keywords, ids, rule names,
unit words, signed rates (``−0.5``, ``+1``, with any of the minus signs the
grammar accepts), strings and comments. Anything the grammar has no token for
is an ``Error`` token, as Pygments lexers do, so a highlighted typo stands out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from pygments.lexer import RegexLexer, words
from pygments.lexer import bygroups as _bygroups
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["QlrulesLexer"]

# Terminals of language/qlrules.lark, kept in the same spelling.
_ID = r"[A-Za-z]*[0-9][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*"
_MAGNITUDE = r"[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9.])"  # a number never runs into letters
_MINUS = r"[\-\u2212\uff0d]"
_PLUS = r"[+\uff0b]"
_UNIT = r"[\u4e00-\u9fff]+"
_RULE_NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_GROUP_ID = r"[A-Z]+[0-9]*(?![A-Za-z0-9.])"
_SIGN = r"[+\-\u2212\uff0d\uff0b]?"
_RANGE = _SIGN + r"[0-9]+(?:\.[0-9]+)?\.\." + _SIGN + _MAGNITUDE  # −1..−2, +0..+5: one token, as in the grammar
_STRING = r'"(?:[^"\\\n]|\\.)*"'
_WS = r"[ \t\r\n\f\u3000\ufeff]+"

_Rules = dict[str, list[tuple[object, ...]]]

#: The grammar's keywords, by the token type each gets (tests/test_lexer.py ties them to qlrules.lark).
DECLARATIONS = ("rubric", "section", "topic", "item", "adjustments", "rule", "grades", "vetoes")
KINDS = ("once", "each", "discretionary", "measure", "levels", "tiers", "veto")
MODIFIERS = ("replaces", "of", "cap", "per", "at", "least", "most", "below", "above", "from", "to")
PROPERTIES = ("points", "owners", "text", "year", "edition", "earned")
KEYWORDS = frozenset(DECLARATIONS + KINDS + MODIFIERS + PROPERTIES)

#: pygments' bygroups, typed (its stubs leave it untyped).
bygroups: Callable[..., object] = _bygroups


class QlrulesLexer(RegexLexer):
    """Highlights qlrules rubric files: ``.. code-block:: qlrules`` (or ``qlr``)."""

    name = "qlrules"
    aliases: ClassVar[list[str]] = ["qlrules", "qlr"]
    filenames: ClassVar[list[str]] = ["*.qlr"]
    mimetypes: ClassVar[list[str]] = ["text/x-qlrules"]
    url = "https://pypi.org/project/qlrules/"
    flags = re.MULTILINE | re.UNICODE

    tokens: ClassVar[_Rules] = {
        "root": [
            (_WS, Whitespace),
            (r"#[^\n]*", Comment.Single),
            (_STRING, String.Double),
            (r",", Punctuation),
            # `−1..−2`, `+0..+5`: a range of rates is one number, before `..` between ids.
            (_RANGE, Number.Float),
            (r"\.\.", Operator),
            # `rule NAME "…"`: the rubric-wide rule's name is a name, not an id.
            (r"(rule)(" + _WS + r")(" + _RULE_NAME + r")", bygroups(Keyword.Declaration, Whitespace, Name.Constant)),
            # `each 项 −0.5`, `measure % below 96 …`: the unit word.
            (r"(each)(" + _WS + r")(" + _UNIT + r")", bygroups(Keyword, Whitespace, Name.Builtin)),
            (r"(measure)(" + _WS + r")(" + _UNIT + r"|%)", bygroups(Keyword, Whitespace, Name.Builtin)),
            # `item 6.1`: an id where the grammar expects one, though it looks like a number.
            (
                r"(section|topic|item)(" + _WS + r")(" + _ID + r")",
                bygroups(Keyword.Declaration, Whitespace, Name.Label),
            ),
            # `adjustments B "加分项"`: a group's id (letters only, unlike other ids).
            (r"(adjustments)(" + _WS + r")(" + _GROUP_ID + r")", bygroups(Keyword.Declaration, Whitespace, Name.Label)),
            (words(DECLARATIONS, suffix=r"\b"), Keyword.Declaration),
            (words(KINDS, suffix=r"\b"), Keyword),
            (words(MODIFIERS, suffix=r"\b"), Keyword.Pseudo),
            (words(PROPERTIES, suffix=r"\b"), Keyword.Reserved),
            # A number never runs into letters (grammar), so 0.1b is an id and 0.5 a rate.
            (_MINUS + _MAGNITUDE, Number.Float),  # a deduction, or a negative adjustment
            (_PLUS + _MAGNITUDE, Number.Float),
            (_ID + r'(?=[ \t\u3000]*")', Name.Label),  # a clause's id, before its wording
            (_MAGNITUDE, Number),
            (_ID, Name.Label),
            # A level's or a grade's name (`levels 镇 +2`, `优秀 "…" at least 90`, `veto 不达标`).
            (_UNIT, Name.Variable),
            (r"%", Name.Builtin),
            (r"[^\s\"#,]", Error),
        ],
    }


class TolerantQlrulesLexer(QlrulesLexer):
    """The same lexer for deliberately broken examples: what it cannot read is plain text.

    The documentation shows rubrics the compiler refuses (``qlr-error`` blocks);
    Sphinx warns on ``Error`` tokens, so those blocks use this variant.
    """

    name = "qlrules (error examples)"
    aliases: ClassVar[list[str]] = ["qlr-error"]
    filenames: ClassVar[list[str]] = []
    mimetypes: ClassVar[list[str]] = []

    tokens: ClassVar[_Rules] = {
        "root": [
            *QlrulesLexer.tokens["root"][:-1],
            (r'"[^"\n]*$', String.Double),  # an unterminated string
            (r"[\s\S]", Text),
        ],
    }
