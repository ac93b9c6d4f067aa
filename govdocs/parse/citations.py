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
A change word counts only when it acts — when the citing text itself makes the change. A change
asked for, planned or suggested (修订完善《…》, 抓紧修订, 适时废止, 提出修订建议), one another body is
making (有关部门正在修订《…》, 由…会同有关部门修订) or has made (国务院修订了《…》), and the
adoption of the revised text a notice issues (《…》已经…会议修订通过，现予印发 → `issues`) are not
changes of the cited document (`PLANNED_CHANGE`, `CHANGE_NOT_MADE_AFTER`).

The cited `issuer` is an organ, never a pronoun: 你局《关于…的请示》 in a 批复 names the organ it
is addressed to (`CitationContext.recipients`, when that is one organ); 我省, 本部, 该局 are left
empty rather than guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from govdocs.model import CitationForm, Reference, Relation
from govdocs.parse import patterns as P
from govdocs.parse.agencies import issuer_of, trim_code
from govdocs.parse.docnumber import normalize_doc_number
from govdocs.parse.lines import fullwidth_to_ascii_digits, key, squash
from govdocs.parse.paragraphs import Paragraph
from govdocs.parse.textmap import MappedText, mapped
from govdocs.vocab import CHANGES

MASK = P.CITATION_MASK  # stands for a citation while relation words are looked for around it


@dataclass
class CitationContext:
    """What the extractor needs to know about the citing document."""

    place: str | None = None  # 青海: resolves codes that places share
    carried_title: str | None = None  # the title of the text the notice issues or forwards
    #: short names given so far in this document: alias → the citation that defined it
    aliases: dict[str, Reference] = field(default_factory=dict)
    #: the document's 主送机关 as printed (`Document.recipients`): 你局《…》 in a reply cites a
    #: text of the organ it is addressed to
    recipients: str | None = None


@dataclass(slots=True)
class _Found:
    start: int  # offsets into the paragraph text
    end: int
    title: str | None
    number: str | None
    issuer: str | None
    form: CitationForm
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
    if "《" not in text and "号" not in text and "號" not in text:  # no title, no 文号: most paragraphs
        return []
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
        issuer = _printed_issuer(text, m.start(), title, context)
        if paren and (numbers or standard or alias):  # each is read inside the parenthesis
            end = paren.end()
            taken.append((m.start(), end))
            pairs: Sequence[tuple[str | None, str | None]] = numbers or [(None, None)]
            for number, code_issuer in pairs:
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
        elif _is_document_title(title) and not P.NOT_A_DOCUMENT_BEFORE.search(
                text, max(0, m.start() - P.NOT_A_DOCUMENT_REACH), m.start()):
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


def _printed_issuer(text: str, title_start: int, title: str, context: CitationContext) -> str | None:
    """按照国务院办公厅《关于…》 → 国务院办公厅; 你局《关于…》 → the organ addressed; else the
    issuer that opens the title itself."""
    if organs := printed_organs(text[max(0, title_start - 20):title_start]):
        return organs[0] if not P.PRONOUN_ORGAN.match(organs[0]) else addressed_organ(organs[0], context.recipients)
    m = P.ISSUER.match(title)
    return m["issuer"] if m and "关于" in title else None


def printed_organs(before: str) -> list[str]:
    """The organ(s) printed right before a citation, given the text before it: 按照国务院办公厅 →
    [国务院办公厅]; 国务院办公厅印发了 → [国务院办公厅]; 国务院、中央军委颁发了 → [国务院, 中央军委];
    你局 → [你局] (a pronoun: see `addressed_organ`); nothing when no organ stands there."""
    if not (run := P.ORGANS_RUN_BEFORE.search(before)):
        return []
    words = P.LEAD_IN_WORD.split(P.ISSUED_BY_AT_END.sub("", run.group()))[-1]
    organs = words.split("、")
    return organs if all(organ and (P.ORG_LINE.match(organ) or P.PRONOUN_ORGAN.match(organ))
                         for organ in organs) else []


def addressed_organ(pronoun: str, recipients: str | None) -> str | None:
    """你局, 你部, 贵委 … → the organ the document is addressed to, when it is one organ; a
    pronoun of the writer (我省, 本部) or of a third (该局) → None: never the pronoun itself."""
    if not recipients or not P.ADDRESSEE_PRONOUN.match(pronoun):
        return None
    organ = squash(recipients)
    return organ if P.ORG_LINE.match(organ) else None


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


def relation_of(masked: str, start: int, end: int) -> Relation:
    """The relation a citation at `masked[start:end]` stands in (other citations masked)."""
    clause_start = max(masked.rfind(ch, 0, start) for ch in P.CLAUSE_END) + 1
    clause_end = min((i for ch in P.CLAUSE_END if (i := masked.find(ch, end)) >= 0), default=len(masked))
    before, after = masked[clause_start:start], masked[end:clause_end]
    for relation, pattern in P.RELATION_AFTER.items():
        if relation == "amends" and P.RELATION_BEFORE["based_on"].search(before):
            continue  # 根据《…决定》第一次修订: the revision was made under the text cited
        for m in pattern.finditer(after):
            if _acts(before + MASK + after[:m.start()], after[m.end():]):
                return relation
    best: tuple[int, Relation] | None = None
    for relation, pattern in P.RELATION_BEFORE.items():
        for m in pattern.finditer(before):
            if relation in CHANGES and not _acts(before[:m.start()], before[m.end():]):
                continue  # 修订完善《…》 is asked for; 修订后的《…》 names a revised text
            if best is None or m.end() > best[0]:
                best = (m.end(), relation)
    if best:
        return best[1]
    sentence_end = min((i for ch in P.SENTENCE_END if (i := masked.find(ch, end)) >= 0), default=len(masked))
    sentence_start = max(masked.rfind(ch, 0, start) for ch in P.SENTENCE_END) + 1
    for relation, pattern in P.CARRIER_SENTENCE.items():
        # 《…》已经国务院同意，现印发给你们 / 现公布修订后的《…》(a 令)
        in_sentence = pattern.search(masked, end, sentence_end) or pattern.search(masked, sentence_start, start)
        if in_sentence and MASK not in before:
            return relation
    return "mentions"


def _acts(lead: str, tail: str) -> bool:
    """Whether a change word (修订, 废止 …) acts, from the clause's words before it (`lead`, the
    citation masked) and after it (`tail`): not asked for, planned or reported (加快修订, 抓紧对◇
    进行修订, 有关部门正在会同…修订, 建议废止), and no noun, revised text or adoption (修订完善,
    修订建议, 修订后的, 修订通过)."""
    return not (P.PLANNED_CHANGE.search(lead) or P.CHANGE_NOT_MADE_AFTER.match(tail))


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around `text[start:end]`, with its closing punctuation."""
    begin = max(text.rfind(ch, 0, start) for ch in P.SENTENCE_END) + 1
    stop = min((i + 1 for ch in P.SENTENCE_END if (i := text.find(ch, end)) >= 0), default=len(text))
    return text[begin:stop].strip()
