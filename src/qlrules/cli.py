"""The `qlrules` command: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import click

from .errors import QlrulesError
from .i18n import _, set_language

#: Exit statuses of the contract (§4): 0 success, 1 invalid input, 2 misuse (click's own).
INVALID = 1


def fail(error: QlrulesError) -> NoReturn:
    """Report an error the user caused, on stderr without a traceback, and exit 1."""
    click.echo(str(error), err=True)
    sys.exit(INVALID)


def write_output(text: str, out: Path | None) -> None:
    """Print, or write ``out`` whole (via a temporary file, so never half-written)."""
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    directory = out.resolve().parent
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, delete=False, suffix=".part") as tmp:
            tmp.write(text)
        os.replace(tmp.name, out)
    except OSError as exc:
        raise click.FileError(str(out), hint=exc.strerror or str(exc)) from None


class LazyGroup(click.Group):
    """Commands kept in other modules are imported only when run (or listed by --help).

    This keeps `qlrules score` from paying for what other commands import
    (openpyxl, the authoring tools). The pattern is click's own documented one.
    """

    #: command name -> "module:attribute", relative to the qlrules package.
    lazy_commands: dict[str, str] = {
        # Register commands kept in other modules here, one line each.
        "template": ".excel:template_command",
        "diff": ".diff:diff_command",
        "test": ".examples:test_command",
        "draft": ".draft:draft_command",
        "fmt": ".fmt:fmt_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            import importlib

            module, attribute = self.lazy_commands[name].split(":")
            command = getattr(importlib.import_module(module, "qlrules"), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qlrules")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages and reports. Default: Chinese when the locale is Chinese, else English.")
def main(lang: str | None) -> None:
    """Score agencies against an integrity-assessment rubric, exactly and explained."""
    set_language(lang)


@main.command()
@click.argument("findings", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Rubric file (.qlr). Default: the bundled 清廉机关建设 rubric.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "markdown"]), default="table", show_default=True,
              help="table for reading, json for other systems, csv one row per unit, xlsx a ranked workbook (needs -o), "
                   "markdown for a written report.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Score with this many processes (for large batches).")
def score(findings: tuple[Path, ...], rubric_path: Path | None, fmt: str, output: Path | None, jobs: int) -> None:
    """Score the units in FINDINGS: YAML or JSON files (one unit, or a batch with units:), JSON Lines
    (.jsonl, one unit per line), filled forms (.xlsx, from `qlrules template`) or folders of forms.
    Several inputs, or a folder, make a batch."""
    from .api import load_rubric
    from .batch import score as score_units

    if fmt == "xlsx" and output is None:
        raise click.UsageError(_("--format xlsx writes a workbook: name the file with -o"))
    try:
        rubric = load_rubric(rubric_path)
        # Units are scored one by one into a temporary file: one bad unit, no report at all.
        score_units(findings, rubric, fmt, output, width=None if output else shutil.get_terminal_size().columns, jobs=jobs)
    except QlrulesError as error:
        fail(error)
    except OSError as exc:
        if output is None:
            raise
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None


@main.command()
@click.argument("rubrics", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too: the compiler's and the lints'.")
def check(rubrics: tuple[Path, ...], strict: bool) -> None:
    """Compile each RUBRIC file and lint its wording against its rules; print the warnings, or every error with its line."""
    from .api import rubric_from_bytes
    from .errors import RubricError
    from .lint import lint
    from .parse import read_source

    failed = False
    for path in rubrics:
        try:
            text, data = read_source(path)  # read once: compiled, then its wording linted
            rubric = rubric_from_bytes(data, str(path))
            warnings = sorted([*rubric.warnings, *lint(rubric, text)], key=lambda p: (p.line, p.column))
        except RubricError as error:
            click.echo(error.render(limit=50), err=True)
            failed = True
            continue
        except QlrulesError as error:
            click.echo(str(error), err=True)
            failed = True
            continue
        for warning in warnings:
            click.echo(warning.render(), err=True)
        refused = strict and bool(warnings)
        failed = failed or refused
        summary = _("{sections} sections, {topics} topics, {items} items, {clauses} clauses, {adjustments} adjustments").format(
            sections=len(rubric.sections), topics=len(rubric.topics), items=len(rubric.items),
            clauses=len(rubric.clauses), adjustments=len(rubric.adjustments),
        )
        verdict = _("fails --strict") if refused else _("ok")
        click.echo(_("{path}: {verdict} — {summary}; warnings: {warnings}").format(
            path=path, verdict=verdict, summary=summary, warnings=len(warnings)))
    sys.exit(INVALID if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
