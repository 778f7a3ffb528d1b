"""`qlrules fmt`: rubric files in their canonical layout."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..errors import QlrulesError
from ..i18n import N_, _
from .common import INVALID, report_error
from .lang import PathType, argument, command, option


def _rubric_files(paths: tuple[Path, ...]) -> Iterator[Path]:
    """The files named, and the ``*.qlr`` files in the folders named."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.qlr"))
        else:
            yield path


@command(short_help=N_("Lay rubric files out canonically."),
         help=N_("Lay out each rubric FILE (or the .qlr files in a folder; - reads standard input) canonically, keeping its comments."))
@argument("files", nargs=-1, required=True, type=PathType(allow_dash=True, path_type=Path), metavar=N_("FILE..."))
@option("-w", "--write", is_flag=True,
        help=N_("Rewrite the files in place instead of printing them (keeping each file's BOM, line endings and mode)."))
@option("--check", is_flag=True, help=N_("Change nothing; list the files not in the canonical layout and exit 1 if any."))
def fmt(files: tuple[Path, ...], write: bool, check: bool) -> None:
    from ..authoring.fmt import format_text, in_conventions_of
    from ..io.output import write_output
    from ..io.text import read_text

    if write and check:
        raise click.UsageError(_("--check changes no file; use it without -w"))
    if write and any(str(f) == "-" for f in files):
        raise click.UsageError(_("-w rewrites files; standard input (-) has no file to rewrite"))
    failed = False
    for path in _rubric_files(files):
        try:
            text, data = read_text(path, "rubric")
            formatted = format_text(text, str(path))
            kept = in_conventions_of(data, formatted)  # the file's own BOM and line endings
            if check:
                if kept != data:
                    click.echo(_("{path}: not in the canonical layout (qlrules fmt -w rewrites it)").format(path=path))
                    failed = True
            elif write:
                if kept != data:
                    with_output(path, kept)
                    click.echo(_("{path}: reformatted").format(path=path), err=True)
            else:
                write_output(formatted, None)
        except QlrulesError as error:
            report_error(error)
            failed = True
    sys.exit(INVALID if failed else 0)


def with_output(path: Path, data: bytes) -> None:
    """Rewrite ``path`` in place, through the one safe writer (a symlink is written through, the mode kept)."""
    from ..io.output import open_output

    with open_output(path, binary=True) as out:
        out.write(data)
