ZH = {
    "{source}: drafted {sections} sections, {topics} topics, {items} items, {clauses} clauses, {adjustments} adjustments, {rules} rules; {todos} TODOs to resolve":
        "{source}:已起草一级项目 {sections} 个、二级项目 {topics} 个、具体内容 {items} 项、考评标准 {clauses} 条、加减分项 {adjustments} 项、规则 {rules} 条;待处理 TODO {todos} 处",
    "{source}: nothing recognisable as a rubric: no section (一、… (25分)), topic (1.… (8分)) or item (1.…,2分。) was found":
        "{source}:没有可识别的考评细则内容:未找到一级项目(一、…(25分))、二级项目(1.…(8分))或具体内容(1.…,2分。)",
    "{path}: cannot read the document: {reason}": "{path}:无法读取文件:{reason}",
    "{path}: not UTF-8 text (byte {position} is {byte:#04x}); convert it first, e.g. iconv -f GB18030 -t UTF-8":
        "{path}:不是 UTF-8 文本(第 {position} 字节为 {byte:#04x});请先转换编码,如 iconv -f GB18030 -t UTF-8",
    "{path}: cannot write the draft: {reason}": "{path}:无法写入草稿:{reason}",
}
