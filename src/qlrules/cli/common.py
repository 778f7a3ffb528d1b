"""What every command shares: user errors to exit 1, and the file arguments' types."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import QlrulesError, RubricError
from .lang import PathType

#: Exit statuses (docs/scoring.md, “Exit status”): 0 success, 1 invalid input, 2 misuse (click's own).
INVALID = 1

#: An input file, or ``-`` for standard input.
INPUT = PathType(dir_okay=False, allow_dash=True, path_type=Path)
#: An output file, or ``-`` for standard output. What it may be (not a folder, a socket, an input)
#: is the writer's to decide (`qlrules.io.output`): a user's error, exit 1, not misuse.
OUTPUT = PathType(allow_dash=True, path_type=Path)


def report_error(error: QlrulesError) -> None:
    """An error the user caused, on stderr: every problem of a rubric, else its message."""
    click.echo(error.render(limit=50) if isinstance(error, RubricError) else str(error), err=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Inside the block, a `QlrulesError` is reported on stderr and the command exits 1, without a traceback."""
    try:
        yield
    except QlrulesError as error:
        report_error(error)
        sys.exit(INVALID)
