"""Files shipped with the package: the grammar and the bundled rubrics."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_file(folder: str, name: str) -> Traversable:
    """``grammar/`` and ``rubrics/`` live inside the wheel; in a source checkout, at its top."""
    packaged = resources.files("qlrules").joinpath(folder).joinpath(name)
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / folder / name
