"""The vocabulary of official wording (考评标准) that drafting and linting both read.

One definition, so that what `qlrules draft` takes for a per-count rule is what
`qlrules check` expects of one.
"""

from __future__ import annotations

import re

#: Wording that counts findings, with the unit it counts: 每项, 每人次, 每缺一项, 发现一起, 每发现一项.
#: 每年, 每个子项目 and 每个月 count nothing.
COUNTED = re.compile(
    r"(?:每(?:发现|缺少?|少|出现)?一?|发现一|出现一)(?P<unit>人次|项(?!目)|例|起|次|个(?!子项目|月)|处|件|条|家|篇|名|人)"
)

#: Wording that leaves the amount to the assessor: 酌情扣分, 视情扣减, 酌定.
DISCRETIONARY = re.compile(r"酌情(?:扣分|扣减|减分|扣除|扣)?|酌定|视情(?:扣分|扣减|况扣分)")
