"""A document's status on a given day, and the evidence for it — no claim without a fact.

Statuses (`STATUSES`), the first that holds wins:

| status | holds when | evidence |
|---|---|---|
| `repealed` | a document of the corpus repeals it (废止, 停止执行 …), dated on or before the day | the repealing sentence |
| `expired` | its own validity period has run out (有效期至…, 有效期N年) before the day | its validity sentence |
| `amended` | a document of the corpus amends it (修订, 修改), dated on or before the day | the amending sentence |
| `not_yet_effective` | its text's effect date (自…起施行), or its date, is after the day | its effect sentence or date |
| `effective` | its text gives an effect date on or before the day, and nothing above holds | its effect sentence |
| `no_change_known` | held, nothing in the corpus changes it, its text states no effect or validity | none |
| `not_in_corpus` | not held, and nothing in the corpus changes it | none |

A number the corpus lacks can still be `repealed` or `amended`: the evidence is the citing
document, and `in_corpus` says it is not held. The day defaults to today: a status is always
computed for the day asked, never read from the day a file was indexed. The earlier
`in_force` is accepted as input (`--status in_force`) and means `effective` or `no_change_known`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govdocs.model import Record, Reference
from govdocs.relations.catalog import Catalog, Entry
from govdocs.relations.on_day import RENAMED, STATUSES, status_on, today  # noqa: F401 (re-exported)
from govdocs.vocab import CHANGES, StatusName


@dataclass(slots=True)
class Evidence(Record):
    """One fact behind a status: an amendment or repeal (which document made it, when, where,
    in which words), or the document's own effect or validity sentence (`relation` effective,
    expires, valid_years or dated, `by_id` the document itself)."""

    relation: str
    by_id: str
    by_number: str | None
    by_title: str
    date: str | None
    gazette: str | None
    path: str | None
    line: int
    sentence: str


@dataclass(slots=True)
class Status(Record):
    status: StatusName
    in_corpus: bool
    as_of: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


def changes_to(catalog: Catalog, target: Entry | None, number: str | None) -> list[Evidence]:
    """Every amendment or repeal aimed at `target` (or, when not held, at `number`), by date."""
    out: dict[tuple[str, str], Evidence] = {}  # one per citing document and relation
    pairs = catalog.citations_of(target.id if target is not None else None, number)
    for citing, ref in sorted(pairs, key=lambda pair: pair[1].line):
        if ref.relation in CHANGES and citing.kind == "document":
            out.setdefault((citing.id, ref.relation), _evidence(citing, ref))
    return sorted(out.values(), key=lambda ev: (ev.date or "", ev.by_id))


def _evidence(citing: Entry, ref: Reference) -> Evidence:
    return Evidence(relation=ref.relation, by_id=citing.id, by_number=citing.doc_number, by_title=citing.title,
                    date=citing.date, gazette=citing.gazette, path=citing.path, line=ref.line, sentence=ref.sentence)


def _own(entry: Entry, kind: str) -> list[Evidence]:
    """The document's own effect (kind effective) or validity (expires) sentences."""
    kinds = ("expires", "valid_years") if kind == "expires" else ("effective",)
    return [Evidence(relation=s.kind, by_id=entry.id, by_number=entry.doc_number, by_title=entry.title, date=s.date,
                     gazette=entry.gazette, path=entry.path, line=s.line, sentence=s.sentence)
            for s in entry.effect if s.kind in kinds and s.date]


def status_of(catalog: Catalog, target: Entry | None, number: str | None = None, as_of: str | None = None) -> Status:
    """The status of a held document (`target`) or of a number the corpus lacks, on `as_of`
    (ISO; default today)."""
    day = as_of or today()
    changes = [ev for ev in changes_to(catalog, target, number or (target.doc_number if target else None))
               if ev.date is not None and ev.date <= day]
    repeals = [ev for ev in changes if ev.relation == "repeals"]
    amends = [ev for ev in changes if ev.relation == "amends"]
    if target is None:
        unheld: StatusName = "repealed" if repeals else "amended" if amends else "not_in_corpus"
        return Status(unheld, False, day, repeals or amends)
    status = status_on(day, target.date, target.effective_date, target.expires,
                       repeals[0].date if repeals else None, amends[0].date if amends else None)
    return Status(status, True, day, _evidence_for(status, target, day, repeals, amends))


def _evidence_for(status: StatusName, target: Entry, day: str, repeals: list[Evidence],
                  amends: list[Evidence]) -> list[Evidence]:
    """The facts behind `status` (decided by `on_day.status_on`, the one statement of the
    precedence)."""
    if status == "repealed":
        return repeals
    if status == "expired":
        return _own(target, "expires")
    if status == "amended":
        return amends
    if status == "not_yet_effective":
        if target.date and target.date > day:  # not yet written, whatever date it takes effect from
            return [Evidence("dated", target.id, target.doc_number, target.title, target.date, target.gazette,
                             target.path, target.line or 0, f"成文日期 {target.date}")]
        return _own(target, "effective")
    if status == "effective":
        return _own(target, "effective") + _own(target, "expires")
    return []


def change_dates(catalog: Catalog) -> dict[str, tuple[str | None, str | None]]:
    """id → (first day it is repealed, first day it is amended) of every held document a
    document of the corpus repeals or amends (one pass over the citations)."""
    out: dict[str, list[str | None]] = {}
    for citing, ref in catalog.citations():
        if (ref.relation in CHANGES and ref.resolution == "in_corpus" and ref.target_id and citing.kind == "document"
                and citing.date):
            dates = out.setdefault(ref.target_id, [None, None])
            k = 0 if ref.relation == "repeals" else 1
            dates[k] = min(filter(None, (dates[k], citing.date)))
    return {doc_id: (d[0], d[1]) for doc_id, d in out.items()}
