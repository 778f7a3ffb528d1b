"""Compiled rubrics kept between runs, so a command that scores pays for no parser.

A rubric compiles in tens of milliseconds, most of it importing and running
Lark; reading the compiled model back takes a few milliseconds. Entries are
keyed by the SHA-256 of the rubric's bytes, its source name and the qlrules
version, so an edited file or a new release never reads a stale entry.

An entry holds data, not code: a header line with the format version and the
SHA-256 of the content, then the rubric as plain JSON
(`qlrules.language.serialize`), which names only the model's own classes.
Reading one runs nothing it contains; an entry of another format, damaged
(its digest does not match), or not a rubric this module wrote (for other
bytes or another source) is ignored, and replaced once the rubric is
compiled again: a bad entry costs a compile, never a wrong rubric or an
error. Writes
go to a temporary file renamed into place (atomic, so concurrent writers
are safe); a cache directory that cannot be written (a read-only install, a
locked-down home) just means no cache. Set ``QLRULES_CACHE_DIR`` to move it,
or to an empty string to turn it off.

Beside each rubric entry, a rubric the hot path can score has a plan entry (`PLAN_SUFFIX`): the
kernel's plain-data plan (`qlrules.scoring.kernel.Plan.to_data`), with a header of its own.
`qlrules score` of one unit to JSON reads only that (`load_plan`), so it loads neither attrs
nor the model. It is written with the rubric entry, and again by `load` when it is missing.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Rubric
    from ..scoring.kernel import Plan

#: Bump when the stored shape of the model changes without a version bump.
FORMAT = 5
#: What an entry's file name ends with.
SUFFIX = ".qlrc"
#: What a plan entry's file name ends with (the same key as its rubric's entry).
PLAN_SUFFIX = ".qlrp"


def cache_dir() -> Path | None:
    """Where compiled rubrics are kept, or None when caching is off."""
    configured = os.environ.get("QLRULES_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    if os.name == "posix" and sys.platform != "darwin":
        # The XDG rule platformdirs applies on Linux and the BSDs, without importing it (a tenth
        # of a command's start): $XDG_CACHE_HOME when it is an absolute path, else ~/.cache.
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if os.path.isabs(base) else os.path.expanduser("~/.cache")) / "qlrules"
    import platformdirs  # macOS and Windows have their own places

    return Path(platformdirs.user_cache_dir("qlrules"))


def _entry(data: bytes, source: str) -> Path | None:
    from .. import __version__

    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(b"%d\0%s\0%s\0" % (FORMAT, __version__.encode(), source.encode()) + data).hexdigest()
    return directory / f"{key}{SUFFIX}"


def _header(content: bytes, kind: bytes = b"rubric") -> bytes:
    """An entry's first line: what it holds, the format, and the SHA-256 of the content after it."""
    return b"qlrules-%s %d sha256:%s\n" % (kind, FORMAT, hashlib.sha256(content).hexdigest().encode())


def _content(entry: Path, kind: bytes = b"rubric") -> bytes | None:
    """What ``entry`` holds after its header, if it can be read and its header is sound."""
    try:
        stored = entry.read_bytes()
    except OSError:
        return None
    newline = stored.find(b"\n") + 1
    content = stored[newline:]
    if not newline or stored[:newline] != _header(content, kind):
        return None  # another format, truncated, or damaged
    return content


def load(data: bytes, source: str) -> Rubric | None:
    """The rubric compiled earlier from exactly these bytes, if the cache has a sound entry for it."""
    entry = _entry(data, source)
    if entry is None:
        return None
    content = _content(entry)
    if content is None:
        return None
    from .serialize import from_data

    try:
        rubric = from_data(content)
    except ValueError:
        return None
    if rubric.source != source or rubric.sha256 != hashlib.sha256(data).hexdigest():
        return None  # sound, but compiled from something else
    if not entry.with_suffix(PLAN_SUFFIX).is_file():
        _store_plan(entry, rubric)  # an entry written before plans were, or a plan entry removed
    return rubric


def load_plan(data: bytes, source: str) -> Plan | None:
    """The scoring plan of the rubric compiled earlier from exactly these bytes, if the cache has a sound one."""
    entry = _entry(data, source)
    if entry is None:
        return None
    content = _content(entry.with_suffix(PLAN_SUFFIX), b"plan")
    if content is None:
        return None
    import json

    from ..scoring.kernel import Plan

    try:
        plan = Plan.from_data(json.loads(content))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    if plan.sha256 != hashlib.sha256(data).hexdigest():
        return None  # sound, but made from something else
    return plan


def store(data: bytes, source: str, rubric: Rubric) -> None:
    """Keep ``rubric`` for next time; never fails the command that compiled it."""
    entry = _entry(data, source)
    if entry is None:
        return
    from .serialize import to_data

    content = to_data(rubric)
    _write(entry, _header(content) + content)
    _store_plan(entry, rubric)


def _store_plan(entry: Path, rubric: Rubric) -> None:
    """Keep the rubric's scoring plan beside its entry, when the hot path can score it at all."""
    plan = rubric._plan.kernel
    if not plan.usable:
        return
    import json

    content = json.dumps(plan.to_data(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write(entry.with_suffix(PLAN_SUFFIX), _header(content, b"plan") + content)


def _write(entry: Path, data: bytes) -> None:
    """``data`` as ``entry``, atomically, or nothing at all when the folder cannot be written."""
    import tempfile  # only here: a command that finds its entries never writes them

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=entry.parent, delete=False, suffix=".part") as tmp:
            tmp.write(data)
        os.replace(tmp.name, entry)
    except OSError:
        try:
            os.unlink(tmp.name)
        except (OSError, UnboundLocalError):
            pass
