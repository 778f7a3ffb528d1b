"""`qlrules serve` through Starlette's test client: every endpoint, every error class, languages, the
token, the size and time limits, hostile input; reports byte for byte those of the command line."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import simplejson

import qlrules
from qlrules.i18n import current_language
from qlrules.serve import openapi, service

from .conftest import ROOT, Cli, cli  # noqa: F401
from .serving import FAMILY, client, filled_form

UNIT = ROOT / "examples" / "unit.yaml"
BATCH = ROOT / "examples" / "batch.yaml"
GOLDEN = sorted(p for p in (ROOT / "tests" / "golden").glob("*.yaml") if "# findings:" not in p.read_text("utf-8"))


@pytest.fixture(scope="module")
def api() -> Any:
    with client([ROOT / "rubrics" / "qinglian-jiguan.qlr", *FAMILY]) as c:  # the first is the default
        yield c


# -- POST /v1/score ------------------------------------------------------------------------------

@pytest.mark.parametrize("findings", [UNIT, BATCH, *GOLDEN], ids=lambda p: p.name)
def test_score_is_byte_for_byte_the_command(findings: Path, api: Any, cli: Cli) -> None:
    run = cli("score", findings, "--format", "json")
    answer = api.post("/v1/score", content=findings.read_bytes())
    assert run.exit_code == 0 and answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == run.stdout_bytes


def test_json_body_scores_as_the_yaml(api: Any, cli: Cli) -> None:
    document = {"unit": "市财政局", "findings": [{"clause": "0.1a", "count": 2}]}
    yaml_body = "unit: 市财政局\nfindings:\n  - clause: 0.1a\n    count: 2\n".encode()
    answer = api.post("/v1/score", content=json.dumps(document, ensure_ascii=False).encode(), headers={"content-type": "application/json"})
    assert answer.status_code == 200
    assert answer.content == api.post("/v1/score", content=yaml_body).content == cli("score", "-", "--format", "json", input=yaml_body).stdout_bytes


def test_trace_false_leaves_the_trace_out(api: Any, cli: Cli) -> None:
    whole = simplejson.loads(cli("score", BATCH, "--format", "json").stdout, use_decimal=True)
    answer = api.post("/v1/score?trace=false", content=BATCH.read_bytes())
    assert answer.status_code == 200
    for unit in whole["units"]:
        del unit["trace"]
    assert simplejson.loads(answer.text, use_decimal=True) == whole
    assert all("trace" not in unit for unit in answer.json()["units"])


def test_a_rubric_by_id(api: Any, cli: Cli, tmp_path: Path) -> None:
    import yaml

    rubric = ROOT / "examples" / "rubrics" / "guoqi-dflz.qlr"
    examples = [{k: v for k, v in u.items() if k != "expect"} for u in yaml.safe_load(rubric.with_suffix("").with_suffix(".examples.yaml").read_text("utf-8"))]
    findings = tmp_path / "units.json"
    findings.write_text(json.dumps({"units": examples}, ensure_ascii=False), "utf-8")
    answer = api.post("/v1/score?rubric=guoqi-dflz", content=findings.read_bytes())
    assert answer.status_code == 200, answer.text
    assert answer.content == cli("score", findings, "--rubric", rubric, "--format", "json").stdout_bytes
    assert {u["rubric"]["sha256"] for u in answer.json()["units"]} == {qlrules.load_rubric(rubric).sha256}


def test_filled_forms_score_as_the_command_scores_them(api: Any, cli: Cli, tmp_path: Path) -> None:
    first = filled_form(tmp_path / "甲.xlsx", "市财政局")
    second = filled_form(tmp_path / "乙.xlsx", "市审计局")
    files = [("file", ("甲.xlsx", first.read_bytes())), ("file", ("乙.xlsx", second.read_bytes()))]
    answer = api.post("/v1/score", files=files)
    run = cli("score", "甲.xlsx", "乙.xlsx", "--format", "json", cwd=tmp_path)
    assert answer.status_code == 200, answer.text
    assert answer.content == run.stdout_bytes
    one = api.post("/v1/score", content=first.read_bytes())  # a form as the body
    assert one.status_code == 200 and one.json()["total"] == 89.5


def test_the_workbook_is_the_commands(api: Any, cli: Cli, tmp_path: Path) -> None:
    answer = api.post("/v1/score?format=xlsx", content=BATCH.read_bytes())
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert cli("score", BATCH, "-o", tmp_path / "x.xlsx").exit_code == 0
    served = openpyxl.load_workbook(io.BytesIO(answer.content))
    made = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert served.sheetnames == made.sheetnames
    for name in made.sheetnames:
        assert [list(r) for r in served[name].iter_rows(values_only=True)] == [list(r) for r in made[name].iter_rows(values_only=True)]


# -- refusals ------------------------------------------------------------------------------------

def test_invalid_findings_get_the_commands_message_and_each_place(api: Any, cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "f.yaml"
    bad.write_text("unit: 甲\nfindings:\n  - clause: 0.1a\n    count: -1\n  - clause: 9.9z\n    count: 1\n", "utf-8")
    run = cli("score", "f.yaml", cwd=tmp_path)
    answer = api.post("/v1/score", files={"file": ("f.yaml", bad.read_bytes())})
    assert run.exit_code == 1 and answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid-findings"
    assert error["message"] + "\n" == run.stderr
    assert [(p["unit"], p["clause"], p["line"], p["file"]) for p in error["problems"]] == [
        ("甲", "0.1a", 4, "f.yaml"), ("甲", None, 5, "f.yaml")]


@pytest.mark.parametrize("language, header, query, word", [
    ("zh", "zh-CN,zh;q=0.9", "", "单位"), ("en", "en-US", "", "unit"), ("zh", "en;q=0.5, zh;q=0.8", "", "单位"),
    ("en", "zh-CN", "?lang=en", "unit"), ("zh", "", "?lang=zh", "单位"), ("en", "fr", "", "unit"),
])
def test_messages_are_in_the_requests_language(language: str, header: str, query: str, word: str, api: Any, cli: Cli) -> None:
    body = b"unit: x\nfindings:\n  - {clause: 0.1a, count: -1}\n"
    answer = api.post(f"/v1/score{query}", content=body, headers={"accept-language": header} if header else {})
    run = cli("--lang", language, "score", "-", input=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] + "\n" == run.stderr.replace("<stdin>", "<request>")
    assert word in answer.json()["error"]["message"]
    assert current_language() == "en"  # the request chose its language, not the process's


def test_a_report_follows_the_language_too(api: Any, cli: Cli) -> None:
    answer = api.post("/v1/score?lang=zh", content=UNIT.read_bytes())
    assert answer.content == cli("--lang", "zh", "score", UNIT, "--format", "json").stdout_bytes


@pytest.mark.parametrize("method, path, body, status, code", [
    ("post", "/v1/score?rubric=nope", b"unit: x\nfindings: []\n", 404, "unknown-rubric"),
    ("post", "/v1/score?rubric=../../etc/passwd", b"unit: x\nfindings: []\n", 404, "unknown-rubric"),
    ("get", "/v1/rubrics/..%2F..%2Fetc%2Fpasswd", None, 404, "not-found"),
    ("get", "/v1/rubrics/nope/findings.schema.json", None, 404, "unknown-rubric"),
    ("post", "/v1/score?trace=maybe", b"unit: x\nfindings: []\n", 400, "bad-request"),
    ("post", "/v1/score?format=pdf", b"unit: x\nfindings: []\n", 400, "bad-request"),
    ("post", "/v1/score", b"", 400, "no-findings"),
    ("post", "/v1/score", b"   \n", 400, "no-findings"),
    ("get", "/v1/nothing", None, 404, "not-found"),
    ("get", "/v1/score", None, 405, "method-not-allowed"),
    ("delete", "/v1/rubrics", None, 405, "method-not-allowed"),
])
def test_every_refusal_is_json_with_its_code(method: str, path: str, body: bytes | None, status: int, code: str, api: Any) -> None:
    answer = api.request(method.upper(), path, content=body)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["problems"], list)


HOSTILE: dict[str, bytes] = {
    "alias bomb": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                  b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "deep nesting": b"[" * 50000 + b"]" * 50000,
    "deep json": b'{"unit": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b', "findings": []}',
    "not utf-8": b"unit: \xff\xfe\nfindings: []\n",
    "binary": bytes(range(256)) * 8,
    "a damaged workbook": b"PK\x03\x04" + b"\x00" * 200,
    "a python tag": b"!!python/object/apply:os.system ['echo hi']\n",
    "a huge count": b"unit: x\nfindings:\n  - {clause: 0.1a, count: 99999999999999999999999999999999999}\n",
    "a huge amount": b"unit: x\nfindings:\n  - {clause: 6.1h, amount: 1e999999, reason: r}\n",
    "a lone surrogate": b'{"unit": "\\ud800", "findings": []}',
    "a list": b"- 1\n- 2\n",
    "a number": b"42",
    "nul bytes": b"unit: \x00\nfindings: []\n",
    "a duplicate unit": b"units:\n  - {unit: a, findings: []}\n  - {unit: a, findings: []}\n",
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_input_is_refused_never_a_500(body: bytes) -> None:
    with client(raise_server_exceptions=False) as c:
        answer = c.post("/v1/score", content=body)
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
        assert answer.json()["error"]["code"] in {"invalid-findings", "unreadable-input"}


def test_a_client_file_name_names_no_file_of_the_server(api: Any) -> None:
    answer = api.post("/v1/score", files={"file": ("../../../../etc/passwd", b"unit: x\nfindings: [{clause: nope, count: 1}]\n")})
    assert answer.status_code == 422
    assert answer.json()["error"]["problems"][0]["file"] == "passwd"
    listed = api.post("/v1/score", files={"file": ("/etc/hostname", b"unit: x\nfindings: []\n")})
    assert listed.status_code == 200 and listed.json()["unit"] == "x"  # the bytes sent, not the server's file


def test_the_size_limit(tmp_path: Path) -> None:
    with client(max_body=1000) as c:
        declared = c.post("/v1/score", content=b"unit: x\nfindings: []\n" + b"#" * 2000)
        assert declared.status_code == 413 and declared.json()["error"]["code"] == "too-large"

        def chunks() -> Any:  # no Content-Length: the limit counts what is read
            for _ in range(30):
                yield b"#" * 100

        streamed = c.post("/v1/score", content=chunks())
        assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too-large"
        form = c.post("/v1/score", files={"file": ("a.yaml", b"#" * 5000)})
        assert form.status_code == 413
        assert c.post("/v1/score", content=b"unit: x\nfindings: []\n").status_code == 200


def test_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any) -> bytes:
        time.sleep(1.0)
        return b"{}"

    monkeypatch.setattr(service, "score_uploads", slow)
    with client(timeout=0.2) as c:
        started = time.perf_counter()
        answer = c.post("/v1/score?lang=zh", content=b"unit: x\nfindings: []\n")
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "timeout"
        assert "0.2" in answer.json()["error"]["message"] and time.perf_counter() - started < 0.9


def test_a_bug_is_a_logged_500(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any) -> bytes:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "score_uploads", broken)
    with client(raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "qlrules.serve"):
        answer = c.post("/v1/score", content=b"unit: x\nfindings: []\n")
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal"
    assert "a bug" in caplog.text


def test_the_token(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token\n", "utf-8")
    with client(token_file=token) as c:
        body = b"unit: x\nfindings: []\n"
        for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic s3cret-token"}, {"authorization": "Bearer"}):
            answer = c.post("/v1/score", content=body, headers=headers)
            assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
            assert answer.headers["www-authenticate"] == "Bearer"
        assert c.post("/v1/score", content=body, headers={"authorization": "Bearer s3cret-token"}).status_code == 200
        assert c.get("/v1/rubrics").status_code == 401
        assert c.get("/healthz").status_code == 200 and c.get("/openapi.json").status_code == 200
        assert c.get("/").status_code == 200 and 'id="token"' in c.get("/").text
        assert c.post("/ui/score", files={"file": ("a.yaml", body)}).status_code == 401


def test_an_empty_token_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    token = tmp_path / "token"
    token.write_text("\n", "utf-8")
    run = cli("serve", "--token-file", token)
    assert run.exit_code == 1 and "token file is empty" in run.stderr


def test_one_access_log_line_per_request(api: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "qlrules.serve.access"):
        api.get("/healthz")
        api.post("/v1/score?trace=false", content=b"unit: x\nfindings: []\n")
        api.get("/nope")
    lines = [r.getMessage() for r in caplog.records if r.name == "qlrules.serve.access"]
    assert len(lines) == 3
    assert '"GET /healthz" 200' in lines[0] and '"POST /v1/score?trace=false" 200' in lines[1] and '"GET /nope" 404' in lines[2]


# -- the other endpoints ---------------------------------------------------------------------------

def test_rubrics_lists_what_was_loaded(api: Any) -> None:
    listed = api.get("/v1/rubrics").json()["rubrics"]
    loaded = [qlrules.load_rubric(p) for p in [ROOT / "rubrics" / "qinglian-jiguan.qlr", *FAMILY]]
    assert [(r["id"], r["title"], r["sha256"]) for r in listed] == [
        (Path(r.source).stem, r.title, r.sha256) for r in loaded]


def test_one_rubric_as_data(api: Any) -> None:
    seed = qlrules.load_rubric()
    detail = api.get("/v1/rubrics/qinglian-jiguan").json()
    assert detail["sha256"] == seed.sha256 and len(detail["sections"]) == len(seed.sections)
    clauses = {c["id"]: c for s in detail["sections"] for part in [s, *s["topics"]] for i in part["items"] for c in i["clauses"]}
    assert set(clauses) == {c.id for c in seed.clauses}
    assert clauses["6.1h"]["text"] == seed.clause_index["6.1h"].text
    assert clauses["6.1h"]["rule"].startswith("discretionary replaces 6.1b")
    assert [a["id"] for g in detail["adjustment_groups"] for a in g["adjustments"]] == [a.id for a in seed.adjustments]
    graded = api.get("/v1/rubrics/guoqi-dflz").json()
    assert [g["name"] for g in graded["grades"]["grades"]] == ["优秀", "达标", "不达标"]
    assert [v["id"] for v in graded["vetoes"]["vetoes"]] == [v.id for v in qlrules.load_rubric(FAMILY[0]).vetoes]


def test_the_findings_schema_is_the_commands(api: Any, cli: Cli) -> None:
    for path in FAMILY:
        answer = api.get(f"/v1/rubrics/{path.stem}/findings.schema.json")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/schema+json"
        assert answer.content == cli("schema", "--rubric", path).stdout_bytes
        jsonschema.Draft202012Validator.check_schema(answer.json())


def test_check_gives_the_commands_diagnostics(api: Any, cli: Cli, tmp_path: Path) -> None:
    rubric = tmp_path / "r.qlr"
    rubric.write_text('rubric "x" points 10\nsection S1 "a" points 5\n  item 1.1 "b" points 5\n    text "t"\n    1.1a "c" oncex -1\n', "utf-8")
    run = json.loads(cli("check", "--format", "json", rubric).stdout)["files"][0]
    answer = api.post("/v1/check", content=rubric.read_bytes())
    assert answer.status_code == 200
    served = answer.json()["files"][0]
    assert served["file"] == "<request>" and served["ok"] is False
    assert [{**d, "file": None} for d in served["diagnostics"]] == [{**d, "file": None} for d in run["diagnostics"]]
    good = api.post("/v1/check?strict=true", content=(ROOT / "rubrics" / "qinglian-jiguan.qlr").read_bytes()).json()
    assert good["files"][0]["ok"] is True
    chinese = api.post("/v1/check", content=rubric.read_bytes(), headers={"accept-language": "zh"}).json()
    assert chinese["files"][0]["diagnostics"][0]["message"] != served["diagnostics"][0]["message"]
    assert api.post("/v1/check", content=b"\xff\xfe").json()["files"][0]["diagnostics"][0]["code"] == "unreadable"


def test_healthz(api: Any) -> None:
    assert api.get("/healthz").json() == {"status": "ok", "rubrics": 4}


def test_openapi_describes_every_route_and_is_well_formed(api: Any) -> None:
    document = api.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    routes = {(r.path, m.lower()) for r in api.app.routes for m in (r.methods or []) if m != "HEAD"}
    api_routes = {(p, m) for p, m in routes if not p.startswith("/ui") and p not in ("/", "/docs")}
    described = {(p, m) for p, methods in document["paths"].items() for m in methods}
    assert described == api_routes
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert operation["operationId"] and operation["summary"] and operation["responses"], (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter["in"] != "path" or "{" + parameter["name"] + "}" in path

    def refs(value: Any) -> list[str]:
        if isinstance(value, dict):
            return ([value["$ref"]] if "$ref" in value else []) + [r for v in value.values() for r in refs(v)]
        return [r for v in value for r in refs(v)] if isinstance(value, list) else []

    for ref in refs(document):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in document["components"]["schemas"]
    for schema in document["components"]["schemas"].values():  # OpenAPI 3.1 schemas are JSON Schema 2020-12
        jsonschema.Draft202012Validator.check_schema(schema)
    page = api.get("/docs")
    assert page.status_code == 200 and "/v1/score" in page.text


def test_the_api_page_of_the_docs_is_generated_from_the_document() -> None:
    """docs/http-api.md is `python -m qlrules.serve.openapi`'s output: regenerate it when the document changes."""
    page = ROOT / "docs" / "http-api.md"
    expected = openapi.markdown(openapi.document())
    if page.read_text("utf-8") != expected and __import__("os").environ.get("QLRULES_REGEN_GOLDEN"):
        page.write_text(expected, "utf-8")
    assert page.read_text("utf-8") == expected


# -- the page, without a browser -----------------------------------------------------------------

def test_the_page_is_chinese_by_default_and_english_on_request(api: Any) -> None:
    chinese = api.get("/")
    assert chinese.status_code == 200 and 'lang="zh-CN"' in chinese.text
    english = api.get("/?lang=en")
    assert 'lang="en"' in english.text and "Score units against a rubric" in english.text
    assert all(f'value="{p.stem}"' in chinese.text for p in FAMILY)


def test_the_page_escapes_what_uploads_say(api: Any) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    body = json.dumps({"unit": hostile, "findings": [{"clause": "0.1a", "count": 1, "evidence": hostile}]}).encode()
    page = api.post("/ui/score?lang=en", files={"file": ("x.json", body)}, data={"rubric": "qinglian-jiguan"})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    refused = api.post("/ui/score", files={"file": ("<b>x</b>.yaml", b"unit: '<i>u</i>'\nfindings: [{clause: nope, count: 1}]\n")})
    assert refused.status_code == 422 and "<i>u</i>" not in refused.text and "&lt;i&gt;u&lt;/i&gt;" in refused.text


def test_the_page_download_is_the_workbook(api: Any, tmp_path: Path) -> None:
    form = filled_form(tmp_path / "甲.xlsx")
    answer = api.post("/ui/report.xlsx", files={"file": ("甲.xlsx", form.read_bytes())}, data={"rubric": "qinglian-jiguan"})
    assert answer.status_code == 200 and answer.content.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert "市财政局" in book.sheetnames


def test_the_page_signs_each_entry_as_every_other_output_does(api: Any) -> None:
    """Deductions negative, what 注2 gives back and awards positive: the JSON `change` of each entry."""
    import re
    from decimal import Decimal

    from qlrules.numbers import signed

    page = api.post("/ui/score?lang=en", files={"file": ("unit.yaml", UNIT.read_bytes())}, data={"rubric": "qinglian-jiguan"})
    assert page.status_code == 200
    (report,) = qlrules.score_file(UNIT, qlrules.load_rubric())
    rows = re.findall(r'<tr class="entry ([\w-]+)"><td>([^<]*)</td><td>[^<]*</td><td class="n">([^<]*)</td>', page.text)
    shown = [(effect, clause, amount) for effect, clause, amount in rows]
    assert shown == [(e["effect"], e["clause"], signed(Decimal(str(e["change"])))) for e in report.to_dict()["trace"]]
    assert ("deducted", "6.1d", "\u221210") in shown and ("item-cap", "6.1d", "+2") in shown
    assert ("adjusted", "A3", "+0.5") in shown and ("replaced", "6.1b", "0") in shown
