"""The vocabulary of official wording (考评标准) that drafting and linting both read.

One definition, so that what `qlrules draft` takes for a per-count rule, a range, a list of
levels, a ceiling or a veto is what `qlrules check` expects of one. Every pattern reads the
wording with its spaces removed (the PDF's layout spaces fall inside numbers: 扣1 分).
"""

from __future__ import annotations

import re

#: Wording that counts findings, with the unit it counts: 每项, 每人次, 每缺一项, 发现一起, 每发现一项, 每获一次.
#: 每年, 每个子项目 and 每个月 count nothing.
COUNTED = re.compile(
    r"(?:每(?:发现|缺少?|少|出现|获得?|受到?)?一?|发现一|出现一)(?P<unit>人次|项(?!目)|例|起|次|个(?!子项目|月)|处|件|条|家|篇|名|人)"
)

#: Wording that counts one by one without 每: 1人不知晓扣2分, 有1人扣1分, 有一项未落实的. Not a
#: threshold (1人以上) nor a span (1个月内); a clause so worded is per count unless it says otherwise.
ONE_BY_ONE = re.compile(
    r"(?:^|(?<=[,，;；:：的]))有?(?:1|一)(?P<unit>人次|人|名|例|起|次|项(?!目)|件|处|家|个(?!月))(?!以上|以下|及以上|及以下|以内|内)"
)

#: Wording that leaves the amount to the assessor: 酌情扣分, 视情扣减, 酌定.
DISCRETIONARY = re.compile(r"酌情(?:扣分|扣减|减分|扣除|扣)?|酌定|视情(?:扣分|扣减|况扣分)")

#: A range of points, 扣1-2分, 扣1－2分, 扣1至3分, 加0-5分: what a range carries.
RANGE = re.compile(r"(?P<verb>扣除|扣|减|加|得)?(?P<low>\d+(?:\.\d+)?)分?[-－~～—至到](?P<high>\d+(?:\.\d+)?)分(?!钟)")

#: A list of points, 分别加2、4、6、10分, 每例扣0.5、1、2、5分, 分别扣1分、2分、3分: one for each level.
LIST = re.compile(r"(?P<verb>扣除|扣|减|加|得)?(?P<numbers>\d+(?:\.\d+)?(?:分?、\d+(?:\.\d+)?)+)分(?!钟)")

#: Words that make an amount a ceiling (最多扣2分, 本项限扣5分): what a `cap` carries.
CEILING = re.compile(r"最多|最高|至多|累计|不超过|不得超过|上限|封顶|限$")

#: A bound with no number: the part loses at most its points (a cap equal to them).
EXHAUSTED = re.compile(r"[扣减]完为止")

#: The whole part's points lost at once.
NOTHING = re.compile(r"(?:本项|该项|此项)?不得分(?!配)")

#: A 一票否决 the clause imposes (实行“一票否决”, 列为否决项), not the name of a kind of event (“一票否决”事项).
VETO = re.compile(r"(?:实行|予以|实施|执行|给予|作|为)“?一票否决|一票否决(?!”?(?:事项|重特大|制))|列为“?否决项")

#: Where a sentence of wording ends, or a clause of it: what a ceiling's words are looked for in.
SENTENCE = re.compile(r"[,;。:：，；]")


def list_numbers(numbers: str) -> list[str]:
    """The numbers of a `LIST` match's ``numbers`` group: 2、4、6、10 and 1分、2分、3分 alike."""
    return re.split(r"分?、", numbers)


def is_ceiling(wording: str, match: re.Match[str]) -> bool:
    """最多扣2分, 累计不超过2分, 2分为限, 本项限扣5分: the amount at ``match`` is a cap, not a rate."""
    sentence = SENTENCE.split(wording[: match.start()])[-1]
    return bool(CEILING.search(sentence)) or wording.startswith(("为限", "封顶"), match.end())
