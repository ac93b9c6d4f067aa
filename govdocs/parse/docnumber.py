"""The normalised form of a 发文字号 (no imports: the search command uses it too)."""

from __future__ import annotations

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_doc_number(code: str, year: int | str, serial: int | str) -> str:
    """青政, 2019, 45 → 青政〔2019〕45号 (full-width digits and leading zeros read as numbers)."""
    return f"{code}〔{int(str(year).translate(_FULLWIDTH_DIGITS))}〕{int(str(serial).translate(_FULLWIDTH_DIGITS))}号"


#: the state's name that opens the State Council's 令 (中华人民共和国国务院令)
_STATE = "中华人民共和国"
#: 令 issued by a post, not an organ: the state's name stays in the issuer
_POSTS = ("主席",)
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def _serial(text: str) -> int:
    """707, ７０７ or 二十四 (a 主席令's serial) → int."""
    if text.translate(_FULLWIDTH_DIGITS).isdigit():
        return int(text.translate(_FULLWIDTH_DIGITS))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:  # 十 or 百
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
    return total + current


def decree_number(printed_issuer: str, serial: int | str, kind: str = "令",
                  year: int | str | None = None) -> tuple[str, str]:
    """(issuer, number) of a 令 or 公告: 中华人民共和国国务院, 707 → (国务院, 国令第707号);
    青海省人民政府, 12 → (青海省人民政府, 青海省人民政府令第12号); 国家税务总局, 11, 公告, 2019 →
    (国家税务总局, 国家税务总局公告2019年第11号)."""
    printed = "".join(printed_issuer.split())
    issuer = printed.removeprefix(_STATE)
    if issuer in _POSTS or not issuer:  # 中华人民共和国主席令: the state's, not a post's
        issuer = printed
    n = _serial(str(serial))
    in_year = f"{int(str(year).translate(_FULLWIDTH_DIGITS))}年" if year else ""
    head = "国令" if issuer == "国务院" and kind == "令" else f"{issuer}{kind}"
    return issuer, f"{head}{in_year}第{n}号"


def number_code(number: str) -> str | None:
    """The 机关代字 of a normalised number: 国办函〔2004〕57号 → 国办函; 国令第707号 → 国令;
    交通运输部令2026年第8号 → 交通运输部令; None for anything else."""
    if "〔" in number:
        return number[: number.index("〔")] or None
    for kind in ("令", "公告"):
        if kind in number and number.endswith("号"):
            return number[: number.index(kind) + len(kind)]
    return None
