"""Compiled rubrics kept between runs, so a command that scores pays for no parser.

A rubric compiles in tens of milliseconds, most of it importing and running
Lark; unpickling the compiled model takes about a millisecond. Entries are
keyed by the SHA-256 of the rubric's bytes, its source name and the qlrules
version, so an edited file or a new release never reads a stale entry. Writes
go to a temporary file renamed into place (atomic, so concurrent writers
are safe); a cache directory that cannot be written (a read-only install, a
locked-down home) just means no cache. Set ``QLRULES_CACHE_DIR`` to move it,
or to an empty string to turn it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from ..model import Rubric

#: Bump when the pickled shape of the model changes without a version bump.
FORMAT = 2


def cache_dir() -> Path | None:
    """Where compiled rubrics are kept, or None when caching is off."""
    configured = os.environ.get("QLRULES_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("qlrules"))


def _entry(data: bytes, source: str) -> Path | None:
    from .. import __version__

    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(b"%d\0%s\0%s\0" % (FORMAT, __version__.encode(), source.encode()) + data).hexdigest()
    return directory / f"{key}.pickle"


def load(data: bytes, source: str) -> Rubric | None:
    """The rubric compiled earlier from exactly these bytes, if the cache has it."""
    entry = _entry(data, source)
    if entry is None:
        return None
    try:
        with entry.open("rb") as f:
            rubric = pickle.load(f)  # noqa: S301 - our own cache, in the user's own directory
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return rubric if isinstance(rubric, Rubric) else None


def store(data: bytes, source: str, rubric: Rubric) -> None:
    """Keep ``rubric`` for next time; never fails the command that compiled it."""
    entry = _entry(data, source)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=entry.parent, delete=False, suffix=".part") as tmp:
            pickle.dump(rubric, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, entry)
    except OSError:
        try:
            os.unlink(tmp.name)
        except (OSError, UnboundLocalError):
            pass
