"""A rubric's diagnostics as data: every error and warning with its stable code and place.

What ``qlrules check --format json`` prints and ``POST /v1/check`` answers: the same
compile and lint as ``qlrules check``, each problem a mapping rather than a drawn caret,
so other systems can show them in their own editors.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError, Problem, QlrulesError, RubricError

#: The code of a rubric that cannot be read at all (missing, not UTF-8): it has no line.
UNREADABLE = "unreadable"


def problem_dict(problem: Problem) -> dict[str, Any]:
    """One problem as data; ``code`` names its kind whatever the language of ``message``."""
    return {"code": problem.code, "severity": problem.severity, "file": problem.source,
            "line": problem.line, "column": problem.column, "message": problem.message}


def diagnose(data: bytes, source: str, *, strict: bool = False, use_cache: bool = True) -> dict[str, Any]:
    """Compile and lint a rubric file's bytes: ``{"file", "ok", "diagnostics": [...]}``.

    ``ok`` is false when the rubric has an error (it does not compile), or, with ``strict``,
    any warning, as the exit status of ``qlrules check [--strict]`` says. The server passes
    ``use_cache=False``: a request's rubric leaves nothing on the server's disk.
    """
    from ..api import rubric_from_bytes
    from ..authoring.lint import lint
    from ..io.text import decode

    problems: list[dict[str, Any]]
    try:
        text = decode(data, source)
        rubric = rubric_from_bytes(data, source, use_cache=use_cache)
        warnings = sorted([*rubric.warnings, *lint(rubric, text)], key=lambda p: (p.line, p.column))
        problems = [problem_dict(p) for p in warnings]
        ok = not (strict and warnings)
    except RubricError as error:
        problems, ok = [problem_dict(p) for p in error.problems], False
    except (InputError, QlrulesError) as error:
        problems, ok = [unreadable(source, str(error))], False
    return {"file": source, "ok": ok, "diagnostics": problems}


def unreadable(source: str, message: str) -> dict[str, Any]:
    """The one diagnostic of a file that cannot be read."""
    return {"code": UNREADABLE, "severity": "error", "file": source, "line": None, "column": None, "message": message}
