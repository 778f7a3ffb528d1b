"""qlrules: score agencies against an integrity-assessment rubric (清廉机关建设考评), exactly and explained."""

from __future__ import annotations

from .api import BUNDLED_RUBRIC, load_rubric, score_file
from .compile import compile_file, compile_rubric, parse_tree
from .errors import FindingsError, InputError, Problem, QlrulesError, RubricError
from .evaluate import evaluate
from .findings import Finding, Unit, parse_document, read_unit, read_units
from .model import Adjustment, Clause, Item, Rubric, Rule, Section, Span, Topic
from .parse import parse_text
from .report import Report, Score, TraceEntry

__version__ = "0.1.0"

__all__ = [
    "BUNDLED_RUBRIC",
    "Adjustment",
    "Clause",
    "Finding",
    "FindingsError",
    "InputError",
    "Item",
    "Problem",
    "QlrulesError",
    "Report",
    "Rubric",
    "RubricError",
    "Rule",
    "Score",
    "Section",
    "Span",
    "Topic",
    "TraceEntry",
    "Unit",
    "__version__",
    "compile_file",
    "compile_rubric",
    "evaluate",
    "load_rubric",
    "parse_document",
    "parse_text",
    "parse_tree",
    "read_unit",
    "read_units",
    "score_file",
]
