"""Reading a text input — a rubric, findings, examples, a document — or its bytes, with one set of messages.

Every input may be ``-``, standard input. Text is UTF-8, with or without a BOM.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from ..errors import InputError, os_reason
from ..i18n import N_, _

What = Literal["rubric", "findings", "examples", "document"]

_CANNOT_READ: dict[str, str] = {
    "rubric": N_("{path}: cannot read the rubric: {reason}"),
    "findings": N_("{path}: cannot read the findings: {reason}"),
    "examples": N_("{path}: cannot read the examples: {reason}"),
    "document": N_("{path}: cannot read the document: {reason}"),
}


def cannot_read(path: str | Path, what: What, exc: OSError | str) -> InputError:
    """The error for an input that cannot be read (missing, a folder, no permission)."""
    reason = exc if isinstance(exc, str) else os_reason(exc)
    return InputError(_(_CANNOT_READ[what]).format(path=path, reason=reason))


def read_bytes(path: str | Path, what: What) -> bytes:
    """The bytes of ``path`` (``-``: standard input).

    Raises:
        InputError: the file cannot be read.
    """
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise cannot_read(path, what, exc) from None


def decode(data: bytes, source: str) -> str:
    """UTF-8 text, its BOM removed.

    Raises:
        InputError: not UTF-8, naming the first byte that is not.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_(
            "{path}: not UTF-8 text (byte {position} is {byte:#04x}); convert it first, e.g. iconv -f GB18030 -t UTF-8"
        ).format(path=source, position=exc.start, byte=data[exc.start])) from None


def read_text(path: str | Path, what: What) -> tuple[str, bytes]:
    """The text of ``path`` and the bytes it was decoded from (a rubric's hash is of its bytes)."""
    data = read_bytes(path, what)
    return decode(data, str(path)), data
