"""The wheel carries the grammar and the bundled rubric, and an installed copy works outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = out.glob("qlrules-*.whl")
    return built


def test_wheel_contains_grammar_rubric_and_typing(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "qlrules/language/qlrules.lark" in names
    assert "qlrules/rubrics/qinglian-jiguan.qlr" in names
    assert "qlrules/py.typed" in names


def test_installed_copy_loads_the_bundled_rubric_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import qlrules, pathlib; r = qlrules.load_rubric(); "
        "assert pathlib.Path(qlrules.__file__).is_relative_to(pathlib.Path(r'%s')), qlrules.__file__; "
        "print(len(r.clauses), r.score({'unit': 'u', 'findings': [{'clause': '0.1a', 'count': 1}]}).total)" % target
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["89", "99.5"]
