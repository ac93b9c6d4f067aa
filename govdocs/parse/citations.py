"""Stage 9 — citations of other documents, with the relation each one states.

Forms, in the order they are looked for in each paragraph (joined across line and page
breaks, with offsets mapped back to the source):
1. `《title》（文号）` — the parenthesis may hold several numbers, a standard's number
   (GB 18218—2009) and a short name (以下简称《实施方案》); the number in it is the cited
   document's, never the citing one's.
2. `文号` alone; lead-in words fused to the 机关代字 (根据青政〔…〕) are trimmed off.
3. `《title》` alone, when the title names a document or regulation (条例, 办法, 通知 …, not a
   book, film or speech), or is a short name given earlier in the same document.

The relation comes from the words around the citation, within its clause: after it
(…予以废止, …进行修订) first, then the nearest relation word before it (根据, 参照, 贯彻落实 …),
then the notice's own carrier sentence (《…》已经省政府同意，现印发给你们); else `mentions`.
A repeal or amendment that is only planned (修订完善《…》, 适时废止) is a mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govdocs.model import Reference
from govdocs.parse import patterns as P
from govdocs.parse.agencies import issuer_of, trim_code
from govdocs.parse.docnumber import normalize_doc_number
from govdocs.parse.lines import fullwidth_to_ascii_digits, key, squash
from govdocs.parse.paragraphs import Paragraph
from govdocs.parse.textmap import MappedText, mapped

MASK = "◇"  # stands for a citation while relation words are looked for around it


@dataclass
class CitationContext:
    """What the extractor needs to know about the citing document."""

    place: str | None = None  # 青海: resolves codes that places share
    carried_title: str | None = None  # the title of the text the notice issues or forwards
    #: short names given so far in this document: alias → the citation that defined it
    aliases: dict[str, Reference] = field(default_factory=dict)


@dataclass(slots=True)
class _Found:
    start: int  # offsets into the paragraph text
    end: int
    title: str | None
    number: str | None
    issuer: str | None
    form: str
    alias: str | None = None


def find_references(paras: list[Paragraph], context: CitationContext) -> list[Reference]:
    """Every citation in `paras` (a part of one document, in reading order)."""
    out: list[Reference] = []
    for para in paras:
        found = _find(para.text, context)
        if not found:
            continue
        mt = mapped(para.lines)  # its text is the paragraph's text, with source offsets
        masked = _mask(mt.text, found)
        for f in found:
            out.append(_reference(mt, masked, f, context))
            if f.alias and f.number:
                context.aliases[f.alias] = out[-1]
    return out


def _find(text: str, context: CitationContext) -> list[_Found]:
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for m in P.CITED_TITLE.finditer(text) if "《" in text else ():
        if any(s <= m.start() < e for s, e in taken):
            continue  # the short name inside a citation's parenthesis
        title = squash(m["title"])
        paren = P.CITATION_PAREN.match(text, m.end())
        numbers = _numbers(paren["inner"], context) if paren else []
        standard = P.STANDARD_NUMBER.search(paren["inner"]) if paren and not numbers else None
        alias = (a["alias"] if paren and (a := P.ALIAS.search(paren["inner"])) else None)
        issuer = _printed_issuer(text, m.start(), title)
        if numbers or standard or alias:
            end = paren.end()
            taken.append((m.start(), end))
            for number, code_issuer in numbers or [(None, None)]:
                found.append(_Found(m.start(), end, title, number, code_issuer or issuer,
                                    "title_number" if number else "title", alias))
            if standard:
                found[-1].number = f"{standard['code']} {standard['serial']}-{standard['year']}"
                found[-1].form = "standard"
            continue
        taken.append((m.start(), m.end()))
        if title in context.aliases:
            cited = context.aliases[title]
            found.append(_Found(m.start(), m.end(), title, cited.doc_number, cited.issuer, "alias", title))
        elif _is_document_title(title) and not P.NOT_A_DOCUMENT_BEFORE.search(text, 0, m.start()):
            found.append(_Found(m.start(), m.end(), title, None, issuer, "title"))
    for start, end, number, issuer in _numbers_at(text, context):
        if not any(s <= start < e for s, e in taken):
            found.append(_Found(start, end, None, number, issuer, "number"))
    return sorted(found, key=lambda f: f.start)


def _numbers_at(text: str, context: CitationContext):
    """(start, end, normalised number, issuer) of every 文号 in `text`, shared serials expanded."""
    if "号" not in text and "號" not in text:  # every 文号 ends in one
        return
    pos = 0
    while m := P.CITED_NUMBER_TAIL.search(text, pos):
        pos = m.end()
        if not (run := P.CODE_BEFORE.search(text, max(0, m.start() - 14), m.start())):
            continue
        code = trim_code(run["code"])
        start = run.end("code") - len(code)
        year = int(fullwidth_to_ascii_digits(m["year"]))
        issuer = issuer_of(code, context.place)
        yield start, m.end(), normalize_doc_number(code, year, int(fullwidth_to_ascii_digits(m["serial"]))), issuer
        while extra := P.EXTRA_SERIAL.match(text, pos):
            serial = int(fullwidth_to_ascii_digits(extra["serial"]))
            yield extra.start("serial"), extra.end(), normalize_doc_number(code, year, serial), issuer
            pos = extra.end()


def _numbers(inner: str, context: CitationContext) -> list[tuple[str, str | None]]:
    return [(number, issuer) for _, _, number, issuer in _numbers_at(inner, context)]


def _printed_issuer(text: str, title_start: int, title: str) -> str | None:
    """按照国务院办公厅《关于…》 → 国务院办公厅; else the issuer that opens the title itself."""
    if run := P.HAN_RUN_BEFORE.search(text, max(0, title_start - 20), title_start):
        organ = P.LEAD_IN_WORD.split(run.group())[-1]
        if organ and P.ORG_LINE.match(organ):
            return organ
    m = P.ISSUER.match(title)
    return m["issuer"] if m and "关于" in title else None


def _is_document_title(title: str) -> bool:
    bare = P.DRAFT_MARKER.sub("", title)
    return bool(P.CITABLE_TITLE.search(bare))


def _mask(text: str, found: list[_Found]) -> str:
    chars = list(text)
    for f in found:
        chars[f.start:f.end] = MASK * (f.end - f.start)
    return "".join(chars)


def _reference(mt: MappedText, masked: str, f: _Found, context: CitationContext) -> Reference:
    start, end = mt.source_span(f.start, f.end)
    line, line_end = mt.line_span(f.start, f.end)
    relation = relation_of(masked, f.start, f.end)
    ref = Reference(text=mt.text[f.start:f.end], title=f.title, doc_number=f.number, relation=relation,
                    sentence=sentence_at(mt.text, f.start, f.end), line=line, start=start, end=end,
                    issuer=f.issuer, line_end=line_end, form=f.form, alias=f.alias)
    if f.title and context.carried_title and _same_title(f.title, context.carried_title, f.issuer):
        ref.resolution = "self"
    return ref


def _same_title(cited: str, real: str, issuer: str | None) -> bool:
    """The carried text's title, maybe printed with its author: 省国资委《以管资本…方案》."""
    cited = key(P.DRAFT_MARKER.sub("", cited))
    return key(real) in (cited, key(issuer or "") + cited)


def relation_of(masked: str, start: int, end: int) -> str:
    """The relation a citation at `masked[start:end]` stands in (other citations masked)."""
    clause_start = max(masked.rfind(ch, 0, start) for ch in P.CLAUSE_END) + 1
    clause_end = min((i for ch in P.CLAUSE_END if (i := masked.find(ch, end)) >= 0), default=len(masked))
    before, after = masked[clause_start:start], masked[end:clause_end]
    for relation, pattern in P.RELATION_AFTER.items():
        if relation == "amends" and P.RELATION_BEFORE["based_on"].search(before):
            continue  # 根据《…决定》第一次修订: the revision was made under the text cited
        for m in pattern.finditer(after):
            if not _planned(after, m):
                return relation
    best: tuple[int, str] | None = None
    for relation, pattern in P.RELATION_BEFORE.items():
        for m in pattern.finditer(before):
            if relation in ("amends", "repeals") and (_planned(before, m) or before.startswith("后", m.end())):
                continue  # 修订完善《…》 is asked for; 修订后的《…》 names a revised text
            if best is None or m.end() > best[0]:
                best = (m.end(), relation)
    if best:
        return best[1]
    sentence_end = min((i for ch in P.SENTENCE_END if (i := masked.find(ch, end)) >= 0), default=len(masked))
    sentence_start = max(masked.rfind(ch, 0, start) for ch in P.SENTENCE_END) + 1
    for relation, pattern in P.CARRIER_SENTENCE.items():
        # 《…》已经国务院同意，现印发给你们 / 现公布修订后的《…》(a 令)
        if (pattern.search(masked, end, sentence_end) or pattern.search(masked, sentence_start, start)) and MASK not in before:
            return relation
    return "mentions"


def _planned(text: str, m) -> bool:
    """修订完善《…》, 适时废止: a change that is asked for, not made."""
    return bool(P.PLANNED_CHANGE.search(text[:m.start()]) or text.startswith("完善", m.end()))


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around `text[start:end]`, with its closing punctuation."""
    begin = max(text.rfind(ch, 0, start) for ch in P.SENTENCE_END) + 1
    stop = min((i + 1 for ch in P.SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return text[begin:stop].strip()
