"""Closed vocabularies shared by the parser, the index and the CLI — one table each.

Each vocabulary is a `Literal` type (what the model's fields and mypy check) and a tuple of
its values derived from it with `get_args` (what code and the CLI's choices iterate): the
values are written once.

文种 (`doc_type`) follow 《党政机关公文处理工作条例》 (2012, art. 8): its fifteen kinds, the older
会议纪要 and 指示, and 复函 and 答复, which are forms of 函 kept as printed. A title's last
words decide: `DOC_TYPE_FORMS` maps each printed ending to the value recorded (指导意见 is an
意见, 命令 a 令). Regulations (条例, 办法 …) are not 文种: they are the text a 令 or a 印发
notice carries; one printed on its own is recorded with `doc_type` None and its kind in
`regulation`.
"""

from __future__ import annotations

from typing import Literal, get_args

#: the relations by which a citing document changes the cited one's status: the parser reads
#: them only where their words act, the status rules date repeals and amendments by them, and
#: the catalog's heads keep only their references (`index.catalog_store`)
ChangeRelation = Literal["repeals", "amends"]
CHANGES: tuple[ChangeRelation, ...] = get_args(ChangeRelation)

#: the fifteen 文种 of 2012, in the regulation's order
DocType2012 = Literal["决议", "决定", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
                      "议案", "函", "纪要"]
#: older kinds still found in gazettes, and the forms of 函 kept as printed
DocTypeOther = Literal["会议纪要", "指示", "复函", "答复"]
#: every value `doc_type` takes
DocType = Literal[DocType2012, DocTypeOther]
DOC_TYPES_2012: tuple[DocType, ...] = get_args(DocType2012)
DOC_TYPES_OTHER: tuple[DocType, ...] = get_args(DocTypeOther)
DOC_TYPES: tuple[DocType, ...] = get_args(DocType)

#: printed title ending → recorded 文种 (every value of DOC_TYPES maps to itself)
DOC_TYPE_FORMS: dict[str, DocType] = {
    **{t: t for t in DOC_TYPES},
    "命令": "令", "实施意见": "意见", "指导意见": "意见", "若干意见": "意见",
}

#: kinds of regulation (the `regulation` of a text a 令 or notice carries, or that stands alone)
RegulationKind = Literal["条例", "规定", "办法", "细则", "实施细则", "规则", "规程", "章程", "准则"]
REGULATION_KINDS: tuple[RegulationKind, ...] = get_args(RegulationKind)
#: printed kind → the value recorded (itself): what a pattern read is looked up in
REGULATION_KIND_OF: dict[str, RegulationKind] = {k: k for k in REGULATION_KINDS}

#: 效力级别, the legal force of a text (`parse/level.py` says how each is told)
Level = Literal["行政法规", "部门规章", "地方政府规章", "规范性文件", "工作文件"]
LEVELS: tuple[Level, ...] = get_args(Level)
#: 文种 that answer, report or inform one addressee: working documents, never 规范性文件
WORKING_DOC_TYPES: tuple[DocType, ...] = ("批复", "函", "复函", "答复", "通报", "请示", "报告", "纪要", "会议纪要")

#: what the index holds, one record each, and `search --kind` selects
IndexedKind = Literal["document", "appointment", "chronicle"]
#: the kinds of record: what the index holds, and citations (`export --kind`, `schema`)
RecordKind = Literal[IndexedKind, "reference"]
#: what `export` writes and `schema` describes: the records and the issues' TOC lines
ExportKind = Literal[RecordKind, "toc"]
INDEXED_KINDS: tuple[IndexedKind, ...] = get_args(IndexedKind)
RECORD_KINDS: tuple[RecordKind, ...] = get_args(RecordKind)
EXPORT_KINDS: tuple[ExportKind, ...] = get_args(ExportKind)
#: the plural spellings `export` and `schema` first took, still accepted as input; they
#: remain the names of the files `export --kind all` writes (documents.jsonl …)
PLURALS: dict[ExportKind, str] = {"document": "documents", "appointment": "appointments", "reference": "references"}
KIND_ALIASES: dict[str, ExportKind] = {plural: kind for kind, plural in PLURALS.items()}


def plural(kind: ExportKind) -> str:
    """The name of a kind's export file, and of its count: documents, chronicle, toc."""
    return PLURALS.get(kind, kind)


def export_kind(name: str) -> ExportKind:
    """A kind as spelled now (document) or in its earlier plural (documents); KeyError for any other name."""
    return _KIND_NAMES[name]


_KIND_NAMES: dict[str, ExportKind] = {**{k: k for k in EXPORT_KINDS}, **KIND_ALIASES}


#: a document's status on a day, in the order of precedence (`relations/status.py` says when
#: each holds; `relations/on_day.py` decides it)
StatusName = Literal["repealed", "expired", "amended", "not_yet_effective", "effective", "no_change_known",
                 "not_in_corpus"]
STATUSES: tuple[StatusName, ...] = get_args(StatusName)
#: statuses of earlier versions, accepted as input: what each now stands for
RENAMED: dict[str, tuple[StatusName, ...]] = {"in_force": ("effective", "no_change_known"),
                                          "not_yet_issued": ("not_yet_effective",), "unknown": ("no_change_known",)}
