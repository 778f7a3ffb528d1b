"""Errors a user can cause, one class per pipeline stage, each rendering itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from .i18n import N_, _


class Problem(NamedTuple):
    """One complaint about a rubric file, with where it is and the line it is on.

    A named tuple, not an attrs class: every command imports this module, and scoring from
    the cache loads no attrs at all.
    """

    message: str
    source: str
    line: int
    column: int
    source_line: str = ""
    width: int = 1
    severity: str = "error"
    #: A stable name for the kind of problem, where a rubric may acknowledge it (``# qlrules: accept grade-gap``).
    code: str = ""

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


#: What the operating system says, for the errors people meet, in words of ours (the system's are English).
_OS_REASONS: dict[str, str] = {
    "ENOENT": N_("no such file or folder"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "EISDIR": N_("it is a folder, not a file"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("the operation is not permitted"),
    "EROFS": N_("the disk is read-only"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk quota is used up"),
    "EFBIG": N_("the file is too large"),
    "ENAMETOOLONG": N_("the name is too long"),
    "ELOOP": N_("too many symbolic links"),
    "EEXIST": N_("it exists already"),
    "EBUSY": N_("it is in use"),
    "ETXTBSY": N_("it is in use"),
    "EMFILE": N_("too many files are open"),
    "ENFILE": N_("too many files are open"),
    "EIO": N_("an input/output error (the disk or the network)"),
    "EINVAL": N_("the name or the operation is not valid here"),
    "ENXIO": N_("no such device"),
    "ENODEV": N_("no such device"),
    "EXDEV": N_("it is on another disk"),
    "ETIMEDOUT": N_("the connection timed out"),
    "ESTALE": N_("the network file is no longer available"),
}


def os_reason(error: OSError) -> str:
    """Why the operating system refused, in the current language: the common causes in our words, else its own message.

    The one place an `OSError` becomes words, so that a Chinese message never embeds the system's
    English (``No such file or directory``). A cause not listed keeps the system's message.
    """
    import errno

    name = errno.errorcode.get(error.errno) if isinstance(error.errno, int) else None
    if name in _OS_REASONS:
        return _(_OS_REASONS[name])
    return error.strerror or str(error)


class QlrulesError(Exception):
    """Base of every error a user of qlrules can cause; its message is fit for an end user."""


#: How many problems a message shows; the rest are counted ("… and N more").
LIMIT = 20


def _and_more(shown: list[str], more: int) -> str:
    if more > 0:
        shown.append(_("… and {more} more").format(more=more))
    return "\n".join(shown)


class RubricError(QlrulesError):
    """A rubric file that does not compile: every problem found, reported together."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self, limit: int = LIMIT) -> str:
        return _and_more([p.render() for p in self.problems[:limit]], len(self.problems) - limit)


class FindingsProblem(NamedTuple):
    """One complaint about findings: the file (or cell), line, unit, finding and clause it concerns (a named tuple, as `Problem`)."""

    message: str
    source: str | None = None
    unit: str | None = None
    clause: str | None = None
    where: str | None = None
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        """``file:line:col: unit '…', finding 2, clause 0.1a: message`` (what is known of it)."""
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


class FindingsError(QlrulesError):
    """Findings that do not fit the rubric or the findings format (:ref:`scoring-findings`).

    It carries every problem found in a unit, or in a batch (`problems`, at most `LIMIT` of
    them kept, and `more`, how many others were found). Give either one problem's message and
    place, or ``problems=``. ``message``, ``source``, ``unit``, ``clause``, ``where``, ``line``
    and ``column`` are those of the first problem.
    """

    def __init__(
        self,
        message: str = "",
        *,
        source: str | None = None,
        unit: str | None = None,
        clause: str | None = None,
        where: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: Sequence[FindingsProblem] = (),
        more: int = 0,
    ):
        self.problems = tuple(problems) or (FindingsProblem(message, source, unit, clause, where, line, column),)
        self.more = more
        first = self.problems[0]
        self.message, self.source, self.unit, self.clause = first.message, first.source, first.unit, first.clause
        self.where, self.line, self.column = first.where, first.line, first.column
        super().__init__(self.render())

    @property
    def count(self) -> int:
        """How many problems were found, including those not kept."""
        return len(self.problems) + self.more

    def render(self, limit: int = LIMIT) -> str:
        """One line per problem, at most ``limit`` of them, then how many more there are."""
        return _and_more([p.render() for p in self.problems[:limit]], self.count - min(limit, len(self.problems)))

    def map(self, change: Callable[[FindingsProblem], FindingsProblem]) -> FindingsError:
        """The same error with ``change`` applied to each problem (a line moved, a cell named)."""
        return FindingsError(problems=[change(p) for p in self.problems], more=self.more)

    def __reduce__(self) -> tuple[Any, ...]:
        return _findings_error, (self.problems, self.more)


def _findings_error(problems: tuple[FindingsProblem, ...], more: int) -> FindingsError:
    return FindingsError(problems=problems, more=more)


class InputError(QlrulesError):
    """A file that cannot be read at all: missing, unreadable, not UTF-8."""


class FindingsCollector:
    """Problems gathered over a unit or a batch, raised together at the end.

    At most ``limit`` problems are kept, so memory stays flat however many there are; the rest
    are only counted. A file that cannot be read at all (`InputError`) is one problem for it.
    """

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.problems: list[FindingsProblem] = []
        self.more = 0
        self._only: QlrulesError | None = None  # the error itself, while it is the only one

    def __bool__(self) -> bool:
        return bool(self.problems or self.more)

    def add(self, error: FindingsError | InputError, source: str | None = None) -> None:
        """Record ``error``'s problems; an `InputError` is about ``source``, the file it names."""
        self._only = error if not self else None
        if isinstance(error, InputError):
            message = str(error)
            if source is not None and message.startswith(f"{source}: "):
                problems: Sequence[FindingsProblem] = (FindingsProblem(message[len(source) + 2:], source),)
            else:
                problems = (FindingsProblem(message, source),)
            more = 0
        else:
            problems, more = error.problems, error.more
        room = max(0, self.limit - len(self.problems))
        self.problems.extend(problems[:room])
        self.more += more + max(0, len(problems) - room)

    def error(self) -> QlrulesError:
        """Every problem as one error (the error itself when it was the only one)."""
        assert self, "no problem was found"
        if self._only is not None:
            return self._only
        return FindingsError(problems=self.problems, more=self.more)

    def check(self) -> None:
        """Raise the problems found, if any."""
        if self:
            raise self.error()
