"""The last stage — did every line's *text* reach the output?

A span that points at a line proves nothing when the line's words were written to no
field (a carried text dropped between the closing and the annexes still sits inside the
document's fragments). This stage checks the text itself:

1. A line of a document is placed when its cleaned text, white space removed, is found
   in one of that document's fields (title, numbers, recipients, body, signatures, notes,
   carried text, annexes and their tables, appointments), searched in reading order; or
   when metadata spans (a 发文字号 or date printed in a form the field normalises) cover
   all its characters; or when it is a layout marker (`（上转4页）`) the repair consumed.
2. A line of the chronicle is placed when its text is in the heading, an entry or the
   credits; a line of the front matter (masthead, TOC, editorial board) is placed by the
   front matter's span — those parts keep no text of their own beyond the TOC.
3. Every other non-blank line is *unplaced*: it is returned with the leftovers (the
   caller reports it as a warning naming the lines).

Each document's lines are searched with a moving cursor, so the check is linear in the
text for documents whose fields keep the source's order (all of them, by construction).
"""

from __future__ import annotations

from html import unescape

from govdocs.model import Chronicle, Document, Issue
from govdocs.parse import patterns as P
from govdocs.parse.lines import Line, is_jump_marker

#: characters a normalised metadata field may drop from its printed form (the separators
#: of `9号、10号`, the 第 of `第45號`, brackets of a note)
_DROPPABLE = set("、,，和及第（）()：: 　\t")


def document_texts(doc: Document) -> list[str]:
    """A document's text fields in reading order (the order its lines were printed in)."""
    out = [doc.heading or "", doc.title, *doc.doc_numbers, doc.recipients or "", *doc.annex_list, doc.body,
           *doc.signatories, doc.note or ""]
    if (a := doc.attachment) is not None:
        out += [a.title, a.author or "", a.body]
    for annex in doc.annexes:
        out += [annex.label or "", annex.title or "", annex.text]
        for table in annex.tables:
            out += table.header + [cell for row in table.rows for cell in row]
    out += [ap.text for ap in doc.appointments]
    return out


def _chronicle_texts(chronicle: Chronicle) -> list[str]:
    return [chronicle.heading, *(e.text for e in chronicle.entries), chronicle.credits or ""]


class _Haystack:
    """Texts searched in order: a line is looked for from where the last one was found."""

    def __init__(self, texts: list[str]) -> None:
        self.text = "\x00".join(_bare(t) for t in texts if t)
        self.cursor = 0

    def holds(self, needle: str) -> bool:
        at = self.text.find(needle, self.cursor)
        if at < 0:
            at = self.text.find(needle)
        if at < 0:
            return False
        self.cursor = at + len(needle)
        return True


def _covered_by_spans(line: Line, spans: list[tuple[int, int]]) -> bool:
    """Do metadata spans cover every character of the line that a field could not drop?"""
    inside = [(max(a, line.start), min(b, line.end)) for a, b in spans if a < line.end and b > line.start]
    if not inside:
        return False
    if "&" in line.raw:  # space entities a website left are no text (lines.clean drops them)
        inside += [(line.start + m.start(), line.start + m.end()) for m in P.ENTITY_DEBRIS.finditer(line.raw)]
    return all(ch in _DROPPABLE or any(a <= line.start + i < b for a, b in inside)
               for i, ch in enumerate(line.raw))


def _bare(text: str) -> str:
    """The text without white space (a C-level split: faster than a translate table)."""
    return "".join(text.split())


def _needles(line: Line) -> list[str]:
    """What must be found of a line: its text, or each paragraph of each cell of a table row
    (a row cut by a page break is rejoined cell by cell; a repeated header is dropped). Cells'
    HTML paragraphs are cut at their tags and unescaped, as `tables.cells_of` reads them."""
    if line.is_table_row:
        parts = (p for cell in line.raw.split("\t") for p in (P.HTML_TAG.split(cell) if "<" in cell else (cell,)))
        return [_bare(unescape(p)) for p in parts if p.strip()]
    return [_bare(line.text)]


def check(lines: list[Line], documents: list[Document], doc_lines: list[list[Line]],
          chronicle: Chronicle | None, chronicle_lines: list[Line], issue: Issue, front: list[Line]) -> list[int]:
    """The idx of each of `lines` whose text reaches no output field. `doc_lines[k]` are the
    lines document k was built from, in reading order; `front` the lines kept as front matter."""
    placed: set[int] = {ln.idx for ln in front} if issue.front_matter else set()
    for doc, own in zip(documents, doc_lines, strict=True):
        holds = _Haystack(document_texts(doc)).holds
        spans = [(s.start, s.end) for s in doc.spans]
        for line in own:  # `_needles` and `is_jump_marker` inlined for a line of text: once per line of the corpus
            text = line.text
            if ((text[:1] in "（(" and is_jump_marker(text))
                    or (all(map(holds, _needles(line))) if "\t" in line.raw else holds("".join(text.split())))
                    or _covered_by_spans(line, spans)):
                placed.add(line.idx)
    if chronicle is not None:
        hay = _Haystack(_chronicle_texts(chronicle))
        for line in chronicle_lines:
            # an entry's date (●6月11日至12日) is read into its `date`/`date_end`
            entry = P.CHRONICLE_ENTRY.match(line.text) if line.text[:1] == "●" else None
            needles = [_bare(entry["text"])] if entry else _needles(line)
            if P.CHRONICLE_CREDITS.match(line.text):  # kept without its brackets
                needles = [needles[0].strip("()（）")]
            if all(map(hay.holds, needles)):
                placed.add(line.idx)
    return [ln.idx for ln in lines if ln.idx not in placed]
