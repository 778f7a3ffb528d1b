"""The OpenAPI 3.1 document of the service, written as data, and the two pages made from it:
``GET /docs`` (HTML) and ``docs/http-api.md`` (MyST, checked against this by the tests)."""

from __future__ import annotations

import html
from typing import Any

from .. import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}
_JSON_ERROR = {"application/json": {"schema": _ERROR}}


def _refusals(*statuses: str) -> dict[str, Any]:
    words = {
        "400": "The request cannot be read (no body, a bad parameter, a form that does not parse): `bad-request`, `no-findings`.",
        "401": "The server has a token and the request did not send it (`Authorization: Bearer TOKEN`): `unauthorized`.",
        "404": "No rubric of that id on this server: `unknown-rubric`.",
        "413": "The body is larger than the server accepts (`--max-body`): `too-large`.",
        "422": "The findings are invalid, as `qlrules score` would refuse them (exit 1): `invalid-findings`, `unreadable-input`; "
               "`message` is the command's message, `problems` each problem's place.",
        "503": "The request took longer than the server allows (`--timeout`): `timeout`.",
    }
    return {s: {"description": words[s], "content": _JSON_ERROR} for s in statuses}


_RUBRIC_PARAMETER = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "A rubric's id: its file name without `.qlr` (`GET /v1/rubrics` lists them)."}
_LANG_PARAMETER = {"name": "lang", "in": "query", "required": False, "schema": {"enum": ["zh", "en"]},
                   "description": "The language of messages and of the report's notes; else `Accept-Language`, else the server's."}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``qlrules serve``."""
    findings_body = {
        "description": "A findings document (YAML or JSON: one unit, or a batch with `units:`) as the body, "
                       "or a multipart form with one or more files in the field `file` (findings files or filled forms, .xlsx).",
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"}}}}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qlrules",
            "version": __version__,
            "summary": "Score agencies against an integrity-assessment rubric, exactly and explained.",
            "description": "The scorer of `qlrules score` over HTTP (`qlrules serve`). Reports are byte for byte what "
                           "`qlrules score --format json` prints. Every refusal is JSON with a stable `code`, the message "
                           "the command line gives, in the request's language, and the place of each problem.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "http://127.0.0.1:8080", "description": "`qlrules serve` with its defaults"}],
        "security": [{}, {"bearer": []}],
        "paths": {
            "/v1/score": {"post": {
                "operationId": "score",
                "summary": "Score findings: the report of `qlrules score --format json`",
                "parameters": [
                    {"name": "rubric", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "The rubric's id; the first one the server loaded when not given."},
                    {"name": "trace", "in": "query", "required": False, "schema": {"type": "boolean", "default": True},
                     "description": "`false` leaves each report's `trace` out."},
                    {"name": "format", "in": "query", "required": False, "schema": {"enum": ["json", "xlsx"], "default": "json"},
                     "description": "`xlsx`: the workbook of `qlrules score -o report.xlsx` instead."},
                    _LANG_PARAMETER,
                ],
                "requestBody": findings_body,
                "responses": {
                    "200": {"description": "The report: an object for one unit, `{\"units\": [...]}` for a batch.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                            "schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}}},
                    **_refusals("400", "401", "404", "413", "422", "503"),
                },
            }},
            "/v1/rubrics": {"get": {
                "operationId": "listRubrics",
                "summary": "The rubrics this server loaded at start",
                "responses": {"200": {"description": "Each rubric's id, title, year, edition, points and sha256.",
                                      "content": {"application/json": {"schema": {"type": "object", "properties": {
                                          "rubrics": {"type": "array", "items": {"$ref": "#/components/schemas/RubricSummary"}}}}}}},
                              **_refusals("401")},
            }},
            "/v1/rubrics/{id}": {"get": {
                "operationId": "getRubric",
                "summary": "One rubric as data: parts, clauses with their official wording and rule, grades, vetoes, groups",
                "parameters": [_RUBRIC_PARAMETER],
                "responses": {"200": {"description": "The rubric.", "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_refusals("401", "404")},
            }},
            "/v1/rubrics/{id}/findings.schema.json": {"get": {
                "operationId": "getFindingsSchema",
                "summary": "The JSON Schema (2020-12) of a valid findings document for the rubric (`qlrules schema`)",
                "parameters": [_RUBRIC_PARAMETER],
                "responses": {"200": {"description": "The schema.", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                              **_refusals("401", "404")},
            }},
            "/v1/check": {"post": {
                "operationId": "check",
                "summary": "Compile and lint a rubric: the diagnostics of `qlrules check --format json`",
                "parameters": [{"name": "strict", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
                                "description": "A warning makes the rubric not `ok`, as `--strict` does."}, _LANG_PARAMETER],
                "requestBody": {"required": True, "description": "The rubric's source (.qlr, UTF-8).",
                                "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {"200": {"description": "`{\"files\": [{\"file\", \"ok\", \"diagnostics\"}]}`",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Diagnostics"}}}},
                              **_refusals("401", "413", "503")},
            }},
            "/healthz": {"get": {
                "operationId": "health", "summary": "Whether the server is up, and how many rubrics it has", "security": [{}],
                "responses": {"200": {"description": "`{\"status\": \"ok\", \"rubrics\": N}`",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document", "security": [{}],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Only when the server was started with `--token-file`."}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message", "problems"],
                    "properties": {
                        "code": {"type": "string", "description": "Stable: `invalid-findings`, `unreadable-input`, `unknown-rubric`, "
                                 "`bad-request`, `no-findings`, `unauthorized`, `too-large`, `timeout`, `not-found`, "
                                 "`method-not-allowed`, `internal`."},
                        "message": {"type": "string", "description": "What `qlrules` prints on standard error, in the request's language."},
                        "problems": {"type": "array", "items": {"type": "object", "properties": {
                            "message": {"type": "string"}, "file": {"type": ["string", "null"]},
                            "unit": {"type": ["string", "null"]}, "clause": {"type": ["string", "null"]},
                            "where": {"type": ["string", "null"]}, "line": {"type": ["integer", "null"]},
                            "column": {"type": ["integer", "null"]}}}},
                    }}}},
                "RubricSummary": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}, "year": {"type": ["integer", "null"]},
                    "edition": {"type": ["string", "null"]}, "points": {"type": "number"}, "sha256": {"type": "string"}}},
                "Report": {"type": "object", "description": "The report of docs/scoring.md, “The report”; a batch is `{\"units\": [...]}`.",
                           "properties": {"unit": {"type": "string"}, "total": {"type": "number"}, "grade": {"type": ["string", "null"]},
                                          "units": {"type": "array", "items": {"type": "object"}}}},
                "Diagnostics": {"type": "object", "properties": {"files": {"type": "array", "items": {"type": "object", "properties": {
                    "file": {"type": "string"}, "ok": {"type": "boolean"},
                    "diagnostics": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": "string"}, "severity": {"enum": ["error", "warning"]}, "file": {"type": "string"},
                        "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]}, "message": {"type": "string"}}}}}}}}},
            },
        },
    }


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, methods in doc["paths"].items() for method, operation in methods.items()]


def markdown(doc: dict[str, Any]) -> str:
    """The API reference page of the docs (MyST), made from the document."""
    lines = ["# HTTP API", "",
             "<!-- Generated from src/qlrules/serve/openapi.py by `python -m qlrules.serve.openapi > docs/http-api.md`;",
             "     tests/test_serve.py fails when this page and the document differ. -->", "",
             doc["info"]["description"], "",
             "Start the service with `qlrules serve` ({doc}`serve` describes it, and the page it serves at `/`); "
             "`GET /openapi.json` gives this document as OpenAPI 3.1.", ""]
    for path, method, operation in _operations(doc):
        lines += [f"## `{method.upper()} {path}`", "", operation["summary"], ""]
        parameters = operation.get("parameters", [])
        if parameters:
            lines += ["| parameter | in | what |", "|---|---|---|"]
            lines += [f"| `{p['name']}` | {p['in']} | {p['description']} |" for p in parameters]
            lines.append("")
        if "requestBody" in operation:
            lines += ["Body: " + operation["requestBody"]["description"], ""]
        lines += ["| status | what |", "|---|---|"]
        lines += [f"| {status} | {response['description']} |" for status, response in operation["responses"].items()]
        lines.append("")
    return "\n".join(lines)


def html_page(doc: dict[str, Any]) -> str:
    """``GET /docs``: the document as a plain page (no script, nothing fetched from elsewhere)."""
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(doc['info']['title'])} HTTP API</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
             "code{background:#f3f3f3;padding:0 .2rem}</style></head><body>",
             f"<h1>{e(doc['info']['title'])} {e(doc['info']['version'])}: HTTP API</h1>",
             f"<p>{e(doc['info']['description'])}</p><p><a href='/openapi.json'>openapi.json</a></p>"]
    for path, method, operation in _operations(doc):
        parts.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(operation['summary'])}</p>")
        if operation.get("parameters"):
            parts.append("<table><tr><th>parameter</th><th>in</th><th>what</th></tr>")
            parts += [f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}</td><td>{e(p['description'])}</td></tr>"
                      for p in operation["parameters"]]
            parts.append("</table>")
        parts.append("<table><tr><th>status</th><th>what</th></tr>")
        parts += [f"<tr><td>{e(s)}</td><td>{e(r['description'])}</td></tr>" for s, r in operation["responses"].items()]
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover - the docs page's build step
    print(markdown(document()), end="")
