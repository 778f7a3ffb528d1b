"""The spaces a PDF-to-text extraction leaves inside Chinese sentences, and how to close them up.

An official document that reached us as a PDF extraction (the seed did) has spaces and
no-break spaces (U+00A0) wherever the PDF broke a line or a layout box ("未纳  入",
"扣1 分", "0 .5"). The bundled rubric carries the document's wording without them and
`qlrules draft` writes it without them; this is the one definition of which whitespace
is the extraction's and which belongs to the text.

A gap is the extraction's when a CJK character (Han or CJK punctuation) stands on one
side of it, or when it splits a decimal number (``0 .5``). A gap beside a Latin word or
id ("C-1 C-2 各扣1分") belongs to the text and stays; so does a gap between two digits,
which may be two numbers.
"""

from __future__ import annotations

import re

#: Whitespace of any kind: ASCII spaces, tabs and line breaks, no-break (U+00A0) and ideographic (U+3000) spaces.
WHITESPACE = re.compile(r"[\s\u00a0\u3000]+")

#: Han, CJK punctuation and full-width forms, and the curly quotes, ellipsis, dash and dot Chinese text uses.
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7]"
)
_GAP = re.compile("[ \t\u00a0\u3000]+")
#: A Latin word, id or number touching a gap: C-1, GB/T, 0.5.
_WORD_BEFORE = re.compile(r"[A-Za-z0-9./\-]*\Z")
_WORD_AFTER = re.compile(r"[A-Za-z0-9./\-]*")


def close_up(wording: str) -> str:
    """``wording`` without the extraction's stray spaces: 扣1 分 → 扣1分, 未纳  入 → 未纳入, 0 .5 → 0.5."""

    def gap(match: re.Match[str]) -> str:
        before, after = wording[: match.start()], wording[match.end() :]
        if not before or not after:
            return match[0]
        word_before, word_after = _text(_WORD_BEFORE.search(before)), _text(_WORD_AFTER.match(after))
        if re.search("[A-Za-z]", word_before + word_after):
            return match[0]  # beside a Latin word or id: the text's own space
        if _CJK.match(before[-1]) or _CJK.match(after[0]):
            return ""
        if re.fullmatch(r"\d", before[-1]) and re.match(r"\.\d", after) or re.search(r"\d\.\Z", before) and after[0].isdigit():
            return ""  # a decimal number split in two: 0 .5, 0. 5
        return match[0]

    return _GAP.sub(gap, wording)


def _text(match: re.Match[str] | None) -> str:
    """What ``match`` matched; "" for none (the word patterns always match, if only nothing)."""
    return match[0] if match else ""


def without_whitespace(text: str) -> str:
    """``text`` with every whitespace character removed: what two wordings are compared on."""
    return WHITESPACE.sub("", text)
