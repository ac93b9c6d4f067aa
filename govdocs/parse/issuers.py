"""Who issued and signed a document: the organ(s) its head names, checked against the signature
block and the 机关代字 registry.

1. The head decides: the organ(s) a title opens with (`segment.title_issuers`; several for
   a joint document, 联合行文, in print order), or the organ of a 令's heading.
2. When the head names none, organ signatures (`国务院办公厅　中央军委办公厅`, one organ per
   name, lead first) stand in if each is a credible organ's name; else the organ the number's
   机关代字 stands for (国办函 → 国务院办公厅). Failing both, no issuer and a warning: an
   issuer is never a fragment of a title.
3. Where signatures or the registry disagree with the head, the head's value stays and a
   warning names the other reading.
"""

from __future__ import annotations

from govdocs.model import ParseWarning
from govdocs.parse import patterns as P
from govdocs.parse.agencies import issuer_of
from govdocs.parse.lines import Line, squash
from govdocs.parse.numbers import find_doc_numbers
from govdocs.parse.segment import is_organ


def signatures_of(line: Line) -> list[str]:
    """The names a signature line holds: two organs printed side by side are two signatures."""
    parts = line.text.split()
    if len(parts) > 1 and all(P.ORG_LINE.match(p) for p in parts):  # 财政部　税务总局
        return parts
    if m := P.PERSON_SIGNATURE.match(line.text):  # 总理　　李克强 → 总理 李克强
        return [f"{m['post']} {''.join(m['name'].split())}"]
    return [squash(line.text)]


def resolve_issuers(head: list[str], signatures: list[str], doc_number: str | None, place: str | None,
                    title: str, line: int | None) -> tuple[list[str], list[ParseWarning]]:
    named = [s for s in signatures if P.ORG_LINE.match(s)]  # organs' signatures, persons' left out
    organs = [s for s in named if is_organ(s)]  # those that can stand in for a head that names none
    found = find_doc_numbers(doc_number) if doc_number else []
    registry = issuer_of(found[0].code, place) if found else None
    warnings: list[ParseWarning] = []
    if head:
        if named and named != head:
            warnings.append(ParseWarning("document.issuer-differs",
                                    f"«{title}»: the head names {'、'.join(head)}, the signature {'、'.join(named)}", line))
        elif registry and registry != head[0]:
            warnings.append(ParseWarning("document.issuer-differs",
                                         f"«{title}»: the head names {head[0]}, the number {doc_number} stands for "
                                         f"{registry}", line))
        return head, warnings
    if organs:
        return organs, warnings
    if registry:
        return [registry], warnings
    return [], [ParseWarning("document.no-issuer", f"«{title}»: no issuing organ named at its head or signature", line)]
