"""The normalised form of a 发文字号 (no imports: the search command uses it too)."""

from __future__ import annotations

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_doc_number(code: str, year: int | str, serial: int | str) -> str:
    """青政, 2019, 45 → 青政〔2019〕45号 (full-width digits and leading zeros read as numbers)."""
    return f"{code}〔{int(str(year).translate(_FULLWIDTH_DIGITS))}〕{int(str(serial).translate(_FULLWIDTH_DIGITS))}号"
