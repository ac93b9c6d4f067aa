"""The 机关代字 registry: which organ a 发文字号's code stands for.

A code maps to one issuer, or — when provinces share it (青政 is 青海 and 青岛) — to one
issuer per place; `issuer_of` picks by the place the gazette (or the citing document)
belongs to. Codes not listed resolve to no issuer: a citation keeps its number either way.
"""

from __future__ import annotations

#: code → issuer, or place → issuer for codes that places share
AGENCY_CODES: dict[str, str | dict[str, str]] = {
    # the centre
    "中发": "中共中央", "中办发": "中共中央办公厅", "中办": "中共中央办公厅", "厅字": "中共中央办公厅",
    "国发": "国务院", "国函": "国务院", "国发明电": "国务院", "国令": "国务院",
    "国办发": "国务院办公厅", "国办函": "国务院办公厅", "国办发明电": "国务院办公厅",
    "安委": "国务院安全生产委员会", "安委办": "国务院安全生产委员会办公室",
    "发改": "国家发展和改革委员会", "财预": "财政部", "财建": "财政部", "民航发": "中国民用航空局",
    # 青海 (and 青岛, which prints the same codes)
    "青政": {"青海": "青海省人民政府", "青岛": "青岛市人民政府"},
    "青政发": {"青海": "青海省人民政府", "青岛": "青岛市人民政府"},
    "青政办": {"青海": "青海省人民政府办公厅", "青岛": "青岛市人民政府办公厅"},
    "青政办发": {"青海": "青海省人民政府办公厅", "青岛": "青岛市人民政府办公厅"},
    "青政函": {"青海": "青海省人民政府", "青岛": "青岛市人民政府"},
    "青政办函": {"青海": "青海省人民政府办公厅", "青岛": "青岛市人民政府办公厅"},
    "青政人": {"青海": "青海省人民政府"},
    "青发": {"青海": "中共青海省委员会", "青岛": "中共青岛市委员会"},
    "青办发": {"青海": "中共青海省委办公厅", "青岛": "中共青岛市委办公厅"},
}

#: places whose names open gazette titles and issuer names (longest match wins)
PLACES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "青岛", "大连", "宁波", "厦门", "深圳",
)

#: words that can stand between a lead-in and a number: 根据青政〔…〕, 和国发〔…〕
_LEAD_INS = (
    "贯彻落实", "根据", "依据", "依照", "按照", "遵照", "参照", "贯彻", "落实", "印发", "转发", "批转",
    "废止", "修订", "修改", "同时", "以及", "关于", "对", "将", "和", "及", "与", "或", "并", "经", "由",
    "按", "据", "即", "是", "的", "在", "为", "见", "文件", "号文",
)


def place_of(name: str | None) -> str | None:
    """The place a gazette or an organ belongs to: 青海政报 → 青海, 青岛市人民政府 → 青岛."""
    if not name:
        return None
    found = [p for p in PLACES if name.startswith(p)]
    return max(found, key=len) if found else None


def trim_code(run: str) -> str:
    """The 机关代字 at the end of a Han run: 根据青政 → 青政, 和国办发 → 国办发."""
    run = "".join(run.split())
    known = [run[i:] for i in range(len(run)) if run[i:] in AGENCY_CODES]
    if known:
        return known[0]  # the longest known suffix
    changed = True
    while changed and len(run) > 1:
        changed = False
        for word in _LEAD_INS:
            if run.startswith(word) and len(run) > len(word):
                run, changed = run[len(word):], True
                break
    return run


def issuer_of(code: str, place: str | None) -> str | None:
    """The organ a code stands for; a shared code needs the place (else None)."""
    entry = AGENCY_CODES.get(code)
    if isinstance(entry, dict):
        return entry.get(place) if place else None
    return entry


def is_ambiguous(code: str) -> bool:
    entry = AGENCY_CODES.get(code)
    return isinstance(entry, dict) and len(entry) > 1


