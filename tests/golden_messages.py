"""Golden rendered error messages (tests/golden/errors/NAME.err.txt), shared by the error tests."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "errors"
REGEN = os.environ.get("QLRULES_REGEN_GOLDEN") == "1"


def golden_check(name: str, text: str) -> None:
    """``text`` is the message kept as NAME; with QLRULES_REGEN_GOLDEN=1, it becomes it (review the diff)."""
    path = GOLDEN / f"{name}.err.txt"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden message {path}; run with QLRULES_REGEN_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"the message for {name} changed; got:\n{text}"
