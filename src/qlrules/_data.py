"""Data files inside the package: the bundled rubrics."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The file name of the bundled seed rubric (附件2 清廉机关建设任务分工), scored when none is named.
BUNDLED_RUBRIC = "qinglian-jiguan.qlr"


def bundled_rubric() -> tuple[Path, str]:
    """The bundled rubric's file, and the source name its messages and its cache entry give it."""
    return data_file("rubrics", BUNDLED_RUBRIC), f"rubrics/{BUNDLED_RUBRIC}"


def data_file(folder: str, name: str) -> Path:
    """``rubrics/`` lives inside the wheel; in a source checkout, at its top."""
    packaged = _PACKAGE / folder / name
    if packaged.is_file():
        return packaged
    return _PACKAGE.parents[1] / folder / name
