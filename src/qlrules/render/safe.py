"""Text from the inputs made safe for the report it goes into: no formulas, no escape sequences, no HTML.

Unit names, case ids, evidence and reasons come from assessors' files, and the rubric's own
wording and titles from a rubric file: either may be hostile or damaged. Every renderer passes
every text it writes through one function here; the numbers a report computes (totals, scores)
never do, so they stay numbers.

- `cell_text` for a workbook cell, with `text_cell` to make it a string cell whatever it starts with;
- `csv_cell` for a CSV cell, neutralised the way OWASP recommends for CSV injection;
- `terminal_text` for the terminal table (rich), `markdown_text` for Markdown.

A character a format cannot show safely is written as a visible escape, ``\\x0b`` or ``\\u202e``,
so the reader sees it was there.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: What starts a formula in a spreadsheet opening a CSV (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574):
#: they reorder what is shown, so a line can read differently from what it holds.
_BIDI = "\u202a-\u202e\u2066-\u2069"

#: Characters XML 1.0 cannot hold, beyond openpyxl's ILLEGAL_CHARACTERS_RE: lone surrogates
#: (JSON's "\ud800") and U+FFFE, U+FFFF. openpyxl writes them, and the workbook will not open.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

#: What a terminal must not be sent: C0 controls but tab and line feed, DEL, the C1 controls
#: (0x9b is a CSI on some terminals), the bidi controls and the Unicode line and paragraph separators.
_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")

#: The same for Markdown; line feeds and carriage returns become spaces there (a table row is one line).
_MARKDOWN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")

#: Markdown's own syntax inside a table cell: the escape character, the cell separator, and the
#: brackets that make links and images (``[x](javascript:…)``, ``![x](http://tracker)``).
_MARKDOWN_SYNTAX = re.compile(r"([\\|\[\]])")


def escaped(ch: str) -> str:
    r"""The visible escape of one character: ``\x0b``, ``\u202e``, ``\U000e0001``."""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escape(match: re.Match[str]) -> str:
    return escaped(match.group())


def cell_text(text: str) -> str:
    """``text`` as a workbook can hold it: characters XML or openpyxl refuse shown escaped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return _NOT_XML.sub(_escape, ILLEGAL_CHARACTERS_RE.sub(_escape, text))


def text_cell(cell: Any, text: str) -> Any:
    """Give an openpyxl cell ``text`` as a string cell, never a formula or an error value.

    openpyxl makes ``=…`` a formula and ``#N/A`` an error; here they stay the text they are. Text that
    a spreadsheet would read as a formula once edited (``=``, ``+``, ``-``, ``@``) is also marked
    quote-prefixed, as Excel marks text typed after an apostrophe, so editing the cell keeps it text.
    Returns the cell.
    """
    cell.value = cell_text(text)
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def csv_cell(text: str) -> str:
    """A text cell of a CSV report: one starting with ``= + - @``, tab or CR gets a leading ``'`` (OWASP).

    Only for text: the numbers a report writes (``-0.5``) are not passed here and stay numbers. A carriage
    return inside becomes a line feed: Python's csv quotes a cell holding a line feed, not one holding a
    bare CR, and such a cell would end the row for whoever reads the file.
    """
    text = "'" + text if text.startswith(FORMULA_STARTS) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def terminal_text(text: str) -> str:
    """``text`` for the terminal table: control and bidi characters shown escaped, rich markup escaped."""
    from rich.markup import escape

    return escape(_TERMINAL.sub(_escape, text))


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell or heading: controls escaped, HTML escaped, no links, one line."""
    text = _MARKDOWN.sub(_escape, text)
    text = html.escape(_MARKDOWN_SYNTAX.sub(r"\\\1", text), quote=False)
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
