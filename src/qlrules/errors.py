"""Errors a user can cause, one class per pipeline stage, each rendering itself."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .i18n import _


@attrs.frozen
class Problem:
    """One complaint about a rubric file, with where it is and the line it is on."""

    message: str
    source: str
    line: int
    column: int
    source_line: str = ""
    width: int = 1
    severity: str = "error"

    def render(self) -> str:
        """Draw ``file:line:col: message`` with the offending line and a caret under it."""
        severity = _("warning") if self.severity == "warning" else _("error")
        head = f"{self.source}:{self.line}:{self.column}: {severity}: {self.message}"
        if not self.source_line:
            return head
        gutter = f"{self.line:>5} | "
        # Chinese characters take two terminal columns; pad the caret to match.
        before = self.source_line[: self.column - 1]
        pad = sum(2 if _is_wide(ch) else 1 for ch in before)
        marked = self.source_line[self.column - 1 : self.column - 1 + self.width]
        carets = "^" * max(1, sum(2 if _is_wide(ch) else 1 for ch in marked))
        return f"{head}\n{gutter}{self.source_line}\n{' ' * 5} | {' ' * pad}{carets}"


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF"


class QlrulesError(Exception):
    """Base of every error a user of qlrules can cause; its message is fit for an end user."""


class RubricError(QlrulesError):
    """A rubric file that does not compile: every problem found, reported together."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self, limit: int = 20) -> str:
        shown = [p.render() for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            shown.append(_("… and {more} more").format(more=more))
        return "\n".join(shown)


class FindingsError(QlrulesError):
    """Findings that do not fit the rubric or the findings format (:ref:`scoring-findings`)."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        unit: str | None = None,
        clause: str | None = None,
        where: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        self.message = message
        self.source = source
        self.unit = unit
        self.clause = clause
        self.where = where
        self.line = line
        self.column = column
        super().__init__(self.render())

    def render(self) -> str:
        place = self.source or "<findings>"
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        context = []
        if self.unit is not None:
            context.append(_("unit {unit!r}").format(unit=self.unit))
        if self.where:
            context.append(self.where)
        if self.clause is not None:
            context.append(_("clause {clause}").format(clause=self.clause))
        prefix = f"{place}: " + (", ".join(context) + ": " if context else "")
        return prefix + self.message


class InputError(QlrulesError):
    """A file that cannot be read at all: missing, unreadable, not UTF-8."""
