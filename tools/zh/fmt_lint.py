"""Chinese for the messages of `qlrules fmt` (fmt.py) and the lints of `qlrules check` (lint.py).

Merge with: python tools/fill_po.py src/qlrules/locale/zh_CN/LC_MESSAGES/qlrules.po tools/zh/fmt_lint.py
("clause {clause}" is already in the catalog as 条款 {clause}.)
"""

ZH = {
    # fmt.py
    "--check changes no file; use it without -w": "--check 不修改任何文件;请不要与 -w 同时使用",
    "{path}: not in the canonical layout (qlrules fmt -w rewrites it)": "{path}:不是规范格式(qlrules fmt -w 可改写)",
    "{path}: reformatted": "{path}:已重新排版",
    # lint.py
    "clause {clause}": "条款 {clause}",
    "adjustment {clause}": "加减分项 {clause}",
    "item {item}: its text says {said} but the item has points {points}":
        "子项目 {item}:具体内容写的是 {said},但该子项目赋分为 {points} 分",
    "{what}: the wording says {said} but the rule has no cap": "{what}:考评标准原文写的是 {said},但规则没有封顶(cap)",
    "{what}: the wording says {said} but the rule's cap is {cap}": "{what}:考评标准原文写的是 {said},但规则的封顶为 {cap} 分",
    "{what}: {said} in the wording is a number no rule carries": "{what}:考评标准原文中的 {said} 是规则中没有的数字",
    "{what}: the wording says {said}, a fixed amount, but the rule is discretionary":
        "{what}:考评标准原文写的是固定分值 {said},但规则是酌情扣分(discretionary)",
    "{what}: the wording says {said} but the rule's rate is {rate}": "{what}:考评标准原文写的是 {said},但规则的分值为 {rate}",
    "{what}: the wording says 酌情 (at the assessor's discretion) but the rule is `{kind}`":
        "{what}:考评标准原文写的是酌情扣分,但规则是 `{kind}`",
    "{what}: the wording counts ({said}) but the rule is `once`": "{what}:考评标准原文按次数计({said}),但规则是 `once`",
    "{what}: the wording says {said} with no 每 (per finding) but the rule is `each`":
        "{what}:考评标准原文写的是 {said},没有“每”,但规则是 `each`",
    "{what}: the wording counts per {said} but the rule counts per {unit}": "{what}:考评标准原文按{said}计,但规则按{unit}计",
    "{what}: the wording says {said} but the rule has no `of`": "{what}:考评标准原文写的是 {said},但规则没有 `of`",
    "{what}: the wording says {said} but the rule has `of {of}`": "{what}:考评标准原文写的是 {said},但规则是 `of {of}`",
    "{what}: the wording lists {count} things ({said}) but the rule has no `of`; add `of {count}`, or end an open list with 等":
        "{what}:考评标准原文列举了 {count} 项({said}),但规则没有 `of`;请加上 `of {count}`,未列尽的列举请以“等”结尾",
}
