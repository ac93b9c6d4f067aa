"""The text a 印发 / 转发 / 批转 notice carries, recognised by the title it names."""

from __future__ import annotations

from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, key, squash
from govdocs.parse.segment import is_title_like


@dataclass(frozen=True, slots=True)
class CarriedTitle:
    verb: str  # 印发 | 转发 | 批转 | 颁发 | 发布
    title: str  # the carried text's title as printed (joined, spaces removed)
    lines: int  # how many lines the printed title takes
    author_prefix: str | None  # 省国资委 when the title names the author: 转发省国资委《…》


def carrier_verb(title: str) -> tuple[str, str] | None:
    """(verb, carried title) for `关于印发X的通知`-style titles."""
    m = P.CARRIER_TITLE.search(squash(title))
    if m is None:
        return None
    return m["verb"], m["carried"].strip("《》")


def carried_title_at(doc_title: str, lines: list[Line], j: int) -> CarriedTitle | None:
    """Does the carried text's title start at lines[j]? Matches one or two printed lines."""
    found = carrier_verb(doc_title)
    if found is None or j >= len(lines):
        return None
    verb, carried = found
    want = key(carried)
    printed = ""
    for n in range(2):
        if j + n >= len(lines) or not is_title_like(lines[j + n]):
            return None
        printed += lines[j + n].text
        got = key(printed)
        if got == want:
            return CarriedTitle(verb, squash(printed), n + 1, None)
        if len(got) >= 6 and want.endswith(got):
            return CarriedTitle(verb, squash(printed), n + 1, carried[: len(carried) - len(squash(printed))] or None)
    return None
