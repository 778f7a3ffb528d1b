"""The examples of docs/language.md (and README.md) are held to what the compiler does.

docs/language.md marks its fenced blocks:

- ```qlr — a complete rubric that compiles. If a ```text block follows it directly, that block is
  the warnings the compiler renders for it (one after another, as ``qlrules check`` prints them).
- ```qlr-error — a rubric that does not compile; the ```text block that must follow it is
  ``str(error)`` of the `qlrules.RubricError` it raises, exactly (only the trailing newline is
  normalised).
- ```lark — the grammar, identical to grammar/qlrules.lark.

Every block is compiled as ``qlrules.compile_rubric(text, "docs.qlr")``, so the file names in the
documented messages read ``docs.qlr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest

import qlrules

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = ROOT / "docs" / "language.md"
README = ROOT / "README.md"
GRAMMAR = ROOT / "grammar" / "qlrules.lark"
SOURCE = "docs.qlr"

FENCE = re.compile(r"^(`{3,})(.*)$")


@dataclass(frozen=True)
class Block:
    """One fenced code block: its info string, its text, and the line its fence opens on."""

    info: str
    text: str
    line: int


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
        body: list[str] = []
        n += 1
        while n < len(lines) and lines[n].rstrip() != fence:
            body.append(lines[n])
            n += 1
        opened_on = n - len(body)  # 1-based line of the opening fence
        if n == len(lines):
            raise AssertionError(f"the block opened on line {opened_on} is never closed")
        found.append(Block(info, "".join(line + "\n" for line in body), opened_on))
        n += 1
    return found


def _id(block: Block) -> str:
    return f"{block.info}@line{block.line}"


DOC_BLOCKS = blocks(LANGUAGE.read_text(encoding="utf-8"))
README_BLOCKS = blocks(README.read_text(encoding="utf-8")) if README.exists() else []


def _following(block: Block, pool: list[Block]) -> Block | None:
    index = pool.index(block)
    return pool[index + 1] if index + 1 < len(pool) else None


def _warnings_block(block: Block) -> Block | None:
    """The ```text block directly after a ```qlr block (nothing but blank lines between), if any."""
    after = _following(block, DOC_BLOCKS)
    if after is None or after.info != "text":
        return None
    lines = LANGUAGE.read_text(encoding="utf-8").splitlines()
    end_of_block = block.line + block.text.count("\n")  # the closing fence's index
    between = lines[end_of_block + 1 : after.line - 1]
    return after if all(not line.strip() for line in between) else None


def _normal(text: str) -> str:
    return text.rstrip("\n")


QLR = [b for b in DOC_BLOCKS if b.info == "qlr"]
QLR_ERROR = [b for b in DOC_BLOCKS if b.info == "qlr-error"]
LARK = [b for b in DOC_BLOCKS if b.info == "lark"]


def test_the_doc_has_examples_of_every_kind() -> None:
    assert len(QLR) >= 10, "docs/language.md should show a compiling example of every construct"
    assert len(QLR_ERROR) >= 10, "docs/language.md should show what the compiler refuses"
    assert len(LARK) == 1, "docs/language.md should end with the grammar, once"


@pytest.mark.parametrize("block", QLR, ids=_id)
def test_qlr_example_compiles(block: Block) -> None:
    rubric = qlrules.compile_rubric(block.text, SOURCE)
    expected = _warnings_block(block)
    rendered = "\n".join(w.render() for w in rubric.warnings)
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


@pytest.mark.parametrize("block", QLR_ERROR, ids=_id)
def test_qlr_error_example_prints_the_documented_message(block: Block) -> None:
    expected = _following(block, DOC_BLOCKS)
    assert expected is not None and expected.info == "text", f"the qlr-error block on line {block.line} needs a ```text block after it"
    with pytest.raises(qlrules.RubricError) as caught:
        qlrules.compile_rubric(block.text, SOURCE)
    got = str(caught.value)
    assert got == _normal(expected.text), f"the message for the example on line {block.line} changed; got:\n{got}"


def test_lark_block_is_the_grammar() -> None:
    (block,) = LARK
    assert block.text == GRAMMAR.read_text(encoding="utf-8")


def test_lark_block_is_the_last_block() -> None:
    assert DOC_BLOCKS[-1].info == "lark"


@pytest.mark.parametrize("block", [b for b in README_BLOCKS if b.info == "qlr"], ids=_id)
def test_readme_qlr_example_compiles(block: Block) -> None:
    qlrules.compile_rubric(block.text, "README.qlr")

