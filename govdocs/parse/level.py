"""效力级别 (`Document.level`): the legal force of a document, from its issuer, 文种 and 令.

- 行政法规: a 令 of the State Council (国令第707号, 个人所得税法实施条例)
- 部门规章: a 令 of a ministry or other department (交通运输部令2026年第8号)
- 地方政府规章: a 令 of a provincial or city government (青海省人民政府令第120号)
- 规范性文件: issued by a government or its general office (国务院, 国务院办公厅, 青海省人民政府,
  …办公厅) to a class of organs or to the public — recipients that begin 各… (各市、自治州人民政府，
  省政府各委、办、厅、局), list three or more organs, or are none — and neither a working 文种 (批复,
  函, 复函, 答复, 通报 …) nor a notice about people or groups (任免, 职务, 领导小组, 组成人员)
  (国发〔2019〕5号, 青政〔2019〕45号)
- 工作文件: the rest: replies, letters, reports, personnel and leading-group notices, 通报, notices
  to one or two organs (国函〔2018〕144号, 青政人〔2019〕9号)

None (unknown) when the facts do not say: no issuer read, or an issuer that is no government.
"""

from __future__ import annotations

from govdocs.model import Document
from govdocs.parse.agencies import place_of
from govdocs.vocab import WORKING_DOC_TYPES, Level

#: title words of notices about people and groups (任免, 领导小组成员 …): working documents
_PERSONNEL = ("任免", "职务", "组成人员", "领导小组", "成员")
#: how the names of governments and their general offices end
_GOVERNMENTS = ("国务院", "国务院办公厅", "人民政府", "人民政府办公厅", "人民政府办公室")


def level_of(doc: Document) -> Level | None:
    issuer = doc.issuer or ""
    if doc.doc_type == "令":
        if issuer == "国务院":
            return "行政法规"
        if issuer.endswith("主席"):  # a 主席令 promulgates a 法律, a level above these
            return None
        if issuer.endswith("人民政府") and place_of(issuer):
            return "地方政府规章"
        return "部门规章" if issuer else None
    if not issuer:
        return None
    if doc.appointments or any(w in doc.title for w in _PERSONNEL) or doc.doc_type in WORKING_DOC_TYPES:
        return "工作文件"
    if not issuer.endswith(_GOVERNMENTS):
        return None
    recipients = doc.recipients or ""
    to_a_class = not recipients or recipients.startswith("各") or recipients.count("、") + recipients.count("，") >= 2
    return "规范性文件" if to_a_class else "工作文件"
