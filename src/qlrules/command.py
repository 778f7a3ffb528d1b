"""The `qlrules` program, and its commonest call answered from the rubric's cached plan: no click, no model, no attrs.

`main` is the program's entry point. The common call — ``qlrules score FILE --format json``,
with or without ``--rubric RUBRIC`` — spends most of its time starting up, and most of that
importing click and the model. When the command line has exactly that shape (`light_call`:
anything else, ``--lang`` or ``-o`` included, is left to click), the cache holds the rubric's
scoring plan (`qlrules.language.cache.load_plan`) and the kernel takes the unit
(`qlrules.scoring.kernel`), the report is written from the kernel's outcome
(`qlrules.render.fragments.outcome_json`), byte for byte what the full path writes.
The `score` command tries the same path after click has parsed its arguments (with ``-o`` too).
Anything else — no plan cached yet, a batch, a kind or a finding the kernel does not take, a
file that cannot be read — returns False before anything is written, and the full path runs:
it scores the unit, or words the error, exactly as if this module did not exist.
tests/test_light_score.py proves both give the same bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

#: The inputs taken here: one findings document with a suffix that names its format.
_SUFFIXES = (".json", ".yaml", ".yml")


def score_one(findings: Path, rubric_path: Path | None, fmt: str, output: Path | None) -> bool:
    """Write the JSON report of the one unit in ``findings`` to ``output`` (None or ``-``: stdout); False to leave it to the full path.

    Raises:
        QlrulesError: only once the report is ready: the output cannot be written, or is an input.
    """
    if fmt != "json" or findings.suffix.lower() not in _SUFFIXES or not _regular(findings) or (rubric_path and not _regular(rubric_path)):
        return False  # a FIFO or a device can be read only once: the full path must be the one that reads it
    text = _report(findings, rubric_path)
    if text is None:
        return False
    from .io.output import open_output

    inputs = [findings, *([rubric_path] if rubric_path else [])]
    with open_output(output, inputs=inputs) as out:
        out.write(text)
    return True


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (through links), which can be read twice."""
    try:
        return path.is_file()
    except OSError:  # a name too long, a loop of links: the full path says so
        return False


def _report(findings: Path, rubric_path: Path | None) -> str | None:
    """The report's JSON text, or None when the full path must decide."""
    from .errors import QlrulesError
    from .io.text import read_bytes
    from .language.cache import load_plan

    if rubric_path is None:
        from ._data import bundled_rubric

        file, source = bundled_rubric()
    else:
        file, source = rubric_path, str(rubric_path)
    try:
        plan = load_plan(read_bytes(file, "rubric"), source)
        if plan is None:
            return None
        from .io.documents import parse_document

        mapping = parse_document(read_bytes(findings, "findings"), str(findings))
    except (QlrulesError, OSError):
        return None
    from .render.fragments import outcome_json
    from .scoring.kernel import Refused, score

    try:
        outcome = score(plan, mapping)
    except Refused:
        return None
    return outcome_json(plan, outcome)


#: What click says when Ctrl-C ends a command: its words, in its catalog (click.po), not qlrules'.
_CLICK_ABORTED = "Aborted!"


# -- the program --------------------------------------------------------------------------------------


def main() -> None:
    """Run ``qlrules`` with the command line's arguments: the light path when it applies, else the click group."""
    call = light_call(sys.argv[1:])
    if call is not None and _answered(*call):
        return
    from .cli import main as group

    group()


def light_call(arguments: Sequence[str]) -> tuple[Path, Path | None] | None:
    """The findings and the rubric of ``score FILE --format json [--rubric RUBRIC]`` (in any order), else None.

    Only that shape, each option given once and separated from its value, with no value that
    looks like an option: for it, click would parse the same; anything else is click's to parse.
    """
    if not arguments or arguments[0] != "score":
        return None
    findings: str | None = None
    values: dict[str, str] = {}
    rest = list(arguments[1:])
    while rest:
        argument = rest.pop(0)
        if argument in ("--format", "--rubric"):
            if not rest or rest[0].startswith("-") or argument in values:
                return None
            values[argument] = rest.pop(0)
        elif argument.startswith("-") or findings is not None or not argument:
            return None
        else:
            findings = argument
    if findings is None or values.get("--format") != "json":
        return None
    rubric = values.get("--rubric")
    return Path(findings), Path(rubric) if rubric else None


def _answered(findings: Path, rubric: Path | None) -> bool:
    """Whether the light path wrote the report (exit 0); a `QlrulesError` is reported as the command reports it (exit 1)."""
    from .errors import QlrulesError

    try:
        return score_one(findings, rubric, "json", None)
    except QlrulesError as error:
        sys.stderr.write(f"{error}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        from .i18n import current_language, translations

        sys.stderr.write(translations(current_language(), "click").gettext(_CLICK_ABORTED) + "\n")
        sys.exit(1)
    except BrokenPipeError:
        # The reader has gone (`qlrules score … | head`): exit 1 as click does, without the interpreter
        # complaining when it flushes standard output at exit (the recipe of the `signal` module's docs).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
