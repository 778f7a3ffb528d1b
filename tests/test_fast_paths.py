"""The fast paths of the score command give exactly what the thorough paths give.

A `.json` findings file is read by the json module alone, and read again the way YAML
is read (which knows where each value stands) only when something is wrong: the units,
the problems and their positions must be the same either way, on valid, broken and
mutated documents. The output spool keeps text in memory until it grows, then in a file:
what reaches standard output is the same.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qlrules
from qlrules.errors import QlrulesError
from qlrules.io import output, stream
from qlrules.io.stream import UnitStream
from qlrules.language import cache

from .conftest import ROOT

BATCH: list[dict[str, Any]] = yaml.safe_load((ROOT / "examples" / "batch.yaml").read_text(encoding="utf-8"))["units"]


def _outcome(path: Path, rubric: qlrules.Rubric, keep_going: bool = False) -> tuple[Any, ...]:
    """The units a stream yields (as data), whether it is a batch, what it left out, and its error's text."""
    units_stream = UnitStream([path], rubric, keep_going=keep_going)
    units: list[Any] = []
    error = None
    try:
        for unit in units_stream:
            units.append((unit.name, repr(unit)))
    except QlrulesError as exc:
        error = (type(exc).__name__, str(exc))
    left_out = [m.to_dict() for m in units_stream.missing]
    return units, units_stream.batch, left_out, error


def _both(path: Path, rubric: qlrules.Rubric, monkeypatch: pytest.MonkeyPatch, keep_going: bool = False) -> None:
    fast = _outcome(path, rubric, keep_going)
    with monkeypatch.context() as patched:
        patched.setattr(stream, "_is_json", lambda source, data: False)
        thorough = _outcome(path, rubric, keep_going)
    assert fast == thorough


def _write(tmp_path: Path, text: str, name: str = "findings.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _batch_text(units: list[dict[str, Any]], indent: int | None = 2) -> str:
    return json.dumps({"units": units}, ensure_ascii=False, indent=indent)


CASES = {
    "a valid batch": _batch_text(BATCH),
    "a valid batch on one line": _batch_text(BATCH, indent=None),
    "one unit": json.dumps(BATCH[0], ensure_ascii=False, indent=2),
    "an unknown clause in the second unit": _batch_text(
        [BATCH[0], {**BATCH[1], "findings": [{"clause": "6.1z", "count": 1}]}, BATCH[2]]),
    "a name given twice": _batch_text([BATCH[0], BATCH[1], {**BATCH[2], "unit": BATCH[0]["unit"]}]),
    "a key given twice": '{"units": [{"unit": "甲", "unit": "乙", "findings": []}]}',
    "not JSON": '{"units": [{"unit": "甲", "findings": [}]}',
    "an infinite count": '{"unit": "甲", "findings": [{"clause": "0.1a", "count": Infinity}]}',
    "a lone surrogate": '{"unit": "甲", "findings": [{"clause": "0.1a", "count": 1, "evidence": "\\ud800"}]}',
    "another top-level key": '{"units": [], "rubric": "x"}',
    "units not a list": '{"units": {"unit": "甲"}}',
    "a list at the top": "[1, 2]",
    "empty": "   ",
    "a BOM": "\ufeff" + json.dumps(BATCH[0], ensure_ascii=False),
    "a float count": '{"unit": "甲", "findings": [{"clause": "0.1a", "count": 1.5}]}',
}


@pytest.mark.parametrize("text", list(CASES.values()), ids=list(CASES))
@pytest.mark.parametrize("keep_going", [False, True])
def test_plain_json_reads_like_the_thorough_reader(tmp_path: Path, seed: qlrules.Rubric, monkeypatch: pytest.MonkeyPatch,
                                                   text: str, keep_going: bool) -> None:
    _both(_write(tmp_path, text), seed, monkeypatch, keep_going)


def test_the_valid_batch_is_read_without_yaml(tmp_path: Path, seed: qlrules.Rubric, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_yaml(*args: Any) -> Any:
        raise AssertionError("the YAML reader ran on a valid JSON document")

    monkeypatch.setattr(stream, "_units_of_batch", no_yaml)
    units, batch, _left_out, error = _outcome(_write(tmp_path, _batch_text(BATCH)), seed)
    assert error is None and batch is True
    assert [name for name, _unit in units] == [u["unit"] for u in BATCH]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The example batch as JSON with a few characters deleted, inserted or replaced."""
    text = _batch_text(draw(st.permutations(BATCH)), indent=draw(st.sampled_from([None, 1, 2])))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1))
        change = draw(st.sampled_from(["delete", "insert", "replace"]))
        char = draw(st.sampled_from(list('{}[]",: 0123456789.-ax\n6') + ["1.", "ab"]))
        if change == "delete":
            text = text[:at] + text[at + 1:]
        elif change == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + char + text[at + 1:]
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated(), keep_going=st.booleans())
def test_mutated_json_reads_like_the_thorough_reader(tmp_path: Path, seed: qlrules.Rubric, monkeypatch: pytest.MonkeyPatch,
                                                     text: str, keep_going: bool) -> None:
    _both(_write(tmp_path, text), seed, monkeypatch, keep_going)


def test_standard_input_json_reads_like_the_thorough_reader(seed: qlrules.Rubric, monkeypatch: pytest.MonkeyPatch) -> None:
    for text in (CASES["a valid batch"], CASES["an unknown clause in the second unit"], CASES["a name given twice"]):
        outcomes = []
        for fast in (True, False):
            with monkeypatch.context() as patched:
                patched.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
                if not fast:
                    patched.setattr(stream, "_is_json", lambda source, data: False)
                outcomes.append(_outcome(Path("-"), seed))
        assert outcomes[0] == outcomes[1]


# -- the cache's place ---------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.uname().sysname == "Darwin", reason="the XDG rule is for Linux and the BSDs")
@pytest.mark.parametrize("xdg", [None, "", "relative/cache", "/tmp/some-xdg-cache"])
def test_the_cache_is_where_platformdirs_puts_it(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    import platformdirs

    monkeypatch.delenv("QLRULES_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("qlrules"))


# -- the output spool ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 10, 1000, 5000])
def test_standard_output_gets_the_whole_text_in_memory_or_spilled(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(output._TextSpool, "IN_MEMORY", 100)
    text = "".join(f"{n} 单位\n" for n in range(size))
    out = io.StringIO(newline="")
    with output.open_output(None, stdout=out) as handle:
        for line in text.splitlines(keepends=True):
            handle.write(line)
    assert out.getvalue() == (text if text.endswith("\n") else text + "\n")


def test_a_failed_run_writes_nothing_to_standard_output_even_spilled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output._TextSpool, "IN_MEMORY", 10)
    out = io.StringIO()
    with pytest.raises(RuntimeError), output.open_output(None, stdout=out) as handle:
        handle.write("x" * 100)
        raise RuntimeError
    assert out.getvalue() == ""


# -- compiling without Lark's positions ------------------------------------------------------------------------


def _compiled_both_ways(text: str, source: str = "r.qlr") -> tuple[Any, Any]:
    """What the compiling parser makes of ``text``, and what `parse_text` + `parse_tree` make of it."""
    from qlrules.errors import RubricError
    from qlrules.language import build, parse

    def outcome(compile_it: Any) -> Any:
        try:
            rubric = compile_it()
        except RubricError as error:
            return "error", error.render(limit=50)
        return rubric, rubric.warnings  # warnings are not part of a rubric's equality

    fast = outcome(lambda: qlrules.compile_rubric(text, source))
    thorough = outcome(lambda: build.parse_tree(parse.parse_text(text, source), text, source,
                                                __import__("hashlib").sha256(text.encode("utf-8")).hexdigest()))
    return fast, thorough


RUBRICS = sorted({*ROOT.glob("rubrics/*.qlr"), *ROOT.glob("examples/**/*.qlr"), *ROOT.glob("tests/fixtures/*.qlr"),
                  *ROOT.glob("docs/**/*.qlr")})


def test_the_keywords_are_what_the_other_parser_leaves_out() -> None:
    from qlrules.language import parse

    _lark, keywords = parse.compiling_parser()
    left_out = {s.name for r in parse.parser().rules for s in r.expansion if s.is_term and s.filter_out}
    assert keywords == left_out and "ONCE" in keywords


@pytest.mark.parametrize("path", RUBRICS, ids=[p.name for p in RUBRICS])
def test_every_rubric_compiles_to_the_same_model_with_the_same_positions(path: Path) -> None:
    fast, thorough = _compiled_both_ways(path.read_text(encoding="utf-8"), str(path))
    assert fast == thorough
    assert fast[0] != "error"


@st.composite
def edited_rubric(draw: st.DrawFn) -> str:
    """A rubric of the repository with a few lines dropped, doubled or swapped, or a word changed."""
    lines = draw(st.sampled_from(RUBRICS)).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["drop", "double", "swap", "word"]))
        if change == "drop":
            del lines[n]
        elif change == "double":
            lines.insert(n, lines[n])
        elif change == "swap" and n + 1 < len(lines):
            lines[n], lines[n + 1] = lines[n + 1], lines[n]
        elif change == "word":
            words = lines[n].split(" ")
            at = draw(st.integers(0, len(words) - 1))
            words[at] = draw(st.sampled_from(["once", "each", "−1", "0", "cap", "of", "3", '"x"', "item", "levels"]))
            lines[n] = " ".join(words)
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(text=edited_rubric())
def test_an_edited_rubric_compiles_or_fails_the_same_either_way(text: str) -> None:
    fast, thorough = _compiled_both_ways(text)
    assert fast == thorough
