"""The HTTP service on Starlette: routes, and the guard every request passes (size, time, token, log).

Every refusal is JSON, ``{"error": {"code", "message", "problems"}}``, with a 4xx status for
anything a client sent; a 500 only for a bug, logged with its traceback. Messages are in the
request's language (``?lang=``, else ``Accept-Language``, else the server's), chosen per
request (`qlrules.i18n.use_language` is a context variable), never for the process.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import QlrulesError
from ..i18n import _, default_language, use_language
from ..model import Rubric
from ..render.json import dumps
from . import service

log = logging.getLogger("qlrules.serve")
access_log = logging.getLogger("qlrules.serve.access")
T = TypeVar("T")

#: Defaults of `qlrules serve`: 10 MiB a request, 30 seconds.
MAX_BODY = 10 * 1024 * 1024
TIMEOUT = 30.0
#: At most this many files in one upload.
MAX_FILES = 200
#: Paths anyone may fetch when a token is set: the health check, and the descriptions and page shell.
OPEN_PATHS = frozenset({"/healthz", "/openapi.json", "/docs", "/"})


@attrs.frozen
class Settings:
    """What a running service was started with: its rubrics by id, and its limits."""

    rubrics: Mapping[str, Rubric]
    token: str | None = None
    max_body: int = MAX_BODY
    timeout: float = TIMEOUT

    @property
    def default_rubric(self) -> str:
        return next(iter(self.rubrics))


class ClientError(Exception):
    """A request the service refuses: its status, stable code and (translated) message."""

    def __init__(self, status: int, code: str, message: str, problems: list[dict[str, Any]] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems or []
        self.headers = dict(headers or {})


def json_response(value: Any, status: int = 200, media_type: str = "application/json",
                  headers: Mapping[str, str] | None = None) -> Response:
    """JSON with exact numbers, as the command writes it."""
    return Response((dumps(value) + "\n").encode("utf-8"), status_code=status, media_type=media_type, headers=headers)


def refusal(error: ClientError) -> Response:
    return json_response(service.error_body(error.code, error.message, error.problems), error.status, headers=error.headers)


# -- the request's language ----------------------------------------------------------------------

def _accept_language(header: str) -> str | None:
    """The first of zh or en the header prefers (q-values honoured), if it names either."""
    best: tuple[float, int, str] | None = None
    for order, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower()[:2]
        if language in ("zh", "en") and quality > 0 and (best is None or (quality, -order) > (best[0], best[1])):
            best = (quality, -order, language)
    return best[2] if best else None


def asked_language(scope: Scope) -> str | None:
    """What ``?lang=`` asks for: zh, en, or nothing."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    asked = str((query.get("lang") or [""])[0]).strip().lower()
    return asked[:2] if asked[:2] in ("zh", "en") else None


def request_language(scope: Scope) -> str:
    """``?lang=zh|en``, else ``Accept-Language``, else the server's."""
    asked = asked_language(scope)
    if asked:
        return asked
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            found = _accept_language(value.decode("latin-1"))
            if found:
                return found
    return default_language()


# -- the guard: size, time, token, access log ----------------------------------------------------

class BodyTooLarge(Exception):
    """The request's body passed the size limit while it was being read."""


class Guard:
    """Wraps the app: refuses bodies over the limit and requests past the time limit, checks the
    bearer token (constant-time), and writes one access log line per request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0, "bytes": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            elif message["type"] == "http.response.body":
                status["bytes"] += len(message.get("body", b""))
            await send(message)

        language = request_language(scope)
        try:
            with use_language(language):
                refused = self._refused(scope)
            if refused is not None:
                await refusal(refused)(scope, receive, sending)
                return
            try:
                with anyio.fail_after(self.settings.timeout):
                    await self.app(scope, self._limited(scope, receive), sending)
            except TimeoutError:
                if status["code"]:
                    raise
                with use_language(language):
                    error = ClientError(503, "timeout", _("the request took longer than the server allows ({seconds} s)").format(
                        seconds=f"{self.settings.timeout:g}"))
                await refusal(error)(scope, receive, sending)
        except Exception:
            status["code"] = status["code"] or 500
            raise
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            client = scope.get("client") or ("-", 0)
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope["path"] + (f"?{query}" if query else "")
            access_log.info('%s "%s %s" %d %d %.1fms', client[0], scope["method"], target, status["code"], status["bytes"], elapsed)

    def _refused(self, scope: Scope) -> ClientError | None:
        """Refusals known from the headers alone: no or a wrong token, a declared body over the limit."""
        headers = {name: value for name, value in scope.get("headers", [])}
        token = self.settings.token
        if token is not None and scope["path"] not in OPEN_PATHS and not scope["path"].startswith("/static/"):
            given = headers.get(b"authorization", b"").decode("latin-1")
            scheme, _sep, credential = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode("utf-8"), token.encode("utf-8")):
                return ClientError(401, "unauthorized", _("this server needs a token: send the header Authorization: Bearer TOKEN"),
                                   headers={"WWW-Authenticate": "Bearer"})
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return ClientError(400, "bad-request", _("the Content-Length header is not a number"))
            if declared > self.settings.max_body:
                return too_large(self.settings.max_body)
        return None

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        """``receive``, raising `BodyTooLarge` once the body read passes the limit (a chunked body has no length)."""
        limit = self.settings.max_body
        read = 0

        async def limited() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLarge
            return message

        return limited


def too_large(limit: int) -> ClientError:
    return ClientError(413, "too-large", _("the request is larger than the server accepts ({limit} bytes)").format(limit=limit))


# -- handlers ------------------------------------------------------------------------------------

def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def in_worker(request: Request, work: Callable[..., T], *args: Any, language: str | None = None) -> T:
    """``work(*args)`` in a worker thread, in the request's language; the guard's time limit abandons it."""
    chosen = language or request_language(request.scope)

    def call() -> T:
        with use_language(chosen):
            return work(*args)

    return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)


def rubric_for(request: Request, ident: str | None) -> tuple[str, Rubric]:
    settings = settings_of(request)
    ident = ident or settings.default_rubric
    rubric = settings.rubrics.get(ident)
    if rubric is None:
        raise ClientError(404, "unknown-rubric", _("no rubric {id!r} on this server; it has {ids}").format(
            id=ident, ids=", ".join(settings.rubrics)))
    return ident, rubric


def _flag(request: Request, name: str, default: bool) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise ClientError(400, "bad-request", _("{name} is true or false; found {value!r}").format(name=name, value=value[:40]))


async def uploads_of(request: Request) -> list[service.Upload]:
    """The findings a request carries: its body, or each file of a multipart form (field ``file``)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
        uploads = []
        for _key, value in form.multi_items():
            if not isinstance(value, str) and getattr(value, "filename", None) is not None:
                uploads.append(service.Upload(await value.read(), service.display_name(value.filename)))
        await form.close()
        if not uploads:
            raise ClientError(400, "no-findings", _("the form has no file: upload a findings file or filled forms (.xlsx)"))
        return uploads
    body = await request.body()
    if not body.strip():
        raise ClientError(400, "no-findings", _("the request has no body: send a findings document (YAML or JSON) or a filled form (.xlsx)"))
    return [service.Upload(body)]


async def score_response(request: Request, uploads: list[service.Upload], ident: str | None, fmt: str,
                         trace: bool = True) -> Response:
    _ident, rubric = rubric_for(request, ident)
    try:
        output = await in_worker(request, service.score_uploads, uploads, rubric, fmt)
    except QlrulesError as error:
        return json_response(await in_worker(request, service.describe_error, error), 422)
    if fmt == "xlsx":
        return Response(output, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="qlrules-report.xlsx"'})
    if not trace:
        output = service.without_trace(output)
    return Response(output, media_type="application/json")


async def score(request: Request) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "xlsx"):
        raise ClientError(400, "bad-request", _("format is json or xlsx; found {value!r}").format(value=fmt[:40]))
    trace = _flag(request, "trace", True)
    return await score_response(request, await uploads_of(request), request.query_params.get("rubric"), fmt, trace)


async def rubrics(request: Request) -> Response:
    settings = settings_of(request)
    return json_response({"rubrics": [service.rubric_summary(i, r) for i, r in settings.rubrics.items()]})


async def rubric(request: Request) -> Response:
    ident, found = rubric_for(request, request.path_params["id"])
    return json_response(service.rubric_detail(ident, found))


async def findings_schema(request: Request) -> Response:
    from ..scoring.schema import findings_schema as schema

    _ident, found = rubric_for(request, request.path_params["id"])
    return json_response(schema(found), media_type="application/schema+json")


async def check(request: Request) -> Response:
    from ..authoring.diagnostics import diagnose

    strict = _flag(request, "strict", False)
    body = await request.body()
    result = await in_worker(request, lambda: diagnose(body, service.BODY, strict=strict, use_cache=False))
    return json_response({"files": [result]})


async def healthz(request: Request) -> Response:
    return json_response({"status": "ok", "rubrics": len(settings_of(request).rubrics)})


async def openapi(request: Request) -> Response:
    from .openapi import document

    return json_response(document(), media_type="application/json")


async def docs(request: Request) -> Response:
    from .openapi import document, html_page

    return HTMLResponse(html_page(document()))


# -- errors --------------------------------------------------------------------------------------

def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    with use_language(request_language(request.scope)):
        if exc.status_code == 404:
            error = ClientError(404, "not-found", _("nothing here: {path}; GET /openapi.json lists what this server answers").format(
                path=request.url.path[:200]))
        elif exc.status_code == 405:
            error = ClientError(405, "method-not-allowed", _("{method} is not allowed here").format(method=request.method),
                                headers=exc.headers)
        else:  # a form that cannot be parsed, and other refusals Starlette makes
            error = ClientError(exc.status_code if 400 <= exc.status_code < 500 else 400, "bad-request",
                                _("the request cannot be read: {reason}").format(reason=exc.detail))
    return refusal(error)


def _client_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ClientError)
    return refusal(exc)


def _body_too_large(request: Request, exc: Exception) -> Response:
    with use_language(request_language(request.scope)):
        return refusal(too_large(settings_of(request).max_body))


def _bug(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    with use_language(request_language(request.scope)):
        return json_response(service.error_body("internal", _("internal error: the server's log has the details")), 500)


def create_app(settings: Settings) -> Starlette:
    """The service for ``settings``: the API, its description, and the assessors' page."""
    from starlette.middleware import Middleware

    from . import page

    if not settings.rubrics:
        raise ValueError("a service needs at least one rubric")
    routes = [
        Route("/v1/score", score, methods=["POST"]),
        Route("/v1/rubrics", rubrics, methods=["GET"]),
        Route("/v1/rubrics/{id}", rubric, methods=["GET"]),
        Route("/v1/rubrics/{id}/findings.schema.json", findings_schema, methods=["GET"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        *page.routes(),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Response | Awaitable[Response]]] = {
        HTTPException: _http_error, ClientError: _client_error, BodyTooLarge: _body_too_large, Exception: _bug,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, middleware=[Middleware(Guard, settings=settings)])
    app.state.settings = settings
    return app
