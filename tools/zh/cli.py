ZH = {
    "{sections} sections, {topics} topics, {items} items, {clauses} clauses, {adjustments} adjustments":
        "一级项目 {sections} 个,二级项目 {topics} 个,具体内容 {items} 项,考评标准 {clauses} 条,加减分项 {adjustments} 项",
    "fails --strict": "未通过 --strict",
    "ok": "通过",
    "{path}: {verdict} — {summary}; warnings: {warnings}": "{path}:{verdict} — {summary};警告 {warnings} 条",
    "item {item}: expected to deduct {expected}, got {got}": "子项目 {item}:预期扣 {expected} 分,实际扣 {got} 分",
    "clause {clause} deducts {rate}, more than item {item} is worth ({points})": "条款 {clause} 扣 {rate} 分,超过子项目 {item} 的赋分({points} 分)",
    "clause {clause}'s cap {cap} is not below what item {item} is worth ({points}), so it never applies":
        "条款 {clause} 的封顶 {cap} 分不低于子项目 {item} 的赋分({points} 分),不会起作用",
}
