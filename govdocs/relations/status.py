"""A document's status, derived from the amendments and repeals the corpus records.

Statuses, kept apart on purpose:
- `repealed` — a document of the corpus repeals it (废止, 停止执行 …) on or before the day asked;
- `amended` — one amends it (修订, 修改) and none repeals it;
- `in_force` — the corpus holds it, it is dated on or before the day, and nothing amends or
  repeals it (within what the corpus holds: a repeal printed elsewhere is not seen);
- `not_yet_issued` — the corpus holds it but it is dated after the day asked;
- `unknown` — the corpus holds it without a date, so the day cannot be compared;
- `not_in_corpus` — the corpus does not hold it and nothing in it amends or repeals it.
A number the corpus lacks can still be `repealed` or `amended`: the evidence is the citing
document, and `in_corpus` says it is not held.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govdocs.model import Record, Reference
from govdocs.relations.catalog import Catalog, Entry

CHANGES = ("repeals", "amends")


@dataclass(slots=True)
class Evidence(Record):
    """One amendment or repeal: which document made it, when, where, in which words."""

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
    status: str
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


def status_of(catalog: Catalog, target: Entry | None, number: str | None = None, as_of: str | None = None) -> Status:
    """The status of a held document (`target`) or of a number the corpus lacks."""
    evidence = [ev for ev in changes_to(catalog, target, number or (target.doc_number if target else None))
                if as_of is None or (ev.date is not None and ev.date <= as_of)]
    held = target is not None
    if held and as_of and target.date and target.date > as_of:
        return Status("not_yet_issued", True, as_of, [])
    if any(ev.relation == "repeals" for ev in evidence):
        status = "repealed"
    elif evidence:
        status = "amended"
    elif not held:
        status = "not_in_corpus"
    elif not target.date:
        status = "unknown"
    else:
        status = "in_force"
    return Status(status, held, as_of, evidence)


def statuses(catalog: Catalog) -> dict[str, str]:
    """id → status today of every document the catalog holds (one pass over the citations)."""
    changed: dict[str, set[str]] = {}
    for citing, ref in catalog.citations():
        if ref.relation in CHANGES and ref.resolution == "in_corpus" and citing.kind == "document":
            changed.setdefault(ref.target_id, set()).add(ref.relation)
    out = {}
    for doc in catalog.documents():
        rels = changed.get(doc.id, set())
        out[doc.id] = "repealed" if "repeals" in rels else "amended" if rels else unchanged_status(doc.date)
    return out


def unchanged_status(date: str | None) -> str:
    """The status of a held document that nothing amends or repeals."""
    return "in_force" if date else "unknown"
