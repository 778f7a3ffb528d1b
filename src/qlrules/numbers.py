"""Numbers and quoted texts as qlrules writes them, in one place: plain, exact, signed, quoted.

Scores are `decimal.Decimal` from end to end; these functions only decide how
one is shown. A deduction is written with a real minus sign (U+2212), as the
documents print it; the grammar also reads ``-`` and the full-width ``－``.
"""

from __future__ import annotations

import decimal
import functools
import re
from contextlib import AbstractContextManager
from decimal import Decimal

#: The arithmetic every score is computed in, whatever the caller's `decimal.getcontext()` says.
#: Sixty digits hold any sum the language admits (9 digits before the point, 10 after, counts up
#: to 10^9); Inexact is trapped, so a result that would need rounding is an error, never a quiet
#: approximation.
CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, Emax=999, Emin=-999,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact])


def exact_arithmetic() -> AbstractContextManager[decimal.Context]:
    """``with exact_arithmetic():`` computes in `CONTEXT`, and restores the caller's context after."""
    return decimal.localcontext(CONTEXT)


_ZERO = Decimal(0)

#: The minus sign qlrules writes.
MINUS = "\u2212"
#: Every minus sign the language reads: ASCII hyphen-minus, U+2212 and the full-width U+FF0D.
MINUS_SIGNS = "-\u2212\uff0d"
#: Every plus sign the language reads: ASCII and the full-width U+FF0B.
PLUS_SIGNS = "+\uff0b"


@functools.lru_cache(maxsize=4096)
def plain(number: Decimal) -> str:
    """A decimal as a person writes it: 2, 0.5, 10 (never 2.0, 5E-1 or 1E+1)."""
    if not number.is_finite() or abs(number.adjusted()) > 40:
        return str(number)  # absurd input, shown as given rather than expanded
    return format(exact(number), "f")  # format() of a Decimal does not round: it shows every digit


@functools.lru_cache(maxsize=4096)
def exact(number: Decimal) -> Decimal:
    """The same value without trailing zeros or exponent: Decimal('1.50') → Decimal('1.5')."""
    if not number:
        return _ZERO  # −0 is 0: no output shows a negative zero
    normal = number.normalize(CONTEXT)
    return normal.quantize(Decimal(1), context=CONTEXT) if normal == normal.to_integral_value(context=CONTEXT) else normal


@functools.lru_cache(maxsize=4096)  # a trace negates the same few rates again and again
def negated(number: Decimal) -> Decimal:
    """``-number`` without a negative zero (``-Decimal(0)`` is ``Decimal('-0')``)."""
    return exact(CONTEXT.subtract(_ZERO, number))


def signed(number: Decimal) -> str:
    """A signed amount: +1, −0.5, and 0 for zero (never −0 or +0)."""
    if number > 0:
        return "+" + plain(number)
    if number < 0:
        return MINUS + plain(-number)
    return "0"


def quote(text: str) -> str:
    """``text`` as a rubric string: in double quotes, ``"`` and ``\\`` escaped (a string holds no line break)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'


def unquote(string: str) -> str:
    """The text of a rubric string as written (quotes included)."""
    return re.sub(r"\\(.)", r"\1", string[1:-1])
