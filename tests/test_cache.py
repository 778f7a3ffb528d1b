"""The compiled-rubric cache holds data, not code: a hostile or damaged entry is recompiled, never run or trusted."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qlrules
from qlrules._data import bundled_rubric
from qlrules.language import build, cache, serialize
from qlrules.model import meaning

from .conftest import Cli

SEED = bundled_rubric()[0].read_bytes()

UNITS = [
    {"unit": "市财政局", "findings": [{"clause": "6.1c", "cases": ["C1"]}, {"clause": "11.4b", "cases": ["C1"]},
                                  {"clause": "0.1a", "count": 2}, {"clause": "A3", "count": 1}]},
    {"unit": "市统计局", "findings": [{"clause": "0.1a", "count": 3}, {"clause": "6.1d", "count": 2}]},
]

#: A rubric the compiler warns about: a once rule deducting more than its item's points.
WARNED = """\
rubric "测试细则" points 3
  year 2024

section S0 "组织领导" points 3 owners "机关纪委"
  item 0.1 "学习部署" points 3
    text "学习部署,3分。"
    0.1a "未传达学习的,每项扣0.5分" each 项 −0.5 of 3
    0.1b "未部署的,扣1分" once −4
"""


class _Payload:
    """A pickle that, when loaded, creates ``marker`` (what a planted entry could do instead)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return open, (str(self.marker), "w")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("QLRULES_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def rubric_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.qlr"
    path.write_bytes(SEED)
    return path


def _entry(path: Path) -> Path:
    entry = cache._entry(path.read_bytes(), str(path))
    assert entry is not None
    return entry


def _scores(rubric: qlrules.Rubric) -> list[dict[str, Any]]:
    return [rubric.score(u).to_dict() for u in UNITS]


def _sealed(content: bytes, version: int = cache.FORMAT) -> bytes:
    """An entry whose header is right for ``content`` (its digest matches)."""
    return b"qlrules-rubric %d sha256:%s\n" % (version, hashlib.sha256(content).hexdigest().encode()) + content


def _fresh(path: Path) -> qlrules.Rubric:
    return qlrules.load_rubric(path, use_cache=False)


def _assert_recompiled_and_replaced(path: Path) -> None:
    """Loading gives the rubric a fresh compile gives (same scores), and leaves a sound entry."""
    fresh = _fresh(path)
    loaded = qlrules.load_rubric(path)
    assert loaded == fresh and meaning(loaded) == meaning(fresh)
    assert _scores(loaded) == _scores(fresh)
    assert cache.load(path.read_bytes(), str(path)) == fresh  # the bad entry was replaced


# -- the format --------------------------------------------------------------------------------


def test_the_round_trip_gives_an_equal_model(seed: qlrules.Rubric) -> None:
    """from_data(to_data(r)) equals r, in attrs equality and in meaning."""
    again = serialize.from_data(serialize.to_data(seed))
    assert again == seed and meaning(again) == meaning(seed)
    assert (again.source, again.sha256, again.span) == (seed.source, seed.sha256, seed.span)


def test_warnings_survive_the_round_trip() -> None:
    """A rubric's warnings (eq=False in the model) come back equal."""
    rubric = qlrules.compile_rubric(WARNED, "w.qlr")
    assert rubric.warnings
    assert serialize.from_data(serialize.to_data(rubric)).warnings == rubric.warnings


def test_an_entry_is_a_header_line_then_json(cache_dir: Path, rubric_file: Path) -> None:
    """What is written is the version and digest line, then the rubric as JSON, no pickle."""
    qlrules.load_rubric(rubric_file)
    stored = _entry(rubric_file).read_bytes()
    header, content = stored.split(b"\n", 1)
    assert header == b"qlrules-rubric %d sha256:%s" % (cache.FORMAT, hashlib.sha256(content).hexdigest().encode())
    assert content.startswith(b'["Rubric",')


def test_check_shows_the_same_warnings_from_the_cache(cache_dir: Path, tmp_path: Path, cli: Cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`qlrules check` prints the compiler's warnings alike when the rubric comes from the cache."""
    path = tmp_path / "w.qlr"
    path.write_text(WARNED, encoding="utf-8")
    first = cli("check", path)
    assert "warning" in first.stderr and _entry(path).exists()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled again: the cache was not used")

    monkeypatch.setattr(build, "compile_rubric", refuse)
    again = cli("check", path)
    assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, first.stderr)


# -- hostile and damaged entries ---------------------------------------------------------------


@pytest.mark.parametrize("sealed", [False, True], ids=["bare", "under-a-valid-header"])
def test_a_planted_pickle_runs_nothing(cache_dir: Path, rubric_file: Path, tmp_path: Path, sealed: bool) -> None:
    """A pickle that would run code, at the entry's exact path, is ignored and never run."""
    live = tmp_path / "live-marker"
    pickle.loads(pickle.dumps(_Payload(live)))  # the payload is live: loading it as a pickle runs it
    assert live.exists()
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Payload(marker))
    entry = _entry(rubric_file)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(_sealed(payload) if sealed else payload)
    _assert_recompiled_and_replaced(rubric_file)
    assert not marker.exists()


def _flip_header(stored: bytes) -> bytes:
    return stored[:20] + bytes([stored[20] ^ 1]) + stored[21:]


def _flip_number(stored: bytes) -> bytes:
    """A changed digit in a rate: the kind of damage that would score silently wrong."""
    at = stored.index(b'"-0.5"') + 4
    return stored[:at] + b"4" + stored[at + 1:]


def _flip_structure(stored: bytes) -> bytes:
    at = stored.index(b"[", stored.index(b"\n") + 2)
    return stored[:at] + b"{" + stored[at + 1:]


@pytest.mark.parametrize("damage", [_flip_header, _flip_number, _flip_structure], ids=["header", "number", "structure"])
def test_one_changed_byte_is_recompiled(cache_dir: Path, rubric_file: Path, damage: Callable[[bytes], bytes]) -> None:
    """A valid entry with one byte changed is not trusted: the rubric is compiled again, scoring the same."""
    qlrules.load_rubric(rubric_file)
    entry = _entry(rubric_file)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.load(rubric_file.read_bytes(), str(rubric_file)) is None
    _assert_recompiled_and_replaced(rubric_file)


@pytest.mark.parametrize("keep", [0, 10, 60, 2000], ids=["empty", "in-the-header", "after-the-header", "in-the-content"])
def test_a_truncated_entry_is_recompiled(cache_dir: Path, rubric_file: Path, keep: int) -> None:
    """An entry cut short (a full disk, a killed writer) is ignored and replaced."""
    qlrules.load_rubric(rubric_file)
    entry = _entry(rubric_file)
    entry.write_bytes(entry.read_bytes()[:keep])
    assert cache.load(rubric_file.read_bytes(), str(rubric_file)) is None
    _assert_recompiled_and_replaced(rubric_file)


def test_an_entry_of_another_version_is_ignored(cache_dir: Path, rubric_file: Path) -> None:
    """An entry sealed under another format number is not read, though its digest matches."""
    qlrules.load_rubric(rubric_file)
    entry = _entry(rubric_file)
    content = entry.read_bytes().split(b"\n", 1)[1]
    entry.write_bytes(_sealed(content, version=cache.FORMAT - 1))
    assert cache.load(rubric_file.read_bytes(), str(rubric_file)) is None
    _assert_recompiled_and_replaced(rubric_file)


def _rename_class(content: bytes) -> bytes:
    return content.replace(b'["Once",', b'["os.system",', 1)


def _drop_field(content: bytes) -> bytes:
    at = content.index(b'["Span",')
    end = content.index(b"]", at)
    return content[:at] + content[at:end].rsplit(b",", 1)[0] + content[end:]


def _bad_decimal(content: bytes) -> bytes:
    return content.replace(b'"-0.5"', b'"-0.5x"', 1)


def _nan_decimal(content: bytes) -> bytes:
    return content.replace(b'"-0.5"', b'"NaN"', 1)


def _number_for_a_string(content: bytes) -> bytes:
    rubric = json.loads(content)
    rubric[1] = 1  # the title
    return json.dumps(rubric, ensure_ascii=False, separators=(",", ":")).encode()


def _wrong_class(content: bytes) -> bytes:
    return content.replace(b'["Span",', b'["Band",', 1)


def _not_json(content: bytes) -> bytes:
    return content[:-1]


def _deep(content: bytes) -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("forge", [_rename_class, _drop_field, _bad_decimal, _nan_decimal, _number_for_a_string,
                                   _wrong_class, _not_json, _deep],
                         ids=["unknown-type", "missing-field", "bad-decimal", "nan", "wrong-field-type",
                              "wrong-class", "not-json", "too-deep"])
def test_a_sound_digest_over_content_that_is_not_a_rubric_is_ignored(
        cache_dir: Path, rubric_file: Path, forge: Callable[[bytes], bytes]) -> None:
    """Content whose digest matches but which is not a rubric this version wrote is ignored, not an error."""
    qlrules.load_rubric(rubric_file)
    entry = _entry(rubric_file)
    content = entry.read_bytes().split(b"\n", 1)[1]
    forged = forge(content)
    assert forged != content
    entry.write_bytes(_sealed(forged))
    assert cache.load(rubric_file.read_bytes(), str(rubric_file)) is None
    _assert_recompiled_and_replaced(rubric_file)


def test_a_sound_entry_of_another_rubric_is_ignored(cache_dir: Path, rubric_file: Path, tmp_path: Path) -> None:
    """A valid entry copied to another rubric's name is not taken for that rubric."""
    other = tmp_path / "w.qlr"
    other.write_text(WARNED, encoding="utf-8")
    qlrules.load_rubric(other)
    entry = _entry(rubric_file)
    entry.write_bytes(_entry(other).read_bytes())
    assert cache.load(rubric_file.read_bytes(), str(rubric_file)) is None
    _assert_recompiled_and_replaced(rubric_file)


# -- a cache that cannot be written ------------------------------------------------------------


def test_a_damaged_entry_that_cannot_be_replaced_still_compiles(cache_dir: Path, rubric_file: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With writing refused, a damaged entry just means compiling each time."""
    qlrules.load_rubric(rubric_file)
    entry = _entry(rubric_file)
    entry.write_bytes(b"damaged")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)  # cache imports it only to write
    assert _scores(qlrules.load_rubric(rubric_file)) == _scores(_fresh(rubric_file))
    assert entry.read_bytes() == b"damaged"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_cache_directory_still_serves_and_survives_damage(cache_dir: Path, rubric_file: Path,
                                                                      tmp_path: Path) -> None:
    """A read-only cache directory serves its sound entries and compiles past its damaged ones."""
    other = tmp_path / "w.qlr"
    other.write_text(WARNED, encoding="utf-8")
    qlrules.load_rubric(rubric_file)
    qlrules.load_rubric(other)
    _entry(other).write_bytes(b"damaged")
    cache_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert cache.load(rubric_file.read_bytes(), str(rubric_file)) == _fresh(rubric_file)
        assert qlrules.load_rubric(other) == _fresh(other)
    finally:
        cache_dir.chmod(stat.S_IRWXU)
