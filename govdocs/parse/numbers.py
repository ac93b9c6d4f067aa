"""Dates and 发文字号: reading the printed forms into normalised values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.docnumber import normalize_doc_number
from govdocs.parse.lines import fullwidth_to_ascii_digits

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int | None:
    """Chinese numeral to int: 十二 → 12, 二十二 → 22, 一百零五 → 105; None if not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(fullwidth_to_ascii_digits(text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def cn_year(text: str) -> int | None:
    """二〇〇四 → 2004 (digit by digit)."""
    digits = [_CN_DIGITS.get(ch) for ch in text]
    if None in digits:
        return None
    return int("".join(str(d) for d in digits))


def iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """The ISO date, or None when a part is missing or the day does not exist (2019-02-31)."""
    if not (year and month and day):
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class FoundDate:
    iso: str | None
    start: int  # offsets into the searched string
    end: int


def find_date(text: str) -> FoundDate | None:
    """The first full date in `text`, Arabic or Chinese numerals."""
    found = []
    if m := P.DATE_ARABIC.search(text):
        y, mo, d = (int(fullwidth_to_ascii_digits(m.group(g))) for g in ("year", "month", "day"))
        found.append(FoundDate(iso(y, mo, d), m.start(), m.end()))
    if m := P.DATE_CHINESE.search(text):
        found.append(FoundDate(iso(cn_year(m["year"]), cn_to_int(m["month"]), cn_to_int(m["day"])), m.start(), m.end()))
    return min(found, key=lambda f: f.start) if found else None


@dataclass(frozen=True, slots=True)
class FoundNumber:
    normalized: str  # 青政人〔2019〕10号
    code: str
    year: int
    serial: int
    start: int  # offsets into the searched string of the printed form
    end: int


def find_doc_numbers(text: str) -> list[FoundNumber]:
    """Every 发文字号 in `text`, expanding shared ones (9号、10号 → two numbers)."""
    out: list[FoundNumber] = []
    pos = 0
    while m := P.DOC_NUMBER.search(text, pos):
        code = "".join(m["code"].split())
        year = int(fullwidth_to_ascii_digits(m["year"]))
        serial = int(fullwidth_to_ascii_digits(m["serial"]))
        out.append(FoundNumber(normalize_doc_number(code, year, serial), code, year, serial, m.start(), m.end()))
        pos = m.end()
        while extra := P.EXTRA_SERIAL.match(text, pos):
            s = int(fullwidth_to_ascii_digits(extra["serial"]))
            out.append(FoundNumber(normalize_doc_number(code, year, s), code, year, s,
                                   extra.start("serial"), extra.end()))
            pos = extra.end()
    return out
