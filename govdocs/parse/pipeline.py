"""The parse pipeline: raw gazette text → `ParsedIssue`, one small stage per module.

decode → lines → segment (+ masthead) → layout → document → chronicle → crosscheck
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from pathlib import Path

from govdocs import inputs
from govdocs.model import Chronicle, Coverage, PageField, ParsedIssue, ParseWarning, Source
from govdocs.parse import coverage
from govdocs.parse.agencies import place_of
from govdocs.parse.chronicle import parse_chronicle
from govdocs.parse.citations import CitationContext, find_references
from govdocs.parse.crosscheck import check_page_metadata, infer_year, latest_month, link_toc
from govdocs.parse.decode import Decoded, DecodeError, decode_bytes, decode_file, newline_style
from govdocs.parse.document import build_document, stable_id, title_text
from govdocs.parse.html import extract_html, is_html
from govdocs.parse.layout import DocLines, assign
from govdocs.parse.lines import Line, spans_of, split_lines
from govdocs.parse.masthead import parse_front_matter
from govdocs.parse.paragraphs import paragraphs
from govdocs.parse.segment import find_segments

__all__ = ["DecodeError", "parse_text", "parse_file", "parse_bytes"]


#: file name endings read as HTML pages (other files are sniffed: `html.is_html`)
HTML_SUFFIXES = tuple(sorted(inputs.HTML_SUFFIXES))


def parse_file(path: str | Path) -> ParsedIssue:
    """Parse one text file or HTML page; raises `DecodeError` when it is empty, binary or
    unreadable."""
    from govdocs.inputs import path_text

    decoded = decode_file(path)
    return _parse_decoded(decoded, path_text(path), str(path).lower().endswith(HTML_SUFFIXES))


def source_text(path: str | Path) -> str:
    """The text a file's offsets and line numbers index: its decoded text, or the text
    extracted from an HTML page."""
    decoded = decode_file(path)
    if not (str(path).lower().endswith(HTML_SUFFIXES) or is_html(decoded.text[:512])):
        return decoded.text
    return extract_html(decoded.text).text


def parse_bytes(data: bytes, path: str | None = None) -> ParsedIssue:
    return _parse_decoded(decode_bytes(data), path, bool(path and path.lower().endswith(HTML_SUFFIXES)))


def _parse_decoded(decoded: Decoded, path: str | None, html_name: bool) -> ParsedIssue:
    if not (html_name or is_html(decoded.text[:512])):
        return parse_text(decoded.text, path=path, encoding=decoded.encoding, sha256=decoded.sha256)
    page = extract_html(decoded.text)
    if not page.text.strip():
        raise DecodeError("HTML page without text")
    result = parse_text(page.text, path=path, encoding=decoded.encoding, sha256=decoded.sha256)
    result.source.format = "html"
    result.source.metadata = [PageField(label, value) for label, value in page.metadata.items()]
    result.warnings.extend(check_page_metadata(page.metadata, result.documents))
    return result


def _cite_chronicle(chronicle: Chronicle, lines: list[Line], place: str | None) -> None:
    """The references of each chronicle entry (documents find theirs in `build_document`)."""
    by_start = {ln.start: i for i, ln in enumerate(lines)}
    for entry in chronicle.entries:
        i = by_start[entry.start]
        entry_lines = []
        while i < len(lines) and lines[i].start < entry.end:
            entry_lines.append(lines[i])
            i += 1
        entry.references = find_references(paragraphs(entry_lines), CitationContext(place))


def parse_text(text: str, path: str | None = None, encoding: str = "utf-8", sha256: str | None = None) -> ParsedIssue:
    """Parse decoded text. Offsets in the result index `text` exactly."""
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = Source(path=path, sha256=sha, encoding=encoding, newline=newline_style(text))
    lines = split_lines(text)
    seg = find_segments(lines)
    warnings: list[ParseWarning] = []

    front = lines[: seg.front_end(len(lines))]
    issue = parse_front_matter(front)
    if front and not (issue.gazette or issue.number or issue.toc):
        issue.front_matter = []  # not an issue's masthead: its lines must reach a document

    chronicle_at = seg.chronicle
    boundaries = sorted([h.start for h in seg.heads] + ([chronicle_at] if chronicle_at is not None else []))
    docs = []
    for h in seg.heads:  # each document runs to the next boundary after its head
        k = bisect_right(boundaries, h.start)
        end = boundaries[k] if k < len(boundaries) else len(lines)
        doc = DocLines(h, list(lines[h.start:end]))
        doc.title_text = title_text(doc)
        docs.append(doc)
    assignment = assign(docs)
    place = place_of(issue.gazette)
    built = [d for d in assignment.documents if d.lines]
    documents = [build_document(d, sha, place) for d in built]

    if (w := infer_year(issue, documents)) is not None:
        warnings.append(w)
    chronicle, chron_lines = None, []
    if chronicle_at is not None:
        after = [h.start for h in seg.heads if h.start > chronicle_at]
        chron_lines = lines[chronicle_at:(after[0] if after else len(lines))]
        chronicle, chron_warnings = parse_chronicle(
            chron_lines, stable_id("c", sha, chron_lines[0].start), issue.year, latest_month(documents))
        warnings.extend(chron_warnings)
    warnings.extend(link_toc(issue, documents, chronicle))
    if chronicle is not None:
        _cite_chronicle(chronicle, lines, place)
    lost = coverage.check(lines, documents, [d.lines for d in built], chronicle, chron_lines, issue, front)
    unplaced = spans_of([lines[i] for i in lost])
    for span in unplaced:
        where = f"lines {span.line_start}–{span.line_end}" if span.line_end > span.line_start else f"line {span.line_start}"
        warnings.append(ParseWarning("text.unplaced", f"{where} could not be placed", span.line_start))
    if not documents and chronicle is None:
        warnings.append(ParseWarning("issue.empty", "no document or chronicle found", None))
    return ParsedIssue(source=source, issue=issue, documents=documents, chronicle=chronicle, warnings=warnings,
                       leftovers=unplaced, repairs=assignment.repairs,
                       coverage=Coverage(len(lines), len(lines) - len(lost)))

