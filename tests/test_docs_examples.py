"""The examples of docs/language.md (and README.md) are held to what the compiler does.

docs/language.md marks its fenced blocks:

- ```qlr — a complete rubric that compiles. If a ```text block follows it directly (nothing but
  blank lines between), that block is the warnings the compiler renders for it, one after another
  as ``qlrules check`` prints them; otherwise it must compile without warnings.
- ```qlr-error — a rubric that does not compile; the ```text block that must follow it is
  ``str(error)`` of the `qlrules.RubricError` it raises, exactly (only the trailing newline is
  normalised).
- ```lark — the grammar, identical to grammar/qlrules.lark.

Every block is compiled as ``qlrules.compile_rubric(text, "docs.qlr")`` with messages in English,
so the documented messages read ``docs.qlr:LINE:COL: error: …``.

After an intended change to the messages or the grammar, run with ``QLRULES_REGEN_GOLDEN=1``:
``test_regenerate_documented_messages`` rewrites the ```text and ```lark blocks of
docs/language.md from the compiler and fails if anything changed, asking for a review of the
diff (the prose around a block may need it too); rerun without the variable to compare again.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import attrs
import pytest

import qlrules

from .conftest import ROOT

LANGUAGE = ROOT / "docs" / "language.md"
README = ROOT / "README.md"
GRAMMAR = ROOT / "src" / "qlrules" / "language" / "qlrules.lark"
SOURCE = "docs.qlr"
REGEN = os.environ.get("QLRULES_REGEN_GOLDEN") == "1"

FENCE = re.compile(r"^(`{3,})(.*)$")


@dataclass(frozen=True)
class Block:
    """One fenced code block: its info string, its text, and where it is in the file."""

    info: str
    text: str
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence


def blocks(markdown: str) -> list[Block]:
    """Every fenced block of ``markdown`` in order; a block's text ends with a newline unless empty."""
    found: list[Block] = []
    lines = markdown.splitlines()
    n = 0
    while n < len(lines):
        opening = FENCE.match(lines[n])
        if not opening:
            n += 1
            continue
        fence, info = opening.group(1), opening.group(2).strip()
        start = n
        n += 1
        while n < len(lines) and lines[n].rstrip() != fence:
            n += 1
        if n == len(lines):
            raise AssertionError(f"the block opened on line {start + 1} is never closed")
        found.append(Block(info, "".join(line + "\n" for line in lines[start + 1 : n]), start + 1, n + 1))
        n += 1
    return found


def _id(block: Block) -> str:
    return f"{block.info}@line{block.line}"


DOC_TEXT = LANGUAGE.read_text(encoding="utf-8")
DOC_BLOCKS = blocks(DOC_TEXT)
README_BLOCKS = blocks(README.read_text(encoding="utf-8")) if README.exists() else []

QLR = [b for b in DOC_BLOCKS if b.info == "qlr"]
QLR_ERROR = [b for b in DOC_BLOCKS if b.info == "qlr-error"]
LARK = [b for b in DOC_BLOCKS if b.info == "lark"]


def _following(block: Block, pool: list[Block]) -> Block | None:
    index = pool.index(block)
    return pool[index + 1] if index + 1 < len(pool) else None


def _warnings_block(block: Block, markdown: str = DOC_TEXT, pool: list[Block] = DOC_BLOCKS) -> Block | None:
    """The ```text block directly after a ```qlr block (nothing but blank lines between), if any."""
    after = _following(block, pool)
    if after is None or after.info != "text":
        return None
    between = markdown.splitlines()[block.end : after.line - 1]
    return after if all(not line.strip() for line in between) else None


def _normal(text: str) -> str:
    return text.rstrip("\n")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The documented messages are the English ones, whatever the locale of the machine."""
    monkeypatch.setenv("QLRULES_LANG", "en")
    with ExitStack() as stack:
        try:
            i18n = importlib.import_module("qlrules.i18n")
        except ImportError:  # pragma: no cover - a qlrules without translations
            i18n = None
        if i18n is not None and hasattr(i18n, "use_language"):
            stack.enter_context(i18n.use_language("en"))
        yield


def _rendered_warnings(rubric: qlrules.Rubric) -> str:
    return "\n".join(w.render() for w in rubric.warnings)


def _rendered_error(text: str) -> str:
    with pytest.raises(qlrules.RubricError) as caught:
        qlrules.compile_rubric(text, SOURCE)
    return str(caught.value)


def test_the_doc_has_examples_of_every_kind() -> None:
    assert len(QLR) >= 10, "docs/language.md should show a compiling example of every construct"
    assert len(QLR_ERROR) >= 10, "docs/language.md should show what the compiler refuses"
    assert len(LARK) == 1, "docs/language.md should end with the grammar, once"
    assert DOC_BLOCKS[-1].info == "lark", "the grammar is the last block of docs/language.md"


@pytest.mark.skipif(REGEN, reason="QLRULES_REGEN_GOLDEN=1: the doc is being rewritten")
@pytest.mark.parametrize("block", QLR, ids=_id)
def test_qlr_example_compiles(block: Block) -> None:
    rubric = qlrules.compile_rubric(block.text, SOURCE)
    expected = _warnings_block(block)
    rendered = _rendered_warnings(rubric)
    if expected is None:
        assert not rubric.warnings, f"the example on line {block.line} compiles with warnings the doc does not show:\n{rendered}"
    else:
        assert rendered == _normal(expected.text), f"the warnings of the example on line {block.line} changed; got:\n{rendered}"


@pytest.mark.parametrize("block", QLR, ids=_id)
def test_qlr_example_compiles_with_bom_and_crlf(block: Block) -> None:
    """What the doc says of files saved by Windows editors: a BOM and CRLF line endings change nothing."""
    plain = qlrules.compile_rubric(block.text, SOURCE)
    windows = qlrules.compile_rubric(("\ufeff" + block.text.replace("\n", "\r\n")).encode("utf-8"), SOURCE)
    assert attrs.evolve(windows, sha256=plain.sha256) == plain  # the bytes differ, so their hash does
    assert [w.message for w in windows.warnings] == [w.message for w in plain.warnings]


@pytest.mark.skipif(REGEN, reason="QLRULES_REGEN_GOLDEN=1: the doc is being rewritten")
@pytest.mark.parametrize("block", QLR_ERROR, ids=_id)
def test_qlr_error_example_prints_the_documented_message(block: Block) -> None:
    expected = _following(block, DOC_BLOCKS)
    assert expected is not None and expected.info == "text", f"the qlr-error block on line {block.line} needs a ```text block after it"
    got = _rendered_error(block.text)
    assert got == _normal(expected.text), f"the message for the example on line {block.line} changed; got:\n{got}"


@pytest.mark.skipif(REGEN, reason="QLRULES_REGEN_GOLDEN=1: the doc is being rewritten")
def test_lark_block_is_the_grammar() -> None:
    (block,) = LARK
    assert block.text == GRAMMAR.read_text(encoding="utf-8"), "docs/language.md does not end with grammar/qlrules.lark as it is"


@pytest.mark.parametrize("block", [b for b in README_BLOCKS if b.info == "qlr"], ids=_id)
def test_readme_qlr_example_compiles(block: Block) -> None:
    qlrules.compile_rubric(block.text, "README.qlr")


def _regenerated(markdown: str) -> str:
    """``markdown`` with every documented message and the grammar taken from the compiler."""
    pool = blocks(markdown)
    new_bodies: dict[int, str] = {}  # opening line of a block -> its new text
    for block in pool:
        after = _following(block, pool)
        if block.info == "qlr-error" and after is not None and after.info == "text":
            new_bodies[after.line] = _rendered_error(block.text) + "\n"
        elif block.info == "qlr":
            shown = _warnings_block(block, markdown, pool)
            if shown is not None:
                rendered = _rendered_warnings(qlrules.compile_rubric(block.text, SOURCE))
                new_bodies[shown.line] = rendered + "\n" if rendered else ""
        elif block.info == "lark":
            new_bodies[block.line] = GRAMMAR.read_text(encoding="utf-8")
    lines = markdown.splitlines(keepends=True)
    for block in reversed(pool):  # from the end, so the line numbers of the blocks before hold
        if block.line in new_bodies:
            lines[block.line : block.end - 1] = [new_bodies[block.line]]
    return "".join(lines)


@pytest.mark.skipif(not REGEN, reason="set QLRULES_REGEN_GOLDEN=1 to rewrite the documented messages")
def test_regenerate_documented_messages() -> None:
    current = LANGUAGE.read_text(encoding="utf-8")
    updated = _regenerated(current)
    if updated != current:
        LANGUAGE.write_text(updated, encoding="utf-8")
        pytest.fail("docs/language.md was rewritten from the compiler: review the diff (and the prose around it)")
