"""`qlrules test`: run the worked examples beside each rubric."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import N_
from .common import INVALID, user_errors
from .lang import PathType, argument, command, option


@command(short_help=N_("Run the worked examples beside rubrics."),
         help=N_("Run the examples beside each RUBRIC (NAME.examples.yaml next to NAME.qlr; a directory: each .qlr file in it).\n\n"
                 "Exit 1 when an example fails, a rubric has no examples file, an examples file or rubric is "
                 "invalid, or (with --strict-coverage) when coverage is incomplete."))
@argument("rubrics", nargs=-1, required=True, type=PathType(exists=True, path_type=Path), metavar=N_("RUBRIC..."))
@option("--strict-coverage", is_flag=True,
        help=N_("Also fail (exit 1) when some clause, adjustment, rule, replacement or cap is not exercised."))
def test(rubrics: tuple[Path, ...], strict_coverage: bool) -> None:
    from ..authoring.examples import rubric_files, run_rubric

    with user_errors():
        files = rubric_files(rubrics)
    ok = True
    for path in files:
        passed, lines = run_rubric(path, strict_coverage)
        ok = ok and passed
        click.echo("\n".join(lines))
    sys.exit(0 if ok else INVALID)
