"""`qlrules fmt`: one canonical layout, idempotent, every comment kept, the meaning never changed."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qlrules
from qlrules.authoring.fmt import format_text
from qlrules.language.parse import parse_with_comments

from .conftest import ROOT, Cli
from .strategies import rubric_texts

RUBRICS = sorted((ROOT / "rubrics").glob("*.qlr"))
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*.qlr"))


def meaning(text: str) -> dict[str, Any]:
    """What a rubric says, without where it says it (spans, source, hash, warnings' lines)."""
    rubric = qlrules.compile_rubric(text, "x.qlr")
    return attrs.asdict(rubric, filter=lambda a, _v: a.name not in {"span", "source", "sha256", "warnings"})


def comments(text: str) -> list[str]:
    return [str(c).rstrip() for c in parse_with_comments(text)[1]]


# -- the bundled rubric and fixtures --------------------------------------


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.name)
def test_bundled_rubric_is_already_canonical(path: Path) -> None:
    """Every rubric in rubrics/ is in the canonical layout, so fmt leaves it byte for byte."""
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


@pytest.mark.parametrize("path", RUBRICS + FIXTURES, ids=lambda p: p.name)
def test_fmt_is_idempotent_and_keeps_meaning_and_comments_on_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(text)
    assert format_text(once) == once
    assert meaning(once) == meaning(text)
    assert comments(once) == comments(text)


def test_fmt_check_on_rubrics_folder_exits_0(cli: Cli) -> None:
    result = cli("fmt", "--check", str(ROOT / "rubrics"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# -- random rubrics -------------------------------------------------------


@given(rubric_texts())
def test_fmt_keeps_meaning_of_random_rubrics(text: str) -> None:
    """Compiling fmt(x) gives the same model as compiling x."""
    once = format_text(text)
    assert meaning(once) == meaning(text)
    assert format_text(once) == once


_NOTE = st.text(st.sampled_from('注意 abc#"\\−+1.0 TODO:、,'), max_size=12).map(lambda s: ("# " + s).rstrip())
_MINUSES = ["−", "-", "－"]


@st.composite
def messy_rubrics(draw: st.DrawFn) -> str:
    """A random rubric with comments everywhere and every token laid out differently."""
    tokens = [t for line in draw(rubric_texts()).splitlines() for t in re.findall(r'"[^"]*"|\S+', line)]
    out = [draw(_NOTE) + "\n"] if draw(st.booleans()) else []
    for previous, token in zip(["", *tokens], tokens):
        if token.startswith("−"):
            token = draw(st.sampled_from(_MINUSES)) + token[1:]
        if token.startswith('"') and previous not in ("owners", ",") and len(token) > 3 and draw(st.booleans()):
            cut = draw(st.integers(2, len(token) - 2))
            token = f'{token[:cut]}"  "{token[cut:]}'  # adjacent strings are joined
        out.append(token)
        separator = draw(st.sampled_from([" ", "  ", "\n", "\n\n    ", "comment", "own-line comment", "\t"]))
        if separator == "comment":
            separator = "  " + draw(_NOTE) + "\n"
        elif separator == "own-line comment":
            separator = "\n" + draw(st.sampled_from(["", "  ", "\n"])) + draw(_NOTE) + "\n"
        out.append(separator)
    if draw(st.booleans()):
        out.append("\n" + draw(_NOTE) + "\n")
    return "".join(out)


@given(messy_rubrics())
def test_fmt_keeps_meaning_and_every_comment_in_order_of_messy_rubrics(text: str) -> None:
    once = format_text(text)
    assert meaning(once) == meaning(text)
    assert comments(once) == comments(text)
    assert format_text(once) == once


# -- the layout -----------------------------------------------------------

MESSY = """\
# head

rubric "t" # after the title
  points 2 year 2025
rule item-cap "r\\"q\\\\" "more"
section S1 "s" points 2
  # before the item
  item 1.1 points 2.0
    text "a"   # after a
      "b" # after b
    1.1a "x"
      # inside
      each 项 -0.50 of 02  # at the end
    # before 1.1b


    # also before 1.1b
    1.1b "y" discretionary replaces 1.1a
adjustments "加减分项" A1 "加" once ＋0.50 A2 "减" each 次 －1 cap 2
# the end
"""

CANONICAL = """\
# head

rubric "t" points 2  # after the title
  year 2025
  rule item-cap "r\\"q\\\\more"

section S1 "s" points 2

  # before the item
  item 1.1 points 2
    # after a
    text "ab"  # after b
    # inside
    1.1a "x" each 项 −0.5 of 2  # at the end
    # before 1.1b

    # also before 1.1b
    1.1b "y" discretionary replaces 1.1a

adjustments "加减分项"
  A1 "加" once +0.5
  A2 "减" each 次 −1 cap 2
# the end
"""


def test_fmt_lays_out_one_construct_per_line_and_keeps_comments_in_place() -> None:
    assert format_text(MESSY) == CANONICAL


def test_a_trailing_comment_before_an_own_line_comment_in_one_construct_goes_above_it() -> None:
    """Comments keep their order: a trailing comment stays at the line's end only if it was the last."""
    text = 'rubric "t" points 1 section S0 "s" points 1 item 0.1 points 1 text "t"\n0.1a "x" # first\n# second\nonce -1\n'
    formatted = format_text(text)
    assert "    # first\n    # second\n    0.1a \"x\" once −1\n" in formatted
    assert comments(formatted) == ["# first", "# second"]


def test_crlf_and_bom_give_the_same_canonical_lf_text() -> None:
    crlf = "\ufeff" + MESSY.replace("\n", "\r\n")
    assert format_text(crlf) == CANONICAL


def test_a_file_that_does_not_compile_is_not_formatted() -> None:
    with pytest.raises(qlrules.RubricError):
        format_text('rubric "t" points 2 section S0 "s" points 1 item 0.1 points 1 text "t" 0.1a "x" once −1\n')


# -- the command ----------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    messy = tmp_path / "messy.qlr"
    messy.write_text(MESSY, encoding="utf-8")
    messy.chmod(0o644)
    canonical = tmp_path / "canonical.qlr"
    canonical.write_text(CANONICAL, encoding="utf-8")
    broken = tmp_path / "broken.qlr"
    broken.write_text('rubric "t" points 1\nsection S0 "s" pionts 1\n', encoding="utf-8")
    return {"messy": messy, "canonical": canonical, "broken": broken}


def test_fmt_prints_the_formatted_text(files: dict[str, Path], cli: Cli) -> None:
    result = cli("fmt", str(files["messy"]))
    assert result.exit_code == 0
    assert result.stdout == CANONICAL
    assert files["messy"].read_text(encoding="utf-8") == MESSY


def test_fmt_check_lists_the_files_that_would_change(files: dict[str, Path], cli: Cli) -> None:
    result = cli("fmt", "--check", str(files["messy"]), str(files["canonical"]))
    assert result.exit_code == 1
    assert str(files["messy"]) in result.stdout and str(files["canonical"]) not in result.stdout
    assert files["messy"].read_text(encoding="utf-8") == MESSY


def test_fmt_w_rewrites_files_in_place_keeping_their_permissions(files: dict[str, Path], cli: Cli) -> None:
    before = files["canonical"].stat().st_mtime_ns
    result = cli("fmt", "-w", str(files["messy"]), str(files["canonical"]))
    assert result.exit_code == 0, result.output
    assert files["messy"].read_bytes() == CANONICAL.encode("utf-8")
    assert stat.S_IMODE(files["messy"].stat().st_mode) == 0o644
    assert files["canonical"].stat().st_mtime_ns == before  # unchanged files are not touched
    assert not list(files["messy"].parent.glob("*.part"))


def test_fmt_leaves_a_file_that_does_not_compile_untouched(files: dict[str, Path], cli: Cli) -> None:
    broken = files["broken"].read_bytes()
    result = cli("fmt", "-w", str(files["broken"]), str(files["messy"]))
    assert result.exit_code == 1
    assert "broken.qlr:2:" in result.stderr and "did you mean points" in result.stderr
    assert files["broken"].read_bytes() == broken
    assert files["messy"].read_text(encoding="utf-8") == CANONICAL  # the other files are still formatted


def test_fmt_check_and_w_together_is_a_usage_error(files: dict[str, Path], cli: Cli) -> None:
    result = cli("fmt", "--check", "-w", str(files["messy"]))
    assert result.exit_code == 2
