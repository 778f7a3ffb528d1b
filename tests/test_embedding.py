"""Embedding: compiled rubrics and reports are immutable, picklable, shareable across threads and processes, cached."""

from __future__ import annotations

import os
import pickle
import stat
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest

import qlrules
from qlrules._data import bundled_rubric
from qlrules.language import cache

UNIT = {"unit": "市财政局", "findings": [{"clause": "6.1c", "cases": ["C1"]}, {"clause": "11.4b", "cases": ["C1"]},
                                       {"clause": "0.1a", "count": 2}, {"clause": "A3", "count": 1}]}


def _units(n: int) -> list[dict[str, Any]]:
    return [{"unit": f"单位{k}", "findings": [{"clause": "0.1a", "count": k % 4}, {"clause": "6.1d", "count": k % 3}]} for k in range(n)]


def test_rubric_and_report_pickle_round_trip(seed: qlrules.Rubric) -> None:
    assert pickle.loads(pickle.dumps(seed)) == seed
    report = seed.score(UNIT)
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again.to_dict() == report.to_dict()


def test_rubric_and_report_are_immutable(seed: qlrules.Rubric) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        seed.title = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        seed.score(UNIT).unit = "x"  # type: ignore[misc]


def test_one_rubric_scores_in_many_threads(seed: qlrules.Rubric) -> None:
    units = _units(400)
    expected = [seed.score(u).total for u in units]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda u: seed.score(u).total, units)) == expected


def _score_in_worker(args: tuple[qlrules.Rubric, dict[str, Any]]) -> qlrules.Report:
    rubric, unit = args
    return rubric.score(unit)


def test_rubric_maps_over_a_process_pool(seed: qlrules.Rubric) -> None:
    """What a distributed engine needs: the compiled rubric travels by pickle, reports come back."""
    units = _units(50)
    with ProcessPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(_score_in_worker, [(seed, u) for u in units]))
    assert [r.to_dict() for r in reports] == [seed.score(u).to_dict() for u in units]


def test_score_many_streams(seed: qlrules.Rubric) -> None:
    """Reports come one at a time: the first arrives before the input is exhausted."""
    consumed = []

    def units() -> Any:
        for unit in _units(1000):
            consumed.append(unit["unit"])
            yield unit

    stream = seed.score_many(units())
    first = next(stream)
    assert first.unit == "单位0" and len(consumed) == 1
    assert sum(1 for _ in stream) == 999


def test_score_many_refuses_a_repeated_unit(seed: qlrules.Rubric) -> None:
    with pytest.raises(qlrules.FindingsError, match="twice"):
        list(seed.score_many([UNIT, UNIT]))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(directory))
    return directory


def test_cache_is_used_and_keyed_by_the_bytes(cache_dir: Path, tmp_path: Path) -> None:
    rubric_file = tmp_path / "r.qlr"
    rubric_file.write_bytes(bundled_rubric()[0].read_bytes())
    first = qlrules.load_rubric(rubric_file)
    (entry,) = cache_dir.glob("*" + cache.SUFFIX)
    assert qlrules.load_rubric(rubric_file) == first
    rubric_file.write_text(rubric_file.read_text(encoding="utf-8").replace("扣0.5分\" each 项 −0.5 of 3", "扣0.5分\" each 项 −0.5 of 2"), encoding="utf-8")
    edited = qlrules.load_rubric(rubric_file)
    assert edited.clause_index["0.1a"].of == 2
    assert len(list(cache_dir.glob("*" + cache.SUFFIX))) == 2


def test_a_corrupt_cache_entry_is_recompiled(cache_dir: Path) -> None:
    rubric = qlrules.load_rubric()
    (entry,) = cache_dir.glob("*" + cache.SUFFIX)
    entry.write_bytes(b"not an entry")
    assert qlrules.load_rubric() == rubric
    data = bundled_rubric()[0].read_bytes()
    assert cache.load(data, "rubrics/qinglian-jiguan.qlr") == rubric  # rewritten


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_directory_means_no_cache(cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert qlrules.load_rubric().points == 100
        assert list(cache_dir.iterdir()) == []
    finally:
        cache_dir.chmod(stat.S_IRWXU)


def test_an_unwritable_cache_location_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(blocker / "cache"))  # a directory cannot be made under a file
    assert qlrules.load_rubric().points == 100


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QLRULES_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert qlrules.load_rubric().points == 100


def test_concurrent_writers_leave_a_valid_entry(cache_dir: Path) -> None:
    data = bundled_rubric()[0].read_bytes()
    rubric = qlrules.load_rubric(use_cache=False)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: cache.store(data, "rubrics/qinglian-jiguan.qlr", rubric), range(32)))
    assert cache.load(data, "rubrics/qinglian-jiguan.qlr") == rubric
    assert not list(cache_dir.glob("*.part"))


def test_import_qlrules_is_light(cache_dir: Path) -> None:
    """Neither the parser nor the renderers load with the package, or when scoring from the cache."""
    import subprocess
    import sys

    heavy = "print(sorted(m for m in ('lark', 'rich', 'openpyxl', 'babel', 'sphinx') if m in sys.modules))"
    env = {**os.environ, "QLRULES_CACHE_DIR": str(cache_dir)}
    first = subprocess.run([sys.executable, "-c", "import sys, qlrules; qlrules.load_rubric(); " + heavy],
                           capture_output=True, text=True, check=True, env=env)
    assert first.stdout.strip() == "['lark']"  # compiled, and cached
    code = "import sys, qlrules; r = qlrules.load_rubric(); r.score({'unit': 'u', 'findings': [{'clause': '0.1a', 'count': 1}]}); "
    done = subprocess.run([sys.executable, "-c", code + heavy], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "[]"
