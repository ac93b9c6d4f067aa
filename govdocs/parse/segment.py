"""Stage 4 — find where documents and the chronicle begin.

A document head is a 发文字号 line (or a 令 number) together with the title lines just
above it, the first of which starts with the issuing organ (`青海省人民政府办公厅 关于…`).
A document without a number is recognised by a `关于……的通知` title followed by a
主送机关 line. The chronicle starts at its `……年…月份大事记` heading. Everything before the
first head is the issue's front matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from govdocs.parse import patterns as P
from govdocs.parse.agencies import place_of
from govdocs.parse.closing import is_date_line
from govdocs.parse.lines import Line, is_annex_label, squash
from govdocs.vocab import REGULATION_KINDS


@dataclass(slots=True)
class Head:
    start: int  # index of the first title line
    number: int | None  # index of the 发文字号 line (None when the document has none)
    title: list[int]  # indices of the title lines


@dataclass(slots=True)
class Segments:
    heads: list[Head]
    chronicle: int | None  # index of the chronicle heading

    def front_end(self, n_lines: int) -> int:
        firsts = [h.start for h in self.heads] + ([self.chronicle] if self.chronicle is not None else [])
        return min(firsts) if firsts else n_lines


def is_number_line(text: str) -> bool:
    if "号" not in text and "號" not in text:  # both patterns end in one
        return False
    t = squash(text)
    return bool(P.DOC_NUMBER_LINE.match(t) or P.DECREE_NUMBER_LINE.match(t))


def is_title_like(line: Line) -> bool:
    text = line.text
    return (
        not line.is_table_row
        and len(text) <= 90
        and not line.terminated
        and not is_date_line(line)
        and not is_number_line(text)
        and not is_annex_label(text)
        and not text.startswith("●")
        and not P.CHRONICLE_HEADING.match(text)
    )


def is_recipients(line: Line) -> bool:
    text = line.text
    return bool(P.RECIPIENTS.match(text)) and len(text) <= 120 and not line.is_table_row and (
        "、" in text or "，" in text or "," in text or P.ISSUER.match(text) is not None
    )


#: lines a title may take above its number (an issuer line and up to three title lines)
MAX_TITLE_LINES = 4
#: how a title line ends when the title goes on below it with another organ's name
_BREAKS_OFF = ("转发", "批转", "印发", "颁发", "发布", "、", "和", "及", "与")


def is_decree_head(lines: list[Line], k: int) -> bool:
    """`第707号` under a `中华人民共和国国务院令` line: a 令's number printed on two lines."""
    return (k > 0 and lines[k].text.endswith(("号", "號")) and P.DECREE_SERIAL.match(squash(lines[k].text)) is not None
            and P.DECREE_HEADING.match(squash(lines[k - 1].text)) is not None)


def is_announcement_number(lines: list[Line], k: int) -> bool:
    """`（2019年第11号）` under a title ending in 公告: a 公告 numbered by year."""
    if "号" not in lines[k].text or "年" not in lines[k].text:  # most lines (squash keeps both)
        return False
    text = squash(lines[k].text)
    return (k > 0 and text.endswith(("号", "号）", "号)")) and "年" in text and P.DECREE_SERIAL.match(text) is not None
            and squash(lines[k - 1].text).endswith("公告"))


def find_segments(lines: list[Line]) -> Segments:
    heads: list[Head] = []
    floor = 0  # a title never reaches back past the previous head's number line
    for k, line in enumerate(lines):
        if is_decree_head(lines, k):
            heads.append(Head(k - 1, k, [k - 1]))
            floor = k + 1
        elif "令" in line.text and P.DECREE_NUMBER_LINE.match(squash(line.text)):  # 青海省人民政府令第12号
            heads.append(Head(k, k, [k]))
            floor = k + 1
        elif is_number_line(line.text) or is_announcement_number(lines, k):
            head = _head_at(lines, k, floor)
            if head is not None:
                heads.append(head)
                floor = k + 1
    if not heads:
        heads = _heads_without_numbers(lines)
    heads = _with_regulations(lines, heads)
    chronicle = None
    after = heads[0].start if heads else 0
    for i in range(after, len(lines)):
        text = lines[i].text
        if text.endswith("记") and P.CHRONICLE_HEADING.match(text) and not P.TOC_PAGE.search(text):
            chronicle = i
            break
    if chronicle is not None:
        # after the chronicle only a numbered document can begin
        heads = [h for h in heads if h.start < chronicle or h.number is not None]
    return Segments(heads, chronicle)


def title_issuers(title: str, printed: str | None = None) -> list[str]:
    """The organ(s) a title opens with — [] when its first words are no issuer. `printed` is
    the title as printed, its spaces kept: joint organs set apart by spaces (财政部 税务总局关于…)
    are read from it."""
    if printed and (m := P.TITLE_ISSUERS_SPACED.match(printed.strip())):
        return m["issuers"].split()
    return _read_issuers(title)[0]


def _read_issuers(title: str) -> tuple[list[str], int]:
    """(organs, strength) of a title's opening: 3 when credible organs stand before the
    title's own words (国务院办公厅关于…), 2 when other organ-like words do (首都国际机场协调
    委员会关于…), 1 when a credible organ opens a title that ends in a 文种 (青海省人民政府职务
    任免通知); ([], 0) when its first words are no issuer."""
    if P.DECREE_NUMBER_LINE.match(title):
        return [], 0
    if m := P.TITLE_ISSUERS.match(title):
        organs = m["issuers"].split("、")
        return organs, 3 if is_organ(organs[0]) else 2
    if (m := P.ISSUER.match(title)) and is_organ(m["issuer"]) and P.DOC_TYPE_AT_END.search(title):
        return [m["issuer"]], 1
    return [], 0


def is_organ(name: str) -> bool:
    """A name that can only be an organ's: a central one, or one that opens with a place
    (青海省人民政府) — not words that merely end like one (…和建议办, 三级公立医院)."""
    return name.startswith(P.CENTRAL_ORGAN_HEADS) or place_of(name) is not None


def _head_at(lines: list[Line], k: int, floor: int) -> Head | None:
    """The title above the number line k.

    Each run of title-like lines ending at k - 1 is a candidate title; the one whose opening
    reads most surely as its issuer(s) wins (`_read_issuers`), the nearest on a tie. So a title
    wrapped inside its organ's name (国 / 务院办公厅关于…) starts where the name does, and a
    wrapped line that merely opens with an organ (国务院关于同意建立 / 国务院职业教育…的批复)
    does not cut the title short."""
    back: list[int] = []
    for j in range(k - 1, max(floor, k - MAX_TITLE_LINES) - 1, -1):
        if not is_title_like(lines[j]):
            break
        back.append(j)
    best, best_strength, joined = None, 0, ""
    for j in back:  # bottom up
        joined = squash(lines[j].text) + joined
        strength = _read_issuers(joined)[1]
        # a tie goes to the farther start only when the line above the nearer one breaks off
        # before it (国务院办公厅转发 / 国家地震局关于…的通知), so a title above stays apart
        if strength > best_strength or (strength == best_strength > 0 and best is not None
                                        and squash(lines[best - 1].text).endswith(_BREAKS_OFF)):
            best, best_strength = j, strength
    if best is not None:
        # a joint list broken after its 、 (国务院办公厅、 / 中央军委办公厅关于…)
        while best - 1 in back and squash(lines[best - 1].text).endswith("、"):
            best -= 1
        return Head(best, k, list(range(best, k)))
    # no issuer: the title is the lines from the nearest one holding 关于 (or the last line
    # when it alone reads like a title)
    about = next((j for j in back if "关于" in lines[j].text), None)
    if about is not None:
        return Head(about, k, list(range(about, k)))
    if back and P.DOC_TYPE_AT_END.search(lines[back[0]].text):
        j = back[1] if len(back) > 1 else back[0]
        return Head(j, k, list(range(j, k)))
    # the number printed above the title (as on some web pages)
    after = []
    for j in range(k + 1, min(k + 1 + MAX_TITLE_LINES, len(lines))):
        if is_recipients(lines[j]) or not is_title_like(lines[j]):
            break
        after.append(j)
    if after:
        return Head(k, k, after)
    return None


def _heads_without_numbers(lines: list[Line]) -> list[Head]:
    heads = []
    for i in range(len(lines) - 1):
        if is_title_like(lines[i]) and P.TITLE_WITH_ABOUT.search(squash(lines[i].text)) and is_recipients(lines[i + 1]):
            title = [i]
            if i > 0 and is_title_like(lines[i - 1]) and P.ORG_LINE.match(squash(lines[i - 1].text)):
                title = [i - 1, i]
            heads.append(Head(title[0], None, title))
    return heads


def _with_regulations(lines: list[Line], heads: list[Head]) -> list[Head]:
    """Add the regulations printed on their own (no number): a title ending in 条例, 办法 …
    followed by its history (`（2019年5月30日…通过）`) or its first chapter or article — unless
    the document before it is a 令 or a notice that carries it, or it is printed as an annex
    (an 附件 label just above it)."""
    out = list(heads)
    taken = {i for h in heads for i in [*h.title, h.start] + ([h.number] if h.number is not None else [])}
    for k in range(len(lines) - 1):
        text = lines[k].text
        if not text.endswith(REGULATION_KINDS) or k in taken or not is_title_like(lines[k]):
            continue
        nxt = squash(lines[k + 1].text)
        if not (P.REGULATION_HISTORY.match(nxt) or nxt.startswith(("第一章", "第一条"))):
            continue
        if any(is_annex_label(squash(lines[j].text)) for j in range(max(0, k - 2), k)):
            continue  # the annex of the document before it (附件 / 某某管理办法 / 第一章)
        before = [h for h in out if h.start < k]
        if before:
            last = max(before, key=lambda h: h.start)
            title = squash("".join(lines[i].text for i in last.title))
            if P.CARRIER_TITLE.search(title) or P.DECREE_HEADING.match(title) or P.DECREE_NUMBER_LINE.match(title):
                continue
        out.append(Head(k, None, [k]))
    return sorted(out, key=lambda h: h.start)
