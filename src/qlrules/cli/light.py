"""`qlrules score` of one unit to JSON, from the rubric's cached plan: no model, no attrs, no report object.

The common call — one findings file, ``--format json`` — spends most of its time starting up.
When the cache holds the rubric's scoring plan (`qlrules.language.cache.load_plan`) and the
kernel takes the unit (`qlrules.scoring.kernel`), the report is written from the kernel's
outcome (`qlrules.render.fragments.outcome_json`), byte for byte what the full path writes.
Anything else — no plan cached yet, a batch, a kind or a finding the kernel does not take, a
file that cannot be read — returns False before anything is written, and the full path runs:
it scores the unit, or words the error, exactly as if this module did not exist.
tests/test_light_score.py proves both give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

#: The inputs taken here: one findings document with a suffix that names its format.
_SUFFIXES = (".json", ".yaml", ".yml")


def score_one(findings: Path, rubric_path: Path | None, fmt: str, output: Path | None) -> bool:
    """Write the JSON report of the one unit in ``findings`` to ``output`` (None or ``-``: stdout); False to leave it to the full path.

    Raises:
        QlrulesError: only once the report is ready: the output cannot be written, or is an input.
    """
    if fmt != "json" or findings.suffix.lower() not in _SUFFIXES:
        return False
    text = _report(findings, rubric_path)
    if text is None:
        return False
    from ..io.output import open_output

    inputs = [findings, *([rubric_path] if rubric_path else [])]
    with open_output(output, inputs=inputs) as out:
        out.write(text)
    return True


def _report(findings: Path, rubric_path: Path | None) -> str | None:
    """The report's JSON text, or None when the full path must decide."""
    from ..errors import QlrulesError
    from ..io.text import read_bytes
    from ..language.cache import load_plan

    if rubric_path is None:
        from .._data import bundled_rubric

        file, source = bundled_rubric()
    else:
        file, source = rubric_path, str(rubric_path)
    try:
        plan = load_plan(read_bytes(file, "rubric"), source)
        if plan is None:
            return None
        from ..io.documents import parse_document

        mapping = parse_document(read_bytes(findings, "findings"), str(findings))
    except (QlrulesError, OSError):
        return None
    from ..render.fragments import outcome_json
    from ..scoring.kernel import Refused, score

    try:
        outcome = score(plan, mapping)
    except Refused:
        return None
    return outcome_json(plan, outcome)
