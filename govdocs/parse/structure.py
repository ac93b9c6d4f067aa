"""The section tree: 一、 → （一） → 1. → （1）, and 第X章 → 第X节 → 第X条.

Each paragraph that starts with a marker opens a section one level below the nearest
open section of a shallower kind; other paragraphs add to the open section's text.
A short first sentence after the marker (`（一）指导思想。牢固树立…`) is the heading.
"""

from __future__ import annotations

import regex as re

from govdocs.model import Section
from govdocs.parse import patterns as P
from govdocs.parse.lines import fullwidth_to_ascii_digits
from govdocs.parse.paragraphs import Paragraph, section_marker

_DEPTH = {kind: n for n, (kind, _) in enumerate(P.SECTION_MARKERS)}
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
    stack: list[tuple[int, Section]] = []
    for para in paras:
        if para.text.startswith(("附件：", "附件:")):
            break  # the 附件说明 closes the body
        found = section_marker(para.text)
        if found is None:
            if stack:
                node = stack[-1][1]
                node.text = f"{node.text}\n{para.text}" if node.text else para.text
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
    return roots


def _extend(stack: list[tuple[int, Section]], end: int) -> None:
    """A section's span covers its own text and all its subsections."""
    for _, open_section in stack:
        open_section.end = max(open_section.end, end)
