"""Reading a compiled rule in tests: its keyword, its rate as the v1 tables give it, its unit word, what it replaces."""

from __future__ import annotations

from decimal import Decimal

from qlrules.language.unparse import keyword
from qlrules.model import Adjustment, Clause, Discretionary, Each, Once


def kind(target: Clause | Adjustment) -> str:
    return keyword(target.rule)


def rate(target: Clause | Adjustment) -> Decimal | None:
    """A clause's deduction as a positive amount (the seed tables' rate), an adjustment's signed rate; None for discretionary."""
    rule = target.rule
    if isinstance(rule, Discretionary):
        return None
    return -rule.rate if isinstance(target, Clause) else rule.rate


def unit(target: Clause | Adjustment) -> str | None:
    return target.rule.unit if isinstance(target.rule, Each) else None


def replaces(target: Clause | Adjustment) -> tuple[str, ...]:
    return target.rule.replaces if isinstance(target.rule, Discretionary) else ()


__all__ = ["Discretionary", "Each", "Once", "kind", "rate", "replaces", "unit"]
