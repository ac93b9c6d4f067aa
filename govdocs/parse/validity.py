"""When a text takes effect and until when it is valid, read from its own sentences.

- `effective_date`: 本办法自2019年8月1日起施行 (the date printed); 自印发之日起施行 or 自公布之日起施行
  (the document's own date: its 成文日期, the only date the text gives for issuing it).
- `expires`, the last day the text is valid: 有效期至2022年12月31日 (that day); 有效期5年 (five
  years from the effective date, else from the document's date, less one day: 2019-08-01 for
  five years is valid through 2024-07-31).

The document's body and the text it carries are read, paragraph by paragraph (a sentence
broken by a page break is whole), and only sentences about the text itself count: 本办法自…,
此方案自…, 本通知有效期…, or a 令's 现公布…《X》，自… — not 《另一条例》自…起施行 nor 证书有效期三年.
Each statement keeps its sentence, line and source span as evidence (`Document.effect`). When
several sentences say it (a notice and the 办法 it issues), the last one read wins: a
regulation's final article comes after the notice's words.
"""

from __future__ import annotations

import datetime

import regex

from govdocs.model import EffectKind, EffectStatement, ParseWarning
from govdocs.parse import patterns as P
from govdocs.parse.citations import sentence_at
from govdocs.parse.lines import key
from govdocs.parse.numbers import cn_to_int, find_date
from govdocs.parse.paragraphs import Paragraph
from govdocs.parse.textmap import mapped

#: quick gates: a paragraph without these characters states neither
_EFFECT_WORDS = ("施行", "实施", "执行", "生效")


def find_effect(paras: list[Paragraph], doc_date: str | None, carried_title: str | None = None
                ) -> tuple[list[EffectStatement], list[ParseWarning]]:
    """Every effect or validity statement in `paras` about the text itself, in reading order
    (dates not yet resolved against each other: `resolve` does that); a printed date that does
    not exist (自2019年2月30日起施行) leaves the statement without a date and is a warning."""
    out: list[EffectStatement] = []
    warnings: list[ParseWarning] = []
    for para in paras:
        text = para.text
        if "有效期" not in text and not any(w in text for w in _EFFECT_WORDS):
            continue
        found: list[tuple[regex.Match[str], EffectKind, str | None, str]] = []
        for m in P.EFFECTIVE_FROM_DATE.finditer(text):
            printed = find_date(m["date"])
            found.append((m, "effective", printed.iso if printed else None, "printed"))
        for pattern, basis in ((P.EFFECTIVE_ON_ISSUE, "on_issue"), (P.EFFECTIVE_ON_PUBLICATION, "on_publication")):
            for m in pattern.finditer(text):
                found.append((m, "effective", doc_date, basis))
        for m in P.VALID_UNTIL.finditer(text):
            printed = find_date(m["date"])
            found.append((m, "expires", printed.iso if printed else None, "printed"))
        for m in P.VALID_FOR_YEARS.finditer(text):
            found.append((m, "valid_years", None, str(cn_to_int(m["years"]))))
        if not found:
            continue
        mt = mapped(para.lines)
        for m, kind, date, basis in sorted(found, key=lambda f: f[0].start()):
            if not _about_itself(text, m.start(), carried_title):
                continue
            start, end = mt.source_span(m.start(), m.end())
            line = mt.line_span(m.start(), m.end())[0]
            out.append(EffectStatement(kind=kind, date=date, basis=basis, text=m.group(),
                                       sentence=sentence_at(text, m.start(), m.end()), line=line, start=start, end=end))
            if basis == "printed" and date is None:  # the pattern read a whole date: one that does not exist
                warnings.append(ParseWarning("effect.impossible-date",
                                             f"the printed date {m['date']} in «{m.group()}» does not exist", line))
    return out, warnings


def _about_itself(text: str, at: int, carried_title: str | None) -> bool:
    """Does the statement at `text[at:]` speak of the text itself? Its clause must open with
    the text's own name (本办法, 此方案, 本通知 …) or with nothing (…，自2019年1月1日起施行), or
    name the text it promulgates (现公布修订后的《X》，自…) — not another text (《…条例》自…起施行)
    or a thing (认定证书有效期为三年, 许可证有效期至…)."""
    begin = max(text.rfind(ch, 0, at) for ch in "。；;！？\n") + 1
    lead = text[begin:at]
    clause = P.CLAUSE_NUMBERING.sub("", lead[max(lead.rfind(ch) for ch in "，,：:") + 1:].strip(), count=1)
    if clause.startswith(P.SELF_REFERENCE) or not clause.strip():
        if "《" not in clause:
            return True
    titles = P.CITED_TITLE.findall(lead)
    return bool(carried_title and titles and key(titles[-1]) == key(carried_title) and not clause.strip("》"))


def resolve(statements: list[EffectStatement], doc_date: str | None) -> tuple[str | None, str | None]:
    """(effective_date, expires) from the statements: the last of each kind read; a validity
    of N years runs from the effective date (else the document's date) to the day before its
    N-th anniversary, and the statement records the date it works out to."""
    effective = next((s.date for s in reversed(statements) if s.kind == "effective" and s.date), None)
    expires = None
    for s in statements:
        if s.kind == "expires" and s.date:
            expires = s.date
        elif s.kind == "valid_years" and s.basis.isdigit() and (start := effective or doc_date):
            s.date = _years_later(start, int(s.basis))
            expires = s.date
    return effective, expires


def _years_later(start: str, years: int) -> str | None:
    """The last day of a validity of `years` years beginning on `start` (ISO)."""
    day = datetime.date.fromisoformat(start)
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return (end - datetime.timedelta(days=1)).isoformat()
