"""The section tree: 一、 → （一） → 1. → （1）, and 第X章 → 第X节 → 第X条 → 款 → 项.

Each paragraph that starts with a marker opens a section one level below the nearest
open section of a shallower kind; other paragraphs add to the open section's text.
A short first sentence after the marker (`（一）指导思想。牢固树立…`) is the heading.

Inside an article (第X条) every paragraph without a marker begins a new 款: an article of
several 款 gets one `clause` child per 款 (`第六条/第二款`), the first holding the article's
own first paragraph and the 项 (`（一）`) printed under it, so `第六条/第一款/（九）` and
`第六条/第二款` address what a lawyer cites. An article of one 款 keeps its 项 as
direct children (`第三条/（一）`). The article's `text` stays its first paragraph.
"""

from __future__ import annotations

import regex as re

from govdocs.model import Section
from govdocs.parse import patterns as P
from govdocs.parse.lines import fullwidth_to_ascii_digits
from govdocs.parse.paragraphs import Paragraph, section_marker

_DEPTH = {kind: float(n) for n, (kind, _) in enumerate(P.SECTION_MARKERS)}
_CLAUSE_DEPTH = _DEPTH["article"] + 0.5  # a 款 sits between its article and the 项 under it
_CN_DIGITS = "零一二三四五六七八九"
_HEADING_MAX = 30
_BEFORE_PAREN = re.compile(r"^(?P<heading>[^，。；（(]{2,30})[（(]")


def _number(kind: str, num: str) -> str:
    num = fullwidth_to_ascii_digits(num)
    return {
        "chapter": f"第{num}章", "part": f"第{num}节", "article": f"第{num}条",
        "cn_paren": f"（{num}）", "arabic_paren": f"（{num}）",
    }.get(kind, num)


def _split_heading(kind: str, rest: str) -> tuple[str, str]:
    if kind == "article":
        return "", rest
    m = P.INLINE_HEADING_END.match(rest)
    if m and len(m["heading"]) <= _HEADING_MAX:
        return m["heading"].strip(), m["rest"].strip()
    if "。" not in rest and len(rest) <= _HEADING_MAX + 10:
        return rest.strip(), ""
    # `（二）整治阶段（2017年3月至…）。…`: the words before a long parenthesis
    if (m := _BEFORE_PAREN.match(rest)) and len(m["heading"]) <= _HEADING_MAX:
        return m["heading"].strip(), rest.strip()
    return "", rest.strip()


def build_sections(paras: list[Paragraph]) -> list[Section]:
    roots: list[Section] = []
    stack: list[tuple[float, Section]] = []
    texts = _Texts()
    for para in paras:
        if para.text.startswith(("附件：", "附件:")):
            break  # the 附件说明 closes the body
        found = section_marker(para.text)
        if found is None and (at := _open_article(stack)) is not None:
            texts.close(stack[at][1])
            _add_clause(stack, at, para)
            continue
        if found is None:
            if stack:
                texts.add(stack[-1][1], para.text)
                _extend(stack, para.lines[-1].end)
            continue
        kind, m = found
        depth = _DEPTH[kind]
        heading, text = _split_heading(kind, para.text[m.end():])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        number = _number(kind, m["num"])
        parent = stack[-1][1] if stack else None
        node = Section(kind=kind, number=number, heading=heading, text=text,
                       path=f"{parent.path}/{number}" if parent else number,
                       line=para.first.no, start=para.first.start, end=para.lines[-1].end)
        (parent.children if parent else roots).append(node)
        stack.append((depth, node))
        _extend(stack, node.end)
    texts.close_all()
    return roots


class _Texts:
    """The texts of sections that paragraphs without a marker add to, kept as lists of
    paragraphs and joined once (joining at every paragraph copied the text again: quadratic
    in a long section's length)."""

    def __init__(self) -> None:
        self.growing: dict[int, tuple[Section, list[str]]] = {}

    def add(self, node: Section, text: str) -> None:
        """`node.text` + a line break + `text`, or `text` alone when the section has none yet."""
        grown = self.growing.get(id(node))
        if grown is None:
            grown = self.growing[id(node)] = (node, [node.text] if node.text else [])
        if grown[1] or text:
            grown[1].append(text)

    def close(self, node: Section) -> None:
        if (grown := self.growing.pop(id(node), None)) is not None:
            node.text = "\n".join(grown[1])

    def close_all(self) -> None:
        for node, parts in self.growing.values():
            node.text = "\n".join(parts)
        self.growing.clear()


def _open_article(stack: list[tuple[float, Section]]) -> int | None:
    """Where in the stack the innermost open article stands, if any."""
    return next((i for i in range(len(stack) - 1, -1, -1) if stack[i][1].kind == "article"), None)


def _add_clause(stack: list[tuple[float, Section]], at: int, para: Paragraph) -> None:
    """A paragraph without a marker inside an article: its next 款."""
    article = stack[at][1]
    if not (article.children and article.children[-1].kind == "clause"):  # the first 款 is the article's own paragraph
        first = Section(kind="clause", number="第一款", heading="", text=article.text, path=f"{article.path}/第一款",
                        line=article.line, start=article.start, end=article.end, children=article.children)
        _repath(first.children, first.path)
        article.children = [first]
    number = f"第{_cn_numeral(len(article.children) + 1)}款"
    clause = Section(kind="clause", number=number, heading="", text=para.text, path=f"{article.path}/{number}",
                     line=para.first.no, start=para.first.start, end=para.lines[-1].end)
    article.children.append(clause)
    del stack[at + 1:]
    stack.append((_CLAUSE_DEPTH, clause))
    _extend(stack, clause.end)


def _repath(sections: list[Section], parent: str) -> None:
    for s in sections:
        s.path = f"{parent}/{s.number}"
        _repath(s.children, s.path)


def _cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五, 105 → 一百零五, 120 → 一百二十 (款 are numbered in words)."""
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else ("零" + _cn_numeral(rest) if rest < 10 else
                                     ("一" if rest < 20 else "") + _cn_numeral(rest))
        return _cn_numeral(hundreds) + "百" + tail
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "") if n >= 10 else _CN_DIGITS[n]


def _extend(stack: list[tuple[float, Section]], end: int) -> None:
    """A section's span covers its own text and all its subsections."""
    for _, open_section in stack:
        open_section.end = max(open_section.end, end)
