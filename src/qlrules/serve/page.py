"""The assessors' page at ``/``: pick a rubric, upload filled forms or a findings file, read each unit's
score in the rubric's own words, download the workbook report.

Rendered on the server (Jinja2, every value escaped: unit names and evidence come from uploads);
a little script keeps the chosen files for the download and sends the token when the server has
one. The results are those of ``POST /v1/score``: the page parses the same JSON report.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..errors import QlrulesError
from ..i18n import _, use_language
from ..numbers import plain, signed
from . import service
from .app import ClientError, asked_language, in_worker, rubric_for, score_response, settings_of, uploads_of

#: The page speaks Chinese unless its link asks for English (``?lang=en``): a browser's own
#: Accept-Language is not asked, as an assessor's page should not change with the machine.
PAGE_LANGUAGE = "zh"


def page_language(request: Request) -> str:
    return asked_language(request.scope) or PAGE_LANGUAGE


@functools.cache
def _templates() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("qlrules.serve", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _number(value: Any) -> str:
    return plain(value) if isinstance(value, Decimal) else "" if value is None else str(value)


def _change(value: Any) -> str:
    """A trace entry's signed effect on the total, as every other output shows it (−1, +2, 0)."""
    return "" if value is None else signed(Decimal(str(value)))


def words() -> dict[str, str]:
    """Every word the page shows, in the current language."""
    return {
        "title": _("Score units against a rubric"),
        "intro": _("Upload filled forms (.xlsx, made by qlrules template) or a findings file (YAML or JSON); "
                   "each unit's score is explained in the rubric's own words."),
        "rubric": _("Rubric"), "files": _("Forms or findings"), "token": _("Token"), "score": _("Score the units"),
        "download": _("Download the workbook report (.xlsx)"), "unit": _("Unit"), "total": _("Total"),
        "grade": _("Grade"), "no_grade": _("no grade"), "vetoes": _("Vetoes"), "deductions": _("Deductions"),
        "adjustments": _("Adjustments"), "sections": _("Sections"), "section": _("Section"), "points": _("Points"),
        "deducted": _("Deducted"), "score_column": _("Score"), "entries": _("Every deduction and adjustment"),
        "clause": _("Clause"), "wording": _("Official wording"), "change": _("± points"), "what": _("What happened"),
        "evidence": _("Evidence"), "reason": _("Reason"), "nothing": _("Nothing was deducted."),
        "refused": _("The findings were refused"), "api": _("HTTP API"), "other_language": "English" if _is_zh() else "中文",
        "working": _("Scoring…"),
    }


def _is_zh() -> bool:
    from ..i18n import current_language

    return current_language() == "zh"


def render(request: Request, language: str, *, units: list[dict[str, Any]] | None = None,
           error: dict[str, Any] | None = None, chosen: str | None = None, status: int = 200) -> Response:
    settings = settings_of(request)
    with use_language(language):
        html = _templates().get_template("page.html").render(
            t=words(), lang=language, other="en" if language == "zh" else "zh", units=units, error=error,
            rubrics=[service.rubric_summary(i, r) for i, r in settings.rubrics.items()],
            chosen=chosen or settings.default_rubric, needs_token=settings.token is not None, num=_number, change=_change,
            graded=bool(settings.rubrics[chosen or settings.default_rubric].grades))
    return HTMLResponse(html, status_code=status)


async def index(request: Request) -> Response:
    return render(request, page_language(request))


async def _form_rubric(request: Request) -> str | None:
    form = await request.form(max_files=200, max_fields=200)
    value = form.get("rubric")
    return value if isinstance(value, str) and value else None


async def results(request: Request) -> Response:
    """The page with each unit's score, or the refusal in full."""
    import simplejson

    language = page_language(request)
    uploads = await uploads_of(request)
    ident, rubric = rubric_for(request, await _form_rubric(request))
    try:
        output = await in_worker(request, service.score_uploads, uploads, rubric, "json", language=language)
    except QlrulesError as error:
        described = await in_worker(request, service.describe_error, error, language=language)
        return render(request, language, error=described["error"], chosen=ident, status=422)
    document = simplejson.loads(output.decode("utf-8"), use_decimal=True)
    units = document["units"] if "units" in document else [document]
    return render(request, language, units=units, chosen=ident)


async def workbook(request: Request) -> Response:
    """The same workbook as ``qlrules score … -o report.xlsx``."""
    language = page_language(request)
    uploads = await uploads_of(request)
    ident = await _form_rubric(request)
    with use_language(language):
        rubric_for(request, ident)  # an unknown rubric is refused before any work
    if not uploads:  # pragma: no cover - uploads_of refuses an empty form
        raise ClientError(400, "no-findings", _("the form has no file: upload a findings file or filled forms (.xlsx)"))
    return await score_response(request, uploads, ident, "xlsx")


def routes() -> list[Route]:
    return [
        Route("/", index, methods=["GET"]),
        Route("/ui/score", results, methods=["POST"]),
        Route("/ui/report.xlsx", workbook, methods=["POST"]),
    ]
