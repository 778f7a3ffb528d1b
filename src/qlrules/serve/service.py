"""What the HTTP service does, without HTTP: score uploads exactly as ``qlrules score`` does, describe a
rubric as data, and say what went wrong as JSON.

Uploads are written into a private temporary folder under names the server chooses; the client's
file name is only what messages call the file. A request therefore names no file of the server's:
the rubric it asks for is one loaded at start, by id.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..errors import FindingsError, InputError, QlrulesError, RubricError
from ..language.unparse import grade_band, modifiers, rule_source
from ..model import Adjustment, Clause, Item, Rubric, Section, Topic
from ..numbers import exact

#: What a findings upload may be, by the suffix of its name: as ``qlrules score`` reads them.
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".ndjson")
WORKBOOK_SUFFIX = ".xlsx"
#: The name messages give a request's body (JSON when it opens with { or [, else YAML, as for standard input).
BODY = "<request>"
#: How a zip archive (a workbook) starts.
ZIP_MAGIC = b"PK\x03\x04"


@attrs.frozen
class Upload:
    """One findings input of a request: its bytes and the name the client gave it."""

    data: bytes
    name: str = BODY


def display_name(filename: str | None) -> str:
    """The client's file name as messages may show it: the last part only, printable, short."""
    if not filename:
        return BODY
    base = re.split(r"[\\/]", filename)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:120] or BODY


def _suffix(upload: Upload) -> str:
    """The suffix the upload is stored with: a workbook by its bytes, else the one its name gives."""
    if upload.data.startswith(ZIP_MAGIC):
        return WORKBOOK_SUFFIX
    suffix = Path(upload.name).suffix.lower() if upload.name != BODY else ""
    return suffix if suffix in DOCUMENT_SUFFIXES else ".yaml"


def score_uploads(uploads: Sequence[Upload], rubric: Rubric, fmt: str) -> bytes:
    """The output of ``qlrules score UPLOADS… --format FMT`` for these uploads, byte for byte.

    Findings documents are read from memory; workbooks, which are read as files, are written
    into a private temporary folder first, under names the server chooses.

    Raises:
        QlrulesError: as the command would (exit 1), the message naming each upload as the client named it.
    """
    from ..scoring.batch import score

    with contextlib.ExitStack() as stack:
        paths, names, contents = [], {}, {}
        for n, upload in enumerate(uploads):
            suffix = _suffix(upload)
            if suffix == WORKBOOK_SUFFIX:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="qlrules-serve-"))
                path = Path(folder) / f"{n}{suffix}"
                path.write_bytes(upload.data)
            else:
                path = Path(f"<upload {n}>{suffix}")  # names the bytes in memory, never a file
                contents[path] = upload.data
            paths.append(path)
            names[path] = upload.name
        out: io.BytesIO | io.StringIO = io.BytesIO() if fmt == "xlsx" else io.StringIO()
        score(paths, rubric, fmt, None, progress=False, stdout=out, names=names, contents=contents)
    value = out.getvalue()
    return value if isinstance(value, bytes) else value.encode("utf-8")


def without_trace(report_json: bytes) -> bytes:
    """The JSON report (one unit or a batch) without its ``trace``s, laid out as the command lays it out."""
    import simplejson

    from ..render.json import dumps

    document = simplejson.loads(report_json.decode("utf-8"), use_decimal=True)
    for unit in document["units"] if "units" in document else [document]:
        unit.pop("trace", None)
    return (dumps(document) + "\n").encode("utf-8")


# -- errors as JSON ------------------------------------------------------------------------------

def error_code(error: QlrulesError) -> str:
    """The stable code of an error a client caused."""
    if isinstance(error, FindingsError):
        return "invalid-findings"
    if isinstance(error, RubricError):
        return "invalid-rubric"
    if isinstance(error, InputError):
        return "unreadable-input"
    return "invalid-input"


def error_body(code: str, message: str, problems: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """``{"error": {"code", "message", "problems"}}``: what every refusal answers."""
    return {"error": {"code": code, "message": message, "problems": list(problems)}}


def describe_error(error: QlrulesError) -> dict[str, Any]:
    """The JSON of an error: its code, the message the command prints, and each problem's place."""
    if isinstance(error, FindingsError):
        problems = [{"message": p.message, "file": p.source, "unit": p.unit, "clause": p.clause, "where": p.where,
                     "line": p.line, "column": p.column} for p in error.problems]
        return error_body(error_code(error), str(error), problems)
    if isinstance(error, RubricError):
        from ..authoring.diagnostics import problem_dict

        return error_body(error_code(error), error.render(limit=50), [problem_dict(p) for p in error.problems])
    return error_body(error_code(error), str(error))


# -- a rubric as data ----------------------------------------------------------------------------

def rubric_id(rubric: Rubric) -> str:
    """The id a rubric is served under: its file name without ``.qlr``."""
    return Path(rubric.source).name.removesuffix(".qlr")


def rubric_summary(ident: str, rubric: Rubric) -> dict[str, Any]:
    return {"id": ident, "title": rubric.title, "year": rubric.year, "edition": rubric.edition,
            "points": exact(rubric.points), "sha256": rubric.sha256}


def _number(value: Decimal | None) -> Decimal | None:
    return exact(value) if value is not None else None


def _clause(clause: Clause | Adjustment, order: Sequence[str] = ()) -> dict[str, Any]:
    return {"id": clause.id, "text": clause.text, "rule": rule_source(clause.rule, order) + modifiers(clause.of, clause.cap),
            "of": clause.of, "cap": _number(clause.cap)}


def _item(item: Item) -> dict[str, Any]:
    order = [c.id for c in item.clauses]
    return {"id": item.id, "title": item.title, "points": exact(item.points), "earned": item.earned, "cap": _number(item.cap),
            "owners": list(item.owners), "text": item.text, "clauses": [_clause(c, order) for c in item.clauses]}


def _part(part: Section | Topic) -> dict[str, Any]:
    return {"id": part.id, "title": part.title, "points": exact(part.points), "cap": _number(part.cap),
            "owners": list(part.owners), "clauses": [_clause(c) for c in part.clauses]}


def rubric_detail(ident: str, rubric: Rubric) -> dict[str, Any]:
    """One rubric as data: its parts, every clause with its official wording and rule, grades, vetoes, groups."""
    sections = []
    for section in rubric.sections:
        topics = [{**_part(t), "items": [_item(i) for i in t.items]} for t in section.topics]
        sections.append({**_part(section), "items": [_item(i) for i in section.direct_items], "topics": topics})
    return {
        **rubric_summary(ident, rubric),
        "rules": [{"name": r.name, "label": r.label, "text": r.text} for r in rubric.rules],
        "sections": sections,
        "adjustment_groups": [{"id": g.id, "title": g.title, "text": g.text, "cap": _number(g.cap),
                               "adjustments": [_clause(a) for a in g.adjustments]} for g in rubric.adjustment_groups],
        "grades": {"title": rubric.grades_title,
                   "grades": [{"name": g.name, "text": g.text, "low": _number(g.low), "high": _number(g.high), "band": grade_band(g)}
                              for g in rubric.grades]},
        "vetoes": {"title": rubric.vetoes_title, "text": rubric.vetoes_text,
                   "vetoes": [{"id": v.id, "text": v.text, "grade": v.grade} for v in rubric.vetoes]},
    }
