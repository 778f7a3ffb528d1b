"""`qlrules check`: compile rubric files and lint their wording."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import QlrulesError
from ..i18n import N_, _
from .common import INPUT, INVALID, report_error
from .lang import argument, command, option


@command(short_help=N_("Compile rubric files and lint their wording."),
         help=N_("Compile each RUBRIC file (- reads standard input) and lint its wording against its rules; "
                 "print the warnings, or every error with its line."))
@argument("rubrics", nargs=-1, required=True, type=INPUT, metavar=N_("RUBRIC..."))
@option("--strict", is_flag=True, help=N_("Fail (exit 1) on warnings too: the compiler's and the lints'."))
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help=N_("text for reading; json for editors and other systems: every error and warning with its code, "
                "file, line, column and message."))
def check(rubrics: tuple[Path, ...], strict: bool, fmt: str) -> None:
    if fmt == "json":
        _check_json(rubrics, strict)
        return
    from ..api import rubric_from_bytes
    from ..authoring.lint import lint
    from ..io.text import read_text

    failed = False
    for path in rubrics:
        try:
            text, data = read_text(path, "rubric")  # read once: compiled, then its wording linted
            rubric = rubric_from_bytes(data, str(path))
            warnings = sorted([*rubric.warnings, *lint(rubric, text)], key=lambda p: (p.line, p.column))
        except QlrulesError as error:
            report_error(error)
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
        if rubric.grades or rubric.vetoes:
            summary += _(", {grades} grades, {vetoes} vetoes").format(grades=len(rubric.grades), vetoes=len(rubric.vetoes))
        verdict = _("fails --strict") if refused else _("ok")
        click.echo(_("{path}: {verdict} — {summary}; warnings: {warnings}").format(
            path=path, verdict=verdict, summary=summary, warnings=len(warnings)))
    sys.exit(INVALID if failed else 0)


def _check_json(rubrics: tuple[Path, ...], strict: bool) -> None:
    """``{"files": [{"file", "ok", "diagnostics"}]}`` on stdout; exit 1 when a file is not ok."""
    from ..authoring.diagnostics import diagnose, unreadable
    from ..io.text import read_bytes
    from ..render.json import dumps

    files = []
    for path in rubrics:
        try:
            data = read_bytes(path, "rubric")
        except QlrulesError as error:
            files.append({"file": str(path), "ok": False, "diagnostics": [unreadable(str(path), str(error))]})
            continue
        files.append(diagnose(data, "<stdin>" if str(path) == "-" else str(path), strict=strict))
    click.echo(dumps({"files": files}))
    sys.exit(0 if all(f["ok"] for f in files) else INVALID)
