"""`qlrules test`: run the worked examples beside each rubric."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import INVALID, user_errors


@click.command()
@click.argument("rubrics", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--strict-coverage", is_flag=True,
              help="Also fail (exit 1) when some clause, adjustment, rule, replacement or cap is not exercised.")
def test(rubrics: tuple[Path, ...], strict_coverage: bool) -> None:
    """Run the examples beside each RUBRIC (NAME.examples.yaml next to NAME.qlr; a directory: each .qlr file in it).

    Exit 1 when an example fails, a rubric has no examples file, an examples file or rubric is
    invalid, or (with --strict-coverage) when coverage is incomplete.
    """
    from ..authoring.examples import rubric_files, run_rubric

    with user_errors():
        files = rubric_files(rubrics)
    ok = True
    for path in files:
        passed, lines = run_rubric(path, strict_coverage)
        ok = ok and passed
        click.echo("\n".join(lines))
    sys.exit(0 if ok else INVALID)
