"""qlrules: score agencies against an integrity-assessment rubric (清廉机关建设考评), exactly and explained.

``import qlrules`` is light: each name below is imported from its module the
first time it is used, so scoring with a cached rubric never imports the
parser (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import FindingsError, InputError, Problem, QlrulesError, RubricError

__version__ = "0.3.0"

if TYPE_CHECKING:
    from .api import BUNDLED_RUBRIC, load_rubric, score_file
    from .i18n import set_language, use_language
    from .io.documents import parse_document
    from .language.build import compile_file, compile_rubric, parse_tree
    from .language.parse import parse_text
    from .language.unparse import rubric_source
    from .model import Adjustment, Clause, Discretionary, Each, Item, Once, Rubric, Rule, Section, Span, Topic
    from .scoring.evaluate import evaluate
    from .scoring.findings import Finding, Unit, read_unit, read_units
    from .scoring.report import Report, Score, TraceEntry

_LAZY = {
    "BUNDLED_RUBRIC": "api", "load_rubric": "api", "score_file": "api",
    "compile_file": "language.build", "compile_rubric": "language.build", "parse_tree": "language.build",
    "evaluate": "scoring.evaluate",
    "Finding": "scoring.findings", "Unit": "scoring.findings", "read_unit": "scoring.findings", "read_units": "scoring.findings",
    "parse_document": "io.documents",
    "set_language": "i18n", "use_language": "i18n",
    "Adjustment": "model", "Clause": "model", "Item": "model", "Rubric": "model", "Rule": "model",
    "Section": "model", "Span": "model", "Topic": "model",
    "Once": "model", "Each": "model", "Discretionary": "model",
    "rubric_source": "language.unparse",
    "parse_text": "language.parse",
    "Report": "scoring.report", "Score": "scoring.report", "TraceEntry": "scoring.report",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'qlrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BUNDLED_RUBRIC", "Adjustment", "Clause", "Discretionary", "Each", "Finding", "FindingsError", "InputError", "Item", "Once", "Problem",
    "QlrulesError", "Report", "Rubric", "RubricError", "Rule", "Score", "Section", "Span", "Topic", "TraceEntry",
    "Unit", "__version__", "compile_file", "compile_rubric", "evaluate", "load_rubric", "parse_document",
    "parse_text", "parse_tree", "read_unit", "read_units", "rubric_source", "score_file", "set_language", "use_language",
]
