"""`qlrules score UNIT --format json` from the cached plan (`qlrules.command`) against the full path.

On random and mutated units, in JSON and YAML files, on the seed rubric and the language-2
examples, the light path must write the same bytes as the full path (`qlrules.scoring.batch`)
or leave the unit to it, which then gives the same error. It must also really be taken, and
import neither attrs nor the model when it is; a plan entry that is missing or damaged only
means the full path runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import simplejson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qlrules
from qlrules import command as light
from qlrules.language import cache

from .conftest import ROOT, Cli, Run
from .test_fast_path import MANY, RUBRICS, units_for

RUBRIC_FILES = {"seed": None, **{path.stem: path for path in sorted((ROOT / "examples" / "rubrics").glob("*.qlr"))}}


@contextmanager
def full_path_only() -> Iterator[None]:
    with mock.patch.object(light, "score_one", return_value=False):
        yield


def both(cli: Cli, *args: str | Path) -> tuple[Run, Run]:
    """The command run as it is (light when it can) and with the light path turned off."""
    light_run = cli("score", *args)
    with full_path_only():
        full_run = cli("score", *args)
    return light_run, full_run


def assert_same(light_run: Run, full_run: Run) -> None:
    assert (light_run.exit_code, light_run.stdout_bytes, light_run.stderr_bytes) == \
        (full_run.exit_code, full_run.stdout_bytes, full_run.stderr_bytes)


def findings_text(unit: Any) -> str | None:
    """The unit as a JSON document (which YAML reads too), or None for values JSON cannot hold."""
    try:
        return str(simplejson.dumps(unit, use_decimal=True, ensure_ascii=False, allow_nan=False, indent=1))
    except (TypeError, ValueError):
        return None


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="qlrules-light-") as name:
        yield Path(name)


@settings(MANY, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.parametrize("name", sorted(RUBRICS))
@given(data=st.data())
def test_the_light_path_writes_what_the_full_path_writes(name: str, folder: Path, cli: Cli, data: st.DataObject) -> None:
    text = findings_text(data.draw(units_for(RUBRICS[name])))
    if text is None:
        return
    rubric = RUBRIC_FILES[name]
    suffix = data.draw(st.sampled_from([".json", ".yaml", ".yml"]))
    unit = folder / f"unit{suffix}"
    unit.write_text(text, encoding="utf-8")
    options = ["--format", "json", *(["--rubric", str(rubric)] if rubric else [])]
    assert_same(*both(cli, unit, *options))


def test_the_light_path_is_taken_once_the_plan_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(tmp_path / "cache"))
    unit = ROOT / "examples" / "unit.yaml"
    assert light._report(unit, None) is None  # nothing cached yet: the full path runs, and stores the plan
    first = cli("score", unit, "--format", "json")
    text = light._report(unit, None)
    assert text is not None and first.stdout == text + "\n"
    with full_path_only():
        assert cli("score", unit, "--format", "json").stdout == first.stdout


def test_an_entry_without_its_plan_gets_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(tmp_path / "cache"))
    qlrules.load_rubric()
    plans = list((tmp_path / "cache").glob(f"*{cache.PLAN_SUFFIX}"))
    assert len(plans) == 1
    plans[0].unlink()
    qlrules.load_rubric()  # from the cache: the plan entry is written again
    assert plans[0].is_file()


@pytest.mark.parametrize("damage", [
    lambda b: b[:-20],
    lambda b: b.replace(b"qlrules-plan", b"qlrules-rubric", 1),
    lambda b: b[: b.index(b"\n") + 1] + b"{}",
    lambda b: b.replace(b'"format":1', b'"format":99'),
])
def test_a_damaged_plan_only_means_the_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli, damage: Any) -> None:
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(tmp_path / "cache"))
    unit = ROOT / "examples" / "unit.yaml"
    expected = cli("score", unit, "--format", "json")
    (plan,) = (tmp_path / "cache").glob(f"*{cache.PLAN_SUFFIX}")
    plan.write_bytes(damage(plan.read_bytes()))
    assert light._report(unit, None) is None
    assert_same(cli("score", unit, "--format", "json"), expected)


def test_a_plan_sealed_over_other_content_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sound header over a plan of another rubric (its SHA-256 not these bytes') is not used."""
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(tmp_path / "cache"))
    qlrules.load_rubric()
    (plan,) = (tmp_path / "cache").glob(f"*{cache.PLAN_SUFFIX}")
    stored = plan.read_bytes()
    content = stored[stored.index(b"\n") + 1:].replace(b'"sha256":"', b'"sha256":"0', 1)
    plan.write_bytes(cache._header(content, b"plan") + content)
    assert light._report(ROOT / "examples" / "unit.yaml", None) is None


def test_output_to_a_file_is_the_same(tmp_path: Path, cli: Cli) -> None:
    unit = ROOT / "examples" / "unit.yaml"
    cli("score", unit, "--format", "json")  # the plan is cached
    assert cli("score", unit, "-o", tmp_path / "light.json").exit_code == 0
    with full_path_only():
        assert cli("score", unit, "-o", tmp_path / "full.json").exit_code == 0
    assert (tmp_path / "light.json").read_bytes() == (tmp_path / "full.json").read_bytes()


def test_the_light_path_refuses_to_overwrite_its_input(tmp_path: Path, cli: Cli) -> None:
    unit = tmp_path / "unit.json"
    unit.write_text(simplejson.dumps({"unit": "单位", "findings": []}), encoding="utf-8")
    cli("score", unit, "--format", "json")
    light_run, full_run = both(cli, unit, "--format", "json", "-o", unit)
    assert light_run.exit_code == 1
    assert_same(light_run, full_run)


def test_scoring_from_the_plan_loads_neither_click_attrs_nor_the_model(tmp_path: Path) -> None:
    """A real process (what is imported is the point): the second run scores from the cached plan."""
    env = dict(os.environ, QLRULES_CACHE_DIR=str(tmp_path / "cache"))
    probe = ("import contextlib, io, sys\nfrom qlrules.command import main\n"
             f"sys.argv = ['qlrules', 'score', {str(ROOT / 'examples' / 'unit.yaml')!r}, '--format', 'json']\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    try:\n        main()\n    except SystemExit:\n        pass\n"
             "print(' '.join(sorted(m for m in ('attr', 'attrs', 'click', 'qlrules.model', 'qlrules.scoring.report', 'lark',"
             " 'simplejson') if m in sys.modules)))\n")
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True) for _ in range(2)]
    assert {"attrs", "click"} <= set(runs[0].stdout.split())  # the first compiles the rubric (or loads it) and stores the plan
    assert runs[1].stdout.strip() == ""


@pytest.mark.parametrize(("arguments", "call"), [
    (["score", "u.json", "--format", "json"], ("u.json", None)),
    (["score", "--format", "json", "u.yaml"], ("u.yaml", None)),
    (["score", "--rubric", "r.qlr", "u.json", "--format", "json"], ("u.json", "r.qlr")),
    (["score", "u.json"], None),  # the table
    (["score", "u.json", "--format", "csv"], None),
    (["score", "u.json", "--format=json"], None),
    (["score", "u.json", "--format", "json", "--format", "json"], None),
    (["score", "u.json", "v.json", "--format", "json"], None),
    (["score", "-", "--format", "json"], None),
    (["score", "u.json", "--format", "json", "-o", "out.json"], None),
    (["score", "u.json", "--format", "json", "--lang", "zh"], None),
    (["--lang", "zh", "score", "u.json", "--format", "json"], None),
    (["score", "u.json", "--format", "json", "--rubric"], None),
    (["score", "u.json", "--format", "json", "--rubric", "--help"], None),
    (["score", "--", "u.json", "--format", "json"], None),
    (["check", "u.json", "--format", "json"], None),
    ([], None),
])
def test_only_the_plainest_command_line_skips_click(arguments: list[str], call: tuple[str, str | None] | None) -> None:
    expected = None if call is None else (Path(call[0]), Path(call[1]) if call[1] else None)
    assert light.light_call(arguments) == expected


def program(*arguments: str | Path, env: dict[str, str], click_only: bool = False) -> subprocess.CompletedProcess[bytes]:
    """``qlrules ARGUMENTS`` in a real process: through its entry point, or straight to the click group."""
    code = "from qlrules.cli import main; main()" if click_only else "from qlrules.command import main; main()"
    return subprocess.run([sys.executable, "-c", f"import sys; sys.argv[0] = 'qlrules'; {code}", *map(str, arguments)],
                          env=env, capture_output=True, check=False)


def test_the_entry_point_answers_as_the_click_group_does(tmp_path: Path) -> None:
    """Scored, left to click (a missing file, a unit with an error): the same bytes, the same exit status."""
    env = dict(os.environ, QLRULES_CACHE_DIR=str(tmp_path / "cache"))
    bad = tmp_path / "bad.json"
    bad.write_text(simplejson.dumps({"unit": "单位", "findings": [{"clause": "9.9z", "count": 1}]}), encoding="utf-8")
    l2 = RUBRIC_FILES["guoqi-dflz"]
    calls = [
        ("score", ROOT / "examples" / "unit.yaml", "--format", "json"),
        ("score", "--format", "json", ROOT / "examples" / "unit.yaml"),
        ("score", bad, "--format", "json"),
        ("score", tmp_path / "missing.json", "--format", "json"),
        ("score", ROOT / "examples" / "unit.yaml", "--format", "json", "--rubric", tmp_path),
        ("score", bad, "--rubric", l2, "--format", "json"),
    ]
    for arguments in calls:
        program(*arguments, env=env)  # fills the cache
        entry, group = program(*arguments, env=env), program(*arguments, env=env, click_only=True)
        assert (entry.returncode, entry.stdout, entry.stderr) == (group.returncode, group.stdout, group.stderr), arguments
    assert program(*calls[0], env=env).returncode == 0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_interrupted_light_run_ends_as_click_ends_one(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    from qlrules.i18n import use_language

    with mock.patch.object(light, "score_one", side_effect=KeyboardInterrupt), use_language(language), \
            pytest.raises(SystemExit) as ended:
        light._answered(Path("u.json"), None)
    assert ended.value.code == 1
    assert capsys.readouterr().err == {"en": "Aborted!\n", "zh": "已中止!\n"}[language]


def test_an_error_at_the_output_is_reported_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    from qlrules.errors import InputError

    with mock.patch.object(light, "score_one", side_effect=InputError("out.json: cannot write")), pytest.raises(SystemExit) as ended:
        light._answered(Path("u.json"), None)
    assert ended.value.code == 1 and capsys.readouterr().err == "out.json: cannot write\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_read_once(tmp_path: Path) -> None:
    """A FIFO named like a findings file is left to the full path, which keeps its bytes to word an error (it read it twice)."""
    import threading

    fifo = tmp_path / "unit.json"
    os.mkfifo(fifo)
    unit = simplejson.dumps({"unit": "单位", "findings": [{"clause": "9.9z", "count": 1}]}).encode()

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(unit)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    env = dict(os.environ, QLRULES_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "qlrules", "score", str(fifo), "--format", "json"], env=env,
                          capture_output=True, timeout=60, check=False)
    feeder.join(5)
    assert done.returncode == 1 and b"9.9z" in done.stderr, done.stderr
