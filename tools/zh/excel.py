"""Chinese for the messages of excel.py, batch.py, workbook_report.py and the score command (issue 5).

Merge with: python tools/fill_po.py src/qlrules/locale/zh_CN/LC_MESSAGES/qlrules.po tools/zh/excel.py
(after `make messages` has added the msgids to the catalog). The form's own words (被考评单位,
条款, 数量, 案件编号, 酌情扣分, 说明, 评分表, 按责任科室) are fixed in the code and need no entry.
"""

ZH = {
    # -- the form (excel.py) --------------------------------------------------------------------
    "Section": "一级考评项目",
    "Topic": "二级考评项目",
    "Item": "具体内容",
    "Official wording": "考评标准",
    "Kind": "扣分方式",
    "Rate": "扣分标准",
    "Instructions": "填写说明",
    "adjustment": "加减分",
    "once": "一次性扣分",
    "per {unit}": "按{unit}计扣",
    "time": "次",
    "0 to {points}": "0 至 {points} 分",
    "at most {of}": "最多 {of}",
    "{title}: assessment form": "{title}考评记录表",
    "Rubric: {title}{edition}, {points} points": "考评细则:{title}{edition},满分 {points} 分",
    "Fill in the yellow cells only; blank means zero. {count}: a whole number. {cases}: case ids, "
    "several separated by 、 or , (the count may then stay blank). {amount}: the discretionary deduction, "
    "with its reason in {note}; elsewhere {note} may cite the evidence. See the sheet {sheet} for more.":
        "只填写浅黄色单元格,空白视为 0。{count}:整数。{cases}:多个编号用“、”或“,”分隔(此时数量可不填)。"
        "{amount}:酌情扣分的分值,须在{note}栏写明理由;其他条款的{note}栏可填写依据。详见“{sheet}”工作表。",
    "A whole number, 0 or more.": "请填写不小于 0 的整数。",
    "A whole number from 0 to {high}.": "请填写 0 至 {high} 的整数。",
    "A number from 0 to {high}.": "请填写 0 至 {high} 的数。",
    "Not allowed here": "输入无效",
    "{points} points": "{points} 分",
    "Adjustments": "加减分",
    "How many: a whole number, blank for none.": "数量:整数,无则不填。",
    "How many: a whole number from 0 to {of}.": "数量:0 至 {of} 的整数。",
    "The deduction, 0 to {points}; give the reason in {note}.": "扣分分值,0 至 {points};须在{note}栏写明理由。",
    "Page &P of &N": "第 &P 页,共 &N 页",
    "How to fill in this form": "填写说明",
    "1. Write the unit's name in the yellow cell right of {label} on the sheet {sheet}.":
        "1. 在“{sheet}”工作表“{label}”右侧的黄色单元格中填写单位名称。",
    "2. Fill in only the yellow cells of the rows where something was found; leave the rest blank (blank means zero).":
        "2. 只在发现问题的行填写黄色单元格,其余留空(空白视为 0)。",
    "3. {count}: how many times the clause applies, a whole number (at most the number in the rate column, where it gives one).":
        "3. {count}:该条款适用的次数或项数,填整数(扣分标准栏注明“最多”的,不得超过该数)。",
    "4. {cases}: the case ids of 党员干部违纪违法案件, several separated by 、 or , — 注1 then deducts each case once, "
    "where it costs most. With case ids the count may stay blank: it is the number of cases.":
        "4. {cases}:党员干部违纪违法案件的编号,多个用“、”或“,”分隔——按注1,同一案件只在扣分最高处扣一次。"
        "填写案件编号后数量可不填,按案件个数计。",
    "5. {amount}: only on discretionary rows, from 0 to the item's points; {note} must then give the reason. "
    "On other rows {note} may cite the evidence.":
        "5. {amount}:仅用于酌情扣分条款,取 0 至该子项目赋分;须在{note}栏写明理由。其他条款的{note}栏可填写依据。",
    "6. A discretionary deduction names at most one case. For a second case, lift the sheet protection "
    "(Review → Unprotect Sheet, no password), copy the row and fill in the copy.":
        "6. 每条酌情扣分最多对应一个案件。如有第二个案件,请撤消工作表保护(审阅 → 撤消工作表保护,无密码),"
        "复制该行后在副本中填写。",
    "7. Score one or many filled forms with: qlrules score FORM.xlsx (or a folder of forms) --format xlsx -o report.xlsx":
        "7. 评分:qlrules score 表格.xlsx(或存放多个表格的文件夹)--format xlsx -o 考评结果.xlsx",
    "Rubric: {title}{edition}, {points} points; sha256 {sha}": "考评细则:{title}{edition},满分 {points} 分;sha256 {sha}",
    "Made by qlrules {version}.": "由 qlrules {version} 生成。",
    # -- reading a filled form -----------------------------------------------------------------------
    "{path}: cannot write the workbook: {reason}": "{path}:无法写入工作簿:{reason}",
    "{path}: an old .xls workbook; save it as .xlsx (Excel workbook) and score that":
        "{path}:这是旧版 .xls 工作簿,请另存为 .xlsx(Excel 工作簿)后再评分",
    "{path}: not an Excel workbook (.xlsx) that can be read: {reason}": "{path}:不是可读取的 Excel 工作簿(.xlsx):{reason}",
    "no header row with {headers} on the first sheet: is this a form made by qlrules template?":
        "第一个工作表中没有包含 {headers} 的表头行:这是用 qlrules template 生成的表格吗?",
    "the header row has no column {header}": "表头行缺少“{header}”列",
    "no cell {label} with the unit's name to its right on the first sheet": "第一个工作表中没有“{label}”单元格(其右侧填写单位名称)",
    "write the unit's name in this cell, right of {label}": "请在“{label}”右侧的这个单元格中填写单位名称",
    "this row has no {clause} (clause id) but its {column} is filled": "此行没有{clause}(条款编号),却填写了{column}",
    "{amount} is blank on this discretionary row: write the deduction (0 if none)": "此酌情扣分行的{amount}为空:请填写扣分分值(不扣分填 0)",
    "column {header} ({key})": "{header}列({key})",
    # -- batches (batch.py) ---------------------------------------------------------------------------
    "{path}: no Excel workbooks (.xlsx) in this folder": "{path}:此文件夹中没有 Excel 工作簿(.xlsx)",
    "the same unit name appears twice in this batch: also in {source}": "同一单位名称在本批中出现了两次:另见 {source}",
    "Rank": "排名",
    "Unit": "被考评单位",
    "Total": "总分",
    "Deducted": "扣分",
    "Effect": "处理",
    "scoring": "评分中",
    # -- the workbook report (workbook_report.py) ---------------------------------------------------
    "Summary": "汇总",
    "unit": "单位",
    "{unit}: assessment details": "{unit}考评明细",
    "No.": "编号",
    "Points": "分值",
    "Score": "得分",
    "Subtotal": "小计",
    "Sum": "合计",
    "Deductions and adjustments, clause by clause": "扣分及加减分明细",
    "Clause": "条款",
    "Adjustment": "加减分",
    "Count": "数量",
    "Cases": "案件编号",
    "How": "计分说明",
    "Evidence / reason": "依据/理由",
    "Office": "责任科室",
    "Deductions by owning office": "扣分按责任科室汇总",
    "Each item's deduction counts for every office that owns it, so an item two offices share "
    "appears under both and the offices can add up to more than the deductions.":
        "子项目的扣分计入其每个责任科室;由多个科室共同负责的子项目在各科室下都全额列出,故各科室之和可大于扣分合计。",
    "What each office's items lost, over all units": "各责任科室所属子项目的扣分(全部单位合计)",
    "Units": "扣分单位数",
    "{title}: results": "{title}考评结果汇总",
    "{units} units, ranked by total; equal totals share a rank (1, 2, 2, 4). Out of {points} points.":
        "共 {units} 个单位,按总分排名,总分相同者名次相同(1、2、2、4)。满分 {points} 分。",
    "adjusted": "加减分",
    "replaced by {clause}": "由 {clause} 替代",
    "{label}: counted in {clause}": "{label}:计入 {clause}",
    "clause cap": "条款封顶",
    "{label}: item cap": "{label}:子项目封顶",
    "adjustment cap": "加减分封顶",
    # -- the score command (cli.py) ----------------------------------------------------------------
    "--format xlsx writes a workbook: name the file with -o": "--format xlsx 生成工作簿:请用 -o 指定文件",
}
