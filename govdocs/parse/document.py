"""Stage 6 — one document's metadata and parts from its lines (already in reading order).

Order of a reprinted document: issuer/title → 发文字号 → 主送机关 → body → 署名 + 成文日期 →
附注 → carried text (印发/转发/批转) → annexes.
"""

from __future__ import annotations

import hashlib

from govdocs.model import Attachment, Document, FieldSpan, ParseWarning
from govdocs.parse import patterns as P
from govdocs.parse.agencies import place_of
from govdocs.parse.annexes import listed_keys, parse_annex_list, parse_annexes, starts_annex
from govdocs.parse.attachment import carried_title_at, carrier_of
from govdocs.parse.citations import CitationContext, find_references
from govdocs.parse.closing import find_closing
from govdocs.parse.docnumber import decree_number
from govdocs.parse.issuers import resolve_issuers, signatures_of
from govdocs.parse.layout import DocLines, after_head
from govdocs.parse.level import level_of
from govdocs.parse.lines import Line, join_wrapped, span_of, spans_of, squash
from govdocs.parse.numbers import find_date, find_doc_numbers
from govdocs.parse.paragraphs import Paragraph, paragraphs
from govdocs.parse.personnel import find_appointments, find_members
from govdocs.parse.segment import is_recipients, title_issuers
from govdocs.parse.structure import build_sections
from govdocs.parse.validity import find_effect
from govdocs.parse.validity import resolve as resolve_effect
from govdocs.vocab import DOC_TYPE_FORMS, REGULATION_KIND_OF, DocType, RegulationKind


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}{digest[:12]}"


def title_text(doc: DocLines) -> str:
    lines = [ln for ln in doc.lines if ln.idx in doc.head.title]
    return squash(join_wrapped([ln.text for ln in lines]))


def kind_of(title: str) -> tuple[DocType | None, RegulationKind | None]:
    """(文种, regulation kind) from a title's last words; a title is one or the other."""
    if m := P.DOC_TYPE_AT_END.search(title):
        return DOC_TYPE_FORMS[m["type"]], None
    if m := P.REGULATION_AT_END.search(title):
        return None, REGULATION_KIND_OF[m["kind"]]
    return None, None


def _decree_number(title: str, number_line: Line | None) -> tuple[str, str, DocType, Line] | None:
    """(issuer, number, kind 令 or 公告, line) of a document numbered by its own series:
    `中华人民共和国国务院令` + `第707号`, one line `青海省人民政府令第12号`, or a 公告's
    `（2019年第11号）` under its title."""
    if number_line is None:
        return None
    text = squash(number_line.text)
    if m := P.DECREE_NUMBER_LINE.match(text):
        return (*decree_number(m["issuer"], m["serial"], m["kind"], m["year"]), DOC_TYPE_FORMS[m["kind"]], number_line)
    if m := P.DECREE_SERIAL.match(text):
        if h := P.DECREE_HEADING.match(title):
            return (*decree_number(h["issuer"], m["serial"], h["kind"], m["year"]), DOC_TYPE_FORMS[h["kind"]], number_line)
        if title.endswith("公告") and m["year"] and (organs := title_issuers(title)):
            return (*decree_number(organs[0], m["serial"], "公告", m["year"]), "公告", number_line)
    return None


def build_document(doc: DocLines, source_sha: str, place: str | None = None) -> Document:
    """`place` (青海) is where the gazette is published: it resolves shared 机关代字 in citations."""
    lines = doc.lines
    by_idx = {ln.idx: i for i, ln in enumerate(lines)}
    title_lines = [lines[by_idx[i]] for i in doc.head.title if i in by_idx]
    title = doc.title_text or title_text(doc)
    spans: list[FieldSpan] = []
    warnings: list[ParseWarning] = []
    if title_lines:
        spans.append(FieldSpan("title", title_lines[0].start, title_lines[-1].end, title_lines[0].no))

    decree = _decree_number(title, lines[by_idx[doc.head.number]] if doc.head.number is not None else None)
    issuers = title_issuers(title, "".join(ln.text for ln in title_lines)) or ([decree[0]] if decree else [])
    doc_type, regulation = kind_of(title)
    if decree and doc_type is None:  # a heading (中华人民共和国国务院令) or a number line as the title
        doc_type = decree[2]

    numbers, doc_number = [], None
    if decree:
        _, number, _, number_line = decree
        numbers = [number]
        spans.append(FieldSpan("doc_number", number_line.start, number_line.end, number_line.no))
    elif doc.head.number is not None:
        number_line = lines[by_idx[doc.head.number]]
        found = find_doc_numbers(number_line.raw)
        numbers = [f.normalized for f in found]
        for f in found:
            spans.append(FieldSpan("doc_number" if f is found[0] else "doc_numbers", number_line.start + f.start,
                                   number_line.start + f.end, number_line.no))
    if numbers:
        doc_number = numbers[0]
    elif not regulation:  # a regulation printed on its own has no 发文字号
        warnings.append(ParseWarning("document.no-number", f"«{title}» has no 发文字号",
                                     title_lines[0].no if title_lines else None))

    i = after_head(doc)
    recipients = None
    if i < len(lines) and is_recipients(lines[i]) and (printed_to := P.RECIPIENTS.match(lines[i].text)):
        recipients = printed_to["recipients"].strip()
        spans.append(FieldSpan("recipients", lines[i].start, lines[i].start + len(recipients), lines[i].no))
        i += 1

    closing = find_closing(lines, i)
    if closing is None:
        body_lines, tail = lines[i:], []
        if not regulation:  # nor a signature: its history says who adopted it when
            warnings.append(ParseWarning("document.no-closing", f"«{title}»: no signature and date found", lines[-1].no))
    else:
        body_lines, tail = lines[i:closing.first], lines[closing.last + 1 :]
    signatories, date, note = [], None, None
    if closing is not None:
        for k in closing.signatures:
            signatories += signatures_of(lines[k])
            spans.append(FieldSpan("signatories", lines[k].start, lines[k].end, lines[k].no))
        date_line = lines[closing.date]
        if found_date := find_date(date_line.raw):
            date = found_date.iso
            spans.append(FieldSpan("date", date_line.start + found_date.start, date_line.start + found_date.end,
                                   date_line.no))
            if date is None:
                warnings.append(ParseWarning("document.impossible-date", f"«{title}»: the printed date "
                                        f"{date_line.raw[found_date.start:found_date.end]} does not exist", date_line.no))
        if closing.notes:
            note = squash("".join(lines[k].text for k in closing.notes))
            spans.append(FieldSpan("note", lines[closing.notes[0]].start, lines[closing.notes[-1]].end,
                                   lines[closing.notes[0]].no))

    attachment, annex_lines, carried = None, tail, None
    listed: list[str] = []
    carried_paras: list[Paragraph] = []
    body_list, body_list_idx = parse_annex_list(body_lines)
    carrier = carrier_of(title, (ln.text for ln in body_lines))
    if tail and (carried := carried_title_at(carrier, tail, 0)):
        attachment, carried_paras, annex_lines, listed = _attachment(carried, tail)
    members, member_idx = find_members(body_lines + annex_lines)
    paras = paragraphs(body_lines, member_idx | body_list_idx)
    listed = body_list + listed
    heading = None
    if doc_type == "令" and attachment is not None and carried is not None:  # known by the regulation it promulgates
        heading, title, regulation = title, attachment.title, kind_of(attachment.title)[1]
        printed = tail[: carried.lines]
        spans = [s for s in spans if s.field != "title"]
        spans.insert(0, FieldSpan("title", printed[0].start, printed[-1].end, printed[0].no))
    issuers, issuer_warnings = resolve_issuers(issuers, signatories, doc_number, place, title,
                                               title_lines[0].no if title_lines else None)
    warnings += issuer_warnings
    document = Document(
        id=stable_id("d", source_sha, lines[0].start, doc_number or title),
        doc_number=doc_number, doc_numbers=numbers, issuer=issuers[0] if issuers else None, issuers=issuers,
        title=title, doc_type=doc_type, regulation=regulation, heading=heading,
        recipients=recipients, date=date, signatories=signatories, note=note,
        body="\n".join(p.text for p in paras), sections=build_sections(paras), attachment=attachment,
        annexes=parse_annexes(annex_lines, listed), appointments=find_appointments(body_lines),
        members=members, warnings=warnings, fragments=spans_of(lines), spans=spans, annex_list=listed,
    )
    context = CitationContext(place or place_of(document.issuer), attachment.title if attachment else None,
                              recipients=recipients)
    for part in (paras, carried_paras, paragraphs(annex_lines)):  # a paragraph never spans two parts
        document.references += find_references(part, context)
    for ref in document.references:
        if ref.resolution == "self":
            ref.target_id = document.id
    statements, effect_warnings = find_effect(paras + carried_paras, document.date,
                                              attachment.title if attachment else None)
    warnings += effect_warnings
    document.effect = statements
    document.effective_date, document.expires = resolve_effect(statements, document.date)
    document.level = level_of(document)
    _check_years(document, warnings)
    return document


def _attachment(carried, tail: list[Line]) -> tuple[Attachment, list[Paragraph], list[Line], list[str]]:
    """The carried text, its paragraphs, the lines after it (annexes) and the annex titles it lists."""
    rest = tail[carried.lines :]
    author = carried.author_prefix
    if rest and not author and P.ORG_LINE.match(squash(rest[0].text)) and len(squash(rest[0].text)) <= 16:
        author = squash(rest[0].text)
        rest = rest[1:]
    listed, listed_idx = parse_annex_list(rest)
    keys = listed_keys(listed)
    cut = next((j for j in range(len(rest)) if starts_annex(rest, j, keys) and _after_list(rest, j, listed_idx)), len(rest))
    body_lines = rest[:cut]
    paras = paragraphs(body_lines, listed_idx)
    span = span_of(tail[: len(tail) - len(rest) + cut])
    return Attachment(
        verb=carried.verb, title=carried.title, author=author, body="\n".join(p.text for p in paras),
        sections=build_sections(paras), line_start=span.line_start, line_end=span.line_end,
        start=span.start, end=span.end,
    ), paras, rest[cut:], listed


def _after_list(lines: list[Line], j: int, listed_idx: set[int]) -> bool:
    """An annex cannot start before or inside the 附件说明 list itself."""
    return not listed_idx or lines[j].idx > max(listed_idx)


def _check_years(doc: Document, warnings: list[ParseWarning]) -> None:
    if not (doc.date and doc.doc_number):
        return
    found = find_doc_numbers(doc.doc_number)
    if found and str(found[0].year) != doc.date[:4]:
        span = doc.span("date")
        warnings.append(ParseWarning(
            "document.year-mismatch",
            f"{doc.doc_number} is numbered in {found[0].year} but dated {doc.date}",
            span.line if span else None,
        ))
