"""The table of common mistakes: snippets that make each one, and the message that explains it.

`qlrules.language.parse` parses every snippet once to learn the parser state each
mistake fails in, and words a syntax error by that state (in the spirit of Lark's
``match_examples``); tests/test_rubric_errors.py holds the table to its messages.
"""

from __future__ import annotations

from ..i18n import N_

_HEAD = 'rubric "t" points 1\nsection S0 "s" points 1\n'
_ITEM = _HEAD + 'item 0.1 points 1\ntext "t"\n'
_IN_TOPIC = 'rubric "t" points 1\nsection S1 "s" points 1\ntopic 1 "t" points 1\n'

#: What may follow a mistake: the parser fails in a different state for each.
_NEXT = ['\n0.1b "y" once −1', '\nitem 0.2 points 1 text "t" 0.2a "y" once −1', '\ntopic 2 "t" points 1',
         '\nsection S9 "s" points 1', '\nadjustments "a" A1 "x" each 项 +1', " of 2", " cap 1", ""]

#: The mistakes authors make most, each with snippets that make it, in the spirit of
#: Lark's ``match_examples``; tests/test_rubric_errors.py holds the table to its messages.
COMMON_MISTAKES: dict[str, list[str]] = {
    N_("a clause needs a rate after `once`: a number like −1"): [_ITEM + '0.1a "x" once' + n for n in _NEXT],
    N_("a clause needs a rate after `each`: a number like −0.5 (each 项 −0.5)"): [
        _ITEM + '0.1a "x" each' + unit + n for unit in (" 项", "") for n in _NEXT
    ],
    N_("a clause needs its rule after its wording: once −R, each 项 −R or discretionary"): [
        _ITEM + '0.1a "x"' + n for n in _NEXT
    ],
    N_('a clause\'s official wording comes in quotes after its id, like: 0.1a "…,扣1分" once −1'): [
        _ITEM + "0.1a once −1",
        _ITEM + "0.1a each 项 −1",
        _ITEM + "0.1a discretionary",
    ],
    N_('an item needs its official text (具体内容) before its clauses, like: text "…"'): [
        _HEAD + 'item 0.1 points 1\n0.1a "x" once −1',
        _HEAD + 'item 0.1 "t" points 1\n0.1a "x" once −1',
        _HEAD + 'item 0.1 points 1 owners "o"\n0.1a "x" once −1',
    ],
    N_("an item needs at least one clause"): [_ITEM[:-1] + n for n in _NEXT[1:5]] + [_ITEM],
    N_("needs its points here, like: points 2"): [
        _HEAD + 'item 0.1 "t" text "t"',
        _HEAD + "item 0.1 text",
        'rubric "t" section S0 "s" points 1',
        'rubric "t" points 1 section S1 "s" points 1 topic 1 "t" item 1.1 points 1',
        'rubric "t" points 1 section S0 "s" item',
    ],
    N_("a section needs topics or items"): ['rubric "t" points 1 section S0 "s" points 1' + n for n in _NEXT[3:5] + [""]],
    N_("a topic needs at least one item"): [_IN_TOPIC[:-1] + n for n in _NEXT[2:5] + [""]],
    N_("`replaces` is only for a discretionary clause, after the word discretionary"): [
        _ITEM + '0.1a "x" once −1 replaces 0.1b', _ITEM + '0.1a "x" each 项 −1 replaces 0.1b',
    ],
    N_("rules come right after the rubric's header, before the first section"): [
        _ITEM + '0.1a "x" once −1\nrule item-cap "x"', _HEAD + 'rule item-cap "x"',
    ],
    N_("sections come first, then the adjustments, the grades and the vetoes"): [
        _ITEM + '0.1a "x" once −1\nadjustments "a" A1 "x" each 项 +1\nsection S9 "s" points 1',
        _ITEM + '0.1a "x" once −1\ngrades "g" 优 "x" at least 1\nadjustments "a" A1 "x" each 项 +1',
        _ITEM + '0.1a "x" once −1\nvetoes "v" V1 "x" veto 优\ngrades "g" 优 "x" at least 1',
    ],
    N_("a range is one word, without spaces, like −1..−2"): [
        _ITEM + '0.1a "x" once −1 ..−2', _ITEM + '0.1a "x" each 例 −1 ..−2',
    ],
    N_("a level is a Chinese name and its rate, like: levels 县 −0.5, 市 −1"): [
        _ITEM + '0.1a "x" each 例 levels −0.5', _ITEM + '0.1a "x" once levels 县', _ITEM + '0.1a "x" once levels 县 −1,',
    ],
    N_("a measure names its unit, then its bands, like: measure % below 96 per 1 −0.25"): [
        _ITEM + '0.1a "x" measure below 96 −1', _ITEM + '0.1a "x" measure % 96 −1', _ITEM + '0.1a "x" measure % below −1',
    ],
    N_("a tier is at least N or at most N, then its rate, like: tiers at least 10 −2, at least 5 −1"): [
        _ITEM + '0.1a "x" measure 位 tiers 10 −2', _ITEM + '0.1a "x" measure 位 tiers at 10 −2',
    ],
    N_('a grade is a name, its wording and its band, like: 优秀 "90分(含)以上为优秀" at least 90'): [
        _ITEM + '0.1a "x" once −1\ngrades "g" 优秀 at least 90', _ITEM + '0.1a "x" once −1\ngrades "g" 优秀 "x" 90',
    ],
    N_('a veto names the grade it caps, like: V1 "…实行“一票否决”" veto 不达标'): [
        _ITEM + '0.1a "x" once −1\ngrades "g" 优 "x" at least 1\nvetoes "v" V1 "x" veto',
        _ITEM + '0.1a "x" once −1\ngrades "g" 优 "x" at least 1\nvetoes "v" V1 "x"',
    ],
    N_("an adjustments block needs at least one adjustment, like: A1 \"…每项加1分\" each 项 +1"): [
        _ITEM + '0.1a "x" once −1\nadjustments "a"', _ITEM + '0.1a "x" once −1\nadjustments "a" text "t"',
    ],
}


# The parser is in other states inside a topic, or after an item's title or owners:
# each mistake is also made there.
for _snippets in COMMON_MISTAKES.values():
    _snippets.extend([x.replace(_HEAD, _IN_TOPIC) for x in _snippets if x.startswith(_HEAD)])
    _snippets.extend([x.replace("item 0.1 points 1", 'item 0.1 "t" points 1', 1) for x in list(_snippets)])
    _snippets.extend([x.replace("points 1\ntext", 'points 1 owners "o"\ntext', 1) for x in list(_snippets)])
