"""Data files inside the package: the bundled rubrics."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_file(folder: str, name: str) -> Path:
    """``rubrics/`` lives inside the wheel; in a source checkout, at its top."""
    packaged = _PACKAGE / folder / name
    if packaged.is_file():
        return packaged
    return _PACKAGE.parents[1] / folder / name
