"""The Pygments lexer: every construct of the language gets its token, and real rubrics lex without errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygments.lexer import words
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, Punctuation, String, Whitespace, _TokenType

from qlrules.integrations.pygments import QlrulesLexer, TolerantQlrulesLexer

from .conftest import ROOT

RUBRICS = [
    ROOT / "rubrics" / "qinglian-jiguan.qlr",
    ROOT / "tests" / "fixtures" / "mini.qlr",
    ROOT / "docs" / "tutorial" / "next-year.qlr",
    ROOT / "tests" / "fixtures" / "lang2.qlr",
    *sorted((ROOT / "examples" / "rubrics").glob("*.qlr")),  # the language-2 family rubrics
]
GRAMMAR = ROOT / "src" / "qlrules" / "language" / "qlrules.lark"


def tokens(text: str, lexer: QlrulesLexer | None = None) -> list[tuple[_TokenType, str]]:
    """The tokens of ``text``, whitespace left out."""
    lexer = lexer or QlrulesLexer()
    return [(t, v) for t, v in lexer.get_tokens(text) if t not in (Whitespace,) and v.strip()]


def fenced(info: str) -> list[str]:
    """The ```info blocks of docs/language.md (empty while that page does not exist)."""
    page = ROOT / "docs" / "language.md"
    if not page.exists():
        return []
    return re.findall(rf"^```{re.escape(info)}\n(.*?)^```$", page.read_text(encoding="utf-8"), re.S | re.M)


def test_registered_by_entry_point() -> None:
    """Pygments finds the lexer by both names and by file name, through the installed entry point."""
    assert isinstance(get_lexer_by_name("qlrules"), QlrulesLexer)
    assert isinstance(get_lexer_by_name("qlr"), QlrulesLexer)
    assert isinstance(get_lexer_for_filename("next-year.qlr"), QlrulesLexer)


CONSTRUCTS = [
    ('rubric "示例" points 12', [(Keyword.Declaration, "rubric"), (String.Double, '"示例"'), (Keyword.Reserved, "points"), (Number, "12")]),
    ("year 2025", [(Keyword.Reserved, "year"), (Number, "2025")]),
    ('edition "附件2"', [(Keyword.Reserved, "edition"), (String.Double, '"附件2"')]),
    ('rule highest-per-case "不重复扣分"', [(Keyword.Declaration, "rule"), (Name.Constant, "highest-per-case"), (String.Double, '"不重复扣分"')]),
    (
        'section S2 "规范权力运行" points 30 owners "机关纪委", "办公室"',
        [
            (Keyword.Declaration, "section"),
            (Name.Label, "S2"),
            (String.Double, '"规范权力运行"'),
            (Keyword.Reserved, "points"),
            (Number, "30"),
            (Keyword.Reserved, "owners"),
            (String.Double, '"机关纪委"'),
            (Punctuation, ","),
            (String.Double, '"办公室"'),
        ],
    ),
    ('topic 6 "反腐" points 12', [(Keyword.Declaration, "topic"), (Name.Label, "6"), (String.Double, '"反腐"'), (Keyword.Reserved, "points"), (Number, "12")]),
    ("item 6.1 points 10", [(Keyword.Declaration, "item"), (Name.Label, "6.1"), (Keyword.Reserved, "points"), (Number, "10")]),
    ('text "坚持," "10分。"', [(Keyword.Reserved, "text"), (String.Double, '"坚持,"'), (String.Double, '"10分。"')]),
    ('6.1a "压案不查,扣10分" once −10', [(Name.Label, "6.1a"), (String.Double, '"压案不查,扣10分"'), (Keyword, "once"), (Number.Float, "−10")]),
    ('6.1c "每人次扣2分" each 人次 −2', [(Name.Label, "6.1c"), (String.Double, '"每人次扣2分"'), (Keyword, "each"), (Name.Builtin, "人次"), (Number.Float, "−2")]),
    ('0.1a "每项扣0.5分" each −0.5 of 3', [(Name.Label, "0.1a"), (String.Double, '"每项扣0.5分"'), (Keyword, "each"), (Number.Float, "−0.5"), (Keyword.Pseudo, "of"), (Number, "3")]),
    ('6.2a "最多扣1分" each 起 -0.5 cap 1.5', [(Name.Label, "6.2a"), (String.Double, '"最多扣1分"'), (Keyword, "each"), (Name.Builtin, "起"), (Number.Float, "-0.5"), (Keyword.Pseudo, "cap"), (Number, "1.5")]),
    (
        '6.1h "酌情扣分" discretionary replaces 6.1b..6.1g, 6.1i',
        [
            (Name.Label, "6.1h"),
            (String.Double, '"酌情扣分"'),
            (Keyword, "discretionary"),
            (Keyword.Pseudo, "replaces"),
            (Name.Label, "6.1b"),
            (Operator, ".."),
            (Name.Label, "6.1g"),
            (Punctuation, ","),
            (Name.Label, "6.1i"),
        ],
    ),
    ('adjustments "加减分项"', [(Keyword.Declaration, "adjustments"), (String.Double, '"加减分项"')]),
    ('A1 "加1分" each 项 +1', [(Name.Label, "A1"), (String.Double, '"加1分"'), (Keyword, "each"), (Name.Builtin, "项"), (Number.Float, "+1")]),
    ('A3 "加0.5分" once ＋0.5', [(Name.Label, "A3"), (String.Double, '"加0.5分"'), (Keyword, "once"), (Number.Float, "＋0.5")]),
    ('A2 "扣1分" once －1', [(Name.Label, "A2"), (String.Double, '"扣1分"'), (Keyword, "once"), (Number.Float, "－1")]),
    ("# 注1: a comment", [(Comment.Single, "# 注1: a comment")]),
    ('"a \\"quoted\\" word"', [(String.Double, '"a \\"quoted\\" word"')]),
    # Language 2.
    ('item 1.2 "工作计划" points 1 earned', [(Keyword.Declaration, "item"), (Name.Label, "1.2"), (String.Double, '"工作计划"'), (Keyword.Reserved, "points"), (Number, "1"), (Keyword.Reserved, "earned")]),
    ('section S1 "x" points 6 cap 6', [(Keyword.Declaration, "section"), (Name.Label, "S1"), (String.Double, '"x"'), (Keyword.Reserved, "points"), (Number, "6"), (Keyword.Pseudo, "cap"), (Number, "6")]),
    ('1.4a "每例扣1-2分" each 例 −1..−2', [(Name.Label, "1.4a"), (String.Double, '"每例扣1-2分"'), (Keyword, "each"), (Name.Builtin, "例"), (Number.Float, "−1..−2")]),
    ('B2 "视情加分" once +0..+5', [(Name.Label, "B2"), (String.Double, '"视情加分"'), (Keyword, "once"), (Number.Float, "+0..+5")]),
    ('1.4b "扣4-8分" once -4..-8', [(Name.Label, "1.4b"), (String.Double, '"扣4-8分"'), (Keyword, "once"), (Number.Float, "-4..-8")]),
    (
        'B1 "分别加2、4分" each 次 levels 镇 +2, 县 +4',
        [(Name.Label, "B1"), (String.Double, '"分别加2、4分"'), (Keyword, "each"), (Name.Builtin, "次"), (Keyword, "levels"),
         (Name.Variable, "镇"), (Number.Float, "+2"), (Punctuation, ","), (Name.Variable, "县"), (Number.Float, "+4")],
    ),
    ('3.1e "x" once levels 优秀 +2, 不合格 −1..−2', [(Name.Label, "3.1e"), (String.Double, '"x"'), (Keyword, "once"), (Keyword, "levels"), (Name.Variable, "优秀"), (Number.Float, "+2"), (Punctuation, ","), (Name.Variable, "不合格"), (Number.Float, "−1..−2")]),
    (
        '5.1a "x" measure % below 96 per 1 −0.25, below 90 per 1 −0.5',
        [(Name.Label, "5.1a"), (String.Double, '"x"'), (Keyword, "measure"), (Name.Builtin, "%"), (Keyword.Pseudo, "below"), (Number, "96"),
         (Keyword.Pseudo, "per"), (Number, "1"), (Number.Float, "−0.25"), (Punctuation, ","), (Keyword.Pseudo, "below"), (Number, "90"),
         (Keyword.Pseudo, "per"), (Number, "1"), (Number.Float, "−0.5")],
    ),
    ('8.1a "x" measure 人 above 5 per 1 +0.5 cap 2', [(Name.Label, "8.1a"), (String.Double, '"x"'), (Keyword, "measure"), (Name.Builtin, "人"), (Keyword.Pseudo, "above"), (Number, "5"), (Keyword.Pseudo, "per"), (Number, "1"), (Number.Float, "+0.5"), (Keyword.Pseudo, "cap"), (Number, "2")]),
    (
        '9.1a "x" measure 位 tiers at least 10 −2, at most 5 −1',
        [(Name.Label, "9.1a"), (String.Double, '"x"'), (Keyword, "measure"), (Name.Builtin, "位"), (Keyword, "tiers"), (Keyword.Pseudo, "at"), (Keyword.Pseudo, "least"),
         (Number, "10"), (Number.Float, "−2"), (Punctuation, ","), (Keyword.Pseudo, "at"), (Keyword.Pseudo, "most"), (Number, "5"), (Number.Float, "−1")],
    ),
    ('adjustments B "加分项" cap 10', [(Keyword.Declaration, "adjustments"), (Name.Label, "B"), (String.Double, '"加分项"'), (Keyword.Pseudo, "cap"), (Number, "10")]),
    ('adjustments G2 "其他"', [(Keyword.Declaration, "adjustments"), (Name.Label, "G2"), (String.Double, '"其他"')]),
    ('grades "考核结果"', [(Keyword.Declaration, "grades"), (String.Double, '"考核结果"')]),
    ('优秀 "90分(含)以上为优秀" at least 90', [(Name.Variable, "优秀"), (String.Double, '"90分(含)以上为优秀"'), (Keyword.Pseudo, "at"), (Keyword.Pseudo, "least"), (Number, "90")]),
    ('达标 "76-89为达标" from 76 to 89', [(Name.Variable, "达标"), (String.Double, '"76-89为达标"'), (Keyword.Pseudo, "from"), (Number, "76"), (Keyword.Pseudo, "to"), (Number, "89")]),
    ('vetoes "否决项"', [(Keyword.Declaration, "vetoes"), (String.Double, '"否决项"')]),
    ('V1 "一票否决" veto 不达标', [(Name.Label, "V1"), (String.Double, '"一票否决"'), (Keyword, "veto"), (Name.Variable, "不达标")]),
    # A number never runs into letters: after `once`, 0.1b on the next line is an id.
    ('once −1\n0.1b "…" once −1', [(Keyword, "once"), (Number.Float, "−1"), (Name.Label, "0.1b"), (String.Double, '"…"'), (Keyword, "once"), (Number.Float, "−1")]),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTS, ids=[c[0][:24] for c in CONSTRUCTS])
def test_construct(text: str, expected: list[tuple[_TokenType, str]]) -> None:
    """Each construct of grammar/qlrules.lark lexes to its own token types."""
    assert tokens(text) == expected


def test_layout_characters_are_whitespace() -> None:
    """The full-width space and the BOM the grammar ignores are whitespace, not errors."""
    text = '\ufeffrubric\u3000"示例" points 2\r\n'
    assert all(t is not Error for t, _ in QlrulesLexer().get_tokens(text))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.name)
def test_rubric_files_lex_without_errors(path: Path) -> None:
    """The bundled rubric, the test fixture and the tutorial's rubric: no Error token, nothing lost."""
    text = path.read_text(encoding="utf-8")
    lexed = list(QlrulesLexer().get_tokens(text))
    errors = [v for t, v in lexed if t is Error]
    assert errors == []
    assert "".join(v for _, v in lexed) == (text if text.endswith("\n") else text + "\n")
    kinds = {t for t, _ in lexed}
    assert {Keyword.Declaration, Keyword, Name.Label, String.Double, Number.Float, Comment.Single} <= kinds


def test_every_grammar_keyword_is_a_keyword() -> None:
    """Each keyword of qlrules.lark (a quoted word, or a word of DIRECTION/BOUND) lexes as a Keyword, and the lexer has no others."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    quoted = set(re.findall(r'"([a-z]+)"', grammar))
    assert {"rubric", "once", "measure", "levels", "tiers", "veto", "grades", "from", "earned"} <= quoted
    from qlrules.integrations.pygments import KEYWORDS

    assert quoted == set(KEYWORDS)
    for word in sorted(quoted):
        ((kind, value),) = tokens(word)
        assert value == word and kind in Keyword, word


def test_documented_rubrics_lex_without_errors() -> None:
    """Every complete rubric shown in docs/language.md lexes cleanly."""
    for block in fenced("qlr"):
        assert [v for t, v in QlrulesLexer().get_tokens(block) if t is Error] == [], block


def test_stray_text_is_an_error() -> None:
    """What the grammar has no token for stands out as an Error token."""
    assert (Error, "h") in list(QlrulesLexer().get_tokens('1.1a "…" once half'))


def test_tolerant_variant_for_broken_examples() -> None:
    """The qlr-error variant never yields Error tokens, even on deliberately broken rubrics."""
    lexer = TolerantQlrulesLexer()
    broken = ['1.1a "…" once half of\n', 'item 1.1 "unterminated\n', "section\u00a0S1 ？？\n", *fenced("qlr-error")]
    for text in broken:
        assert [v for t, v in lexer.get_tokens(text) if t is Error] == [], text


# -- the keywords: the lexer's are the grammar's -------------------------------------------------


def grammar_keywords() -> set[str]:
    """The keywords of qlrules.lark: its string terminals that are words ("rubric", "of"; not "," or ".."),
    and the words of terminals that are only a choice of words (``DIRECTION: "below" | "above"``)."""
    from lark.lexer import PatternStr

    from qlrules.language.parse import parser

    found: set[str] = set()
    for t in parser().terminals:
        if isinstance(t.pattern, PatternStr) and re.fullmatch(r"[a-z]+", t.pattern.value):
            found.add(t.pattern.value)
        elif choice := re.fullmatch(r"\(\?:([a-z]+(?:\|[a-z]+)+)\)", t.pattern.value):
            found.update(choice.group(1).split("|"))
    return found


def lexer_keywords() -> set[str]:
    """Every word the lexer's rules spell out literally: its `words(...)` lists and the
    keywords its compound rules open with (``(rule)(…)``, ``(section|topic|item)(…)``)."""
    found: set[str] = set()
    for rule in QlrulesLexer.tokens["root"]:
        pattern = rule[0]
        if isinstance(pattern, words):
            found.update(pattern.words)
        elif isinstance(pattern, str):
            opening = re.match(r"\(([a-z]+(?:\|[a-z]+)*)\)", pattern)
            if opening:
                found.update(opening[1].split("|"))
    return found


def keyword_type(word: str) -> _TokenType:
    """The token type ``word`` lexes to on its own (it must lex to one token)."""
    lexed = tokens(word)
    assert len(lexed) == 1 and lexed[0][1] == word, f"{word!r} does not lex to one token: {lexed}"
    return lexed[0][0]


def test_the_grammar_has_keywords() -> None:
    """The grammar is read through the parser, so this guards the guard: its keywords are found."""
    assert {"rubric", "section", "once", "each", "discretionary", "of", "cap", "replaces", "adjustments"} <= grammar_keywords()


def test_every_grammar_keyword_is_a_keyword_token() -> None:
    """Each keyword of qlrules.lark, on its own and after an id or a number, lexes as a Keyword type."""
    for word in sorted(grammar_keywords()):
        assert keyword_type(word) in Keyword, f"the grammar keyword {word!r} lexes as {keyword_type(word)}"
        for before in ("6.1a", "1"):
            kind, value = tokens(f"{before} {word}")[1]
            assert (kind in Keyword, value) == (True, word), f"{word!r} after {before!r} lexes as {kind} {value!r}"


def test_the_lexer_highlights_no_keyword_the_grammar_lacks() -> None:
    """Every word the lexer's rules spell out is a grammar keyword, and the lexer spells out all of them."""
    spelled = lexer_keywords()
    assert "rubric" in spelled, f"the lexer's keyword rules were not found: {spelled}"
    assert spelled - grammar_keywords() == set()
    assert grammar_keywords() - spelled == set()
    assert {w: keyword_type(w) for w in spelled if keyword_type(w) not in Keyword} == {}
