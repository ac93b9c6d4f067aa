"""The text a document carries, recognised by the title it names.

Two kinds of document carry a text printed after their closing:
- a notice that issues, forwards or approves one: `关于印发X的通知`, `转发X的通知`,
  `关于批转X的通知` (also …的函, …的决定, …的意见) — the carried title is X;
- a 令 that promulgates a regulation: `现公布修订后的《X》，自…起施行` — the carried title
  is the one its promulgating sentence names.

The carried text starts where its title is printed: one to three title lines whose words
equal X, or end X when X names the author first (`转发省国资委《…》`), compared without
white space, quotes, brackets or 的 (`…工作意见报告` names `…工作意见的报告`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, join_wrapped, key, squash
from govdocs.parse.segment import is_title_like

#: how many printed lines a carried title may take
_TITLE_LINES = 3


@dataclass(frozen=True, slots=True)
class Carrier:
    verb: str  # 印发 | 转发 | 批转 | 颁发 | 发布 | 公布
    title: str  # the carried title as the carrier names it


@dataclass(frozen=True, slots=True)
class CarriedTitle:
    verb: str
    title: str  # the carried text's title as printed (joined, spaces removed)
    lines: int  # how many lines the printed title takes
    author_prefix: str | None  # 省国资委 when the title names the author: 转发省国资委《…》


def carrier_verb(title: str) -> tuple[str, str] | None:
    """(verb, carried title) for `关于印发X的通知`-style titles."""
    m = P.CARRIER_TITLE.search(squash(title))
    if m is None:
        return None
    return m["verb"], m["carried"].strip("《》")


def carrier_of(title: str, texts: Iterable[str] = ()) -> Carrier | None:
    """What a document carries: from its title, else — for a 令 — from the promulgating
    sentence among `texts` (its body's lines)."""
    if found := carrier_verb(title):
        return Carrier(*found)
    if P.DECREE_HEADING.match(title) or P.DECREE_NUMBER_LINE.match(title):
        # the lines joined: a promulgating sentence wrapped over two lines (《中华人民共和国…法 /
        # 实施条例》) is read whole
        if m := P.PROMULGATION.search(join_wrapped(list(texts))):
            return Carrier("公布", m["title"])
    return None


def _loose(text: str) -> str:
    return key(text).replace("的", "")


def carried_title_at(carrier: Carrier | None, lines: list[Line], j: int) -> CarriedTitle | None:
    """Does the carried text's title start at lines[j]?"""
    if carrier is None or j >= len(lines):
        return None
    want = _loose(carrier.title)
    printed = ""
    for n in range(_TITLE_LINES):
        if j + n >= len(lines) or not is_title_like(lines[j + n]):
            return None
        printed += lines[j + n].text
        got = _loose(printed)
        if got == want:
            return CarriedTitle(carrier.verb, squash(printed), n + 1, None)
        if len(got) >= 6 and want.endswith(got):
            author = _author(carrier.title, squash(printed))
            return CarriedTitle(carrier.verb, squash(printed), n + 1, author)
        if not want.startswith(got) and not (len(got) >= 6 and got in want):
            return None
    return None


def _author(named: str, printed: str) -> str | None:
    """The organ the carrier names before the printed title: 国家地震局 of
    `国家地震局关于…报告` when `关于…的报告` is printed."""
    tail = _loose(printed)
    for cut in range(len(named), -1, -1):  # the shortest head of `named` whose rest is the title
        if _loose(named[cut:]) == tail:
            return named[:cut] or None
    return None
