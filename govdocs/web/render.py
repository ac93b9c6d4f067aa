"""What the templates need beyond Jinja2: marked snippets, links, pages, a document's body.

Everything returned as `Markup` is built from escaped pieces: text from the index or a
document is never trusted as HTML.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from govdocs.relations.catalog import Catalog
from govdocs.relations.on_day import STATUSES

#: how a status reads on a badge
STATUS_LABELS = {"repealed": "repealed", "expired": "expired", "amended": "amended",
                 "not_yet_effective": "not yet effective", "effective": "in force",
                 "no_change_known": "no change known", "not_in_corpus": "not in corpus"}
assert set(STATUS_LABELS) == set(STATUSES)


def marked(text: str, marks: list[list[int]]) -> Markup:
    """A snippet with its marks as <mark> (the index's offsets, not a search in the page)."""
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def query_string(params, **changes: Any) -> str:
    """URL parameters: `params` with `changes` applied (a value None removes a parameter;
    a list sets several values). The page number is dropped: a changed search starts at 1."""
    items = [(k, v) for k, v in params.multi_items() if k not in changes and k != "page"]
    for key, value in changes.items():
        if value is None:
            continue
        items.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return urlencode(items)


def with_value(params, name: str, value: str, multi: bool) -> str:
    """The search with one more facet value (several at once for a multi-valued facet)."""
    current = params.getlist(name)
    if multi:
        return query_string(params, **{name: current + [value] if value not in current else current})
    return query_string(params, **{name: value})


def without_value(params, name: str, value: str) -> str:
    """The search without one facet value (the filter chip's ×)."""
    rest = [v for v in params.getlist(name) if v != value]
    return query_string(params, **{name: rest or None})


def at_page(params, number: int) -> str:
    return urlencode([(k, v) for k, v in params.multi_items() if k != "page"] + [("page", str(number))])


def pages(current: int, size: int, total: int) -> dict[str, Any]:
    last = max(1, -(-total // size))
    window = list(range(max(1, current - 3), min(last, current + 3) + 1))
    return {"current": current, "last": last, "window": window, "first_hit": (current - 1) * size + 1 if total else 0,
            "last_hit": min(total, current * size)}


def histogram(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """(year, count, bar height in per cent of the largest) in year order."""
    if not counts:
        return []
    top = max(counts.values())
    return [(year, n, max(4, round(100 * n / top))) for year, n in sorted(counts.items())]


def doc_url(record_id: str) -> str:
    return "/doc/" + quote(record_id, safe="")


def refs_url(number: str) -> str:
    return "/refs/" + quote(number, safe="")


def source_url(path: str | None, line: int | None = None, doc: str | None = None) -> str:
    params = [("path", path or "")] + ([("doc", doc)] if doc else []) + ([("line", str(line))] if line else [])
    return "/source?" + urlencode(params) + (f"#L{line}" if line else "")


def hit_url(hit) -> str:
    """Where a hit leads: a document's page; a chronicle entry in its month; an
    appointment's notice."""
    if hit.kind == "document":
        return doc_url(hit.id)
    if hit.kind == "chronicle" and hit.date:
        return f"/chronicle?month={hit.date[:7]}#{quote(hit.id, safe='')}"
    if hit.parent_id:
        return doc_url(hit.parent_id)
    return source_url(hit.source, hit.line)


def citation_links(references, catalog: Catalog) -> list[dict[str, Any]]:
    """Each citation of a document with where it leads: the cited document's page when the
    corpus holds it, else its refs page (marked "not in corpus")."""
    out = []
    for ref in references:
        target = catalog.entries.get(ref.target_id) if ref.target_id else None
        if target is not None:
            href, held = doc_url(target.id), True
        elif ref.doc_number:
            href, held = refs_url(ref.doc_number), False
        else:
            href, held = None, False
        out.append({"ref": ref, "href": href, "held": held, "target": target})
    return out


def linked_text(text: str, links: list[dict[str, Any]]) -> Markup:
    """`text` with each citation (as printed, line breaks removed) made a link."""
    spots: list[tuple[int, int, dict[str, Any]]] = []
    flat = text
    for link in links:
        printed = "".join(link["ref"].text.split())
        if not link["href"] or not printed:
            continue
        at = flat.find(printed)
        while at >= 0 and any(s < at + len(printed) and at < e for s, e, _ in spots):
            at = flat.find(printed, at + 1)
        if at >= 0:
            spots.append((at, at + len(printed), link))
    out, pos = [], 0
    for start, end, link in sorted(spots, key=lambda s: s[0]):
        out.append(escape(flat[pos:start]))
        css = "cite" if link["held"] else "cite missing"
        title = "" if link["held"] else Markup(' title="not in corpus"')
        out.append(Markup('<a class="{}" href="{}"{}>').format(css, link["href"], title) + escape(flat[start:end])
                   + Markup("</a>"))
        pos = end
    out.append(escape(flat[pos:]))
    return Markup("").join(out)


def _flat_sections(sections: list[dict]) -> list[dict]:
    out = []
    for s in sections:
        out.append(s)
        out.extend(_flat_sections(s.get("children", [])))
    return out


def body_paragraphs(body: str, sections: list[dict], links: list[dict[str, Any]]) -> list[tuple[str | None, Markup]]:
    """A body's paragraphs, each with the anchor of the section it opens (if any) and its
    citations linked."""
    starts: dict[int, str] = {}
    flat = _flat_sections(sections)
    paragraphs = body.split("\n")
    k = 0
    for section in flat:
        head = (section.get("heading") or section.get("text") or "")[:12]
        for i in range(k, len(paragraphs)):
            if head and head in paragraphs[i][:40]:
                starts.setdefault(i, section["path"])
                k = i
                break
    return [(starts.get(i), linked_text(p, links)) for i, p in enumerate(paragraphs) if p.strip()]


def anchor(path: str) -> str:
    return "s-" + re.sub(r"\W+", "-", path)


def linked_entry(text: str, names: set[str]) -> Markup:
    """A chronicle entry with the people it names linked to their register, and the 文号 it
    prints linked to their refs."""
    from govdocs.parse.docnumber import normalize_doc_number
    from govdocs.parse.patterns import DOC_NUMBER

    spots = [(m.start(), m.end(), refs_url(normalize_doc_number(m["code"], m["year"], m["serial"])))
             for m in DOC_NUMBER.finditer(text)]
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 2:
            continue
        for m in re.finditer(re.escape(name), text):
            if not any(s < m.end() and m.start() < e for s, e, _ in spots):
                spots.append((m.start(), m.end(), "/people?" + urlencode({"name": name})))
    out, pos = [], 0
    for start, end, href in sorted(spots):
        out.append(escape(text[pos:start]))
        out.append(Markup('<a href="{}">').format(href) + escape(text[start:end]) + Markup("</a>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


GLOBALS = {"doc_url": doc_url, "refs_url": refs_url, "source_url": source_url, "hit_url": hit_url,
           "query_string": query_string, "with_value": with_value, "without_value": without_value,
           "at_page": at_page, "histogram": histogram, "STATUS_LABELS": STATUS_LABELS, "anchor": anchor,
           "body_paragraphs": body_paragraphs, "marked": marked}
FILTERS = {"marked": marked}
