"""Closed vocabularies shared by the parser, the index and the CLI — one table each.

文种 (`doc_type`) follow 《党政机关公文处理工作条例》 (2012, art. 8): its fifteen kinds, the older
会议纪要 and 指示, and 复函 and 答复, which are forms of 函 kept as printed. A title's last
words decide: `DOC_TYPE_FORMS` maps each printed ending to the value recorded (指导意见 is an
意见, 命令 a 令). Regulations (条例, 办法 …) are not 文种: they are the text a 令 or a 印发
notice carries; one printed on its own is recorded with `doc_type` None and its kind in
`regulation`.
"""

from __future__ import annotations

#: the fifteen 文种 of 2012, in the regulation's order
DOC_TYPES_2012 = ("决议", "决定", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
                  "议案", "函", "纪要")
#: older kinds still found in gazettes, and the forms of 函 kept as printed
DOC_TYPES_OTHER = ("会议纪要", "指示", "复函", "答复")
#: every value `doc_type` takes
DOC_TYPES = DOC_TYPES_2012 + DOC_TYPES_OTHER

#: printed title ending → recorded 文种 (every value of DOC_TYPES maps to itself)
DOC_TYPE_FORMS: dict[str, str] = {
    **{t: t for t in DOC_TYPES},
    "命令": "令", "实施意见": "意见", "指导意见": "意见", "若干意见": "意见",
}

#: kinds of regulation (the `regulation` of a text a 令 or notice carries, or that stands alone)
REGULATION_KINDS = ("条例", "规定", "办法", "细则", "实施细则", "规则", "规程", "章程", "准则")

#: 效力级别, the legal force of a text (`parse/level.py` says how each is told)
LEVELS = ("行政法规", "部门规章", "地方政府规章", "规范性文件", "工作文件")
#: 文种 that answer, report or inform one addressee: working documents, never 规范性文件
WORKING_DOC_TYPES = ("批复", "函", "复函", "答复", "通报", "请示", "报告", "纪要", "会议纪要")
