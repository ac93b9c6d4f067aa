"""The catalog: every citing or citable unit of a corpus, small enough to hold at once.

One `Entry` per document (and per chronicle entry that cites something): its numbers,
title, date, where it was printed, and its references. The index keeps the catalog
beside the Whoosh files (`relations.sqlite`), so `refs`, `check` and the `status` facet
know the whole corpus without parsing it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from govdocs.model import EffectStatement, ParsedIssue, Record, Reference
from govdocs.parse.lines import key


@dataclass(slots=True)
class Entry(Record):
    id: str
    kind: str  # document | chronicle
    doc_numbers: list[str]
    title: str
    issuer: str | None
    date: str | None
    path: str | None
    line: int | None
    gazette: str | None = None
    #: the title of the text a notice issues or forwards (a citation may name that text)
    carried_title: str | None = None
    references: list[Reference] = field(default_factory=list)
    #: what its own text says of its effect (`Document.effective_date`, `expires`, `effect`)
    effective_date: str | None = None
    expires: str | None = None
    effect: list[EffectStatement] = field(default_factory=list)
    level: str | None = None

    @property
    def doc_number(self) -> str | None:
        return self.doc_numbers[0] if self.doc_numbers else None


def entries_of(parsed: ParsedIssue, path: str | None = None) -> list[Entry]:
    """The catalog entries of one parsed file."""
    path = path if path is not None else parsed.source.path
    gazette = parsed.issue.label
    out = [
        Entry(id=d.id, kind="document", doc_numbers=list(d.doc_numbers), title=d.title, issuer=d.issuer,
              date=d.date, path=path, line=d.fragments[0].line_start if d.fragments else None, gazette=gazette,
              carried_title=d.attachment.title if d.attachment else None, references=list(d.references),
              effective_date=d.effective_date, expires=d.expires, effect=list(d.effect), level=d.level)
        for d in parsed.documents
    ]
    if parsed.chronicle is not None:
        for i, e in enumerate(parsed.chronicle.entries, 1):
            if e.references:
                out.append(Entry(id=f"{parsed.chronicle.id}.e{i}", kind="chronicle", doc_numbers=[],
                                 title=f"{parsed.chronicle.heading} {e.date or ''}".strip(), issuer=None,
                                 date=e.date, path=path, line=e.line, gazette=gazette, references=list(e.references)))
    return out


def title_keys(title: str, issuer: str | None) -> set[str]:
    """Keys a citation may use for a title: with and without the issuer that opens it."""
    k = key(title)
    keys = {k}
    if issuer and k.startswith(key(issuer)) and len(k) > len(key(issuer)):
        keys.add(k[len(key(issuer)):])
    return keys


class Catalog:
    """Entries of a whole corpus with the lookups that resolution and status need."""

    def __init__(self, entries: Iterable[Entry] = ()):
        self.entries: dict[str, Entry] = {}
        self.by_number: dict[str, list[Entry]] = defaultdict(list)
        self.by_title: dict[str, list[Entry]] = defaultdict(list)
        self._aimed: dict[str, list[tuple[Entry, Reference]]] | None = None
        for e in entries:
            self.add(e)

    def add(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        self._aimed = None
        if entry.kind != "document":
            return
        for n in entry.doc_numbers:
            self.by_number[n].append(entry)
        for k in title_keys(entry.title, entry.issuer):
            self.by_title[k].append(entry)
        if entry.carried_title:
            self.by_title[key(entry.carried_title)].append(entry)

    @classmethod
    def from_parsed(cls, parsed: Iterable[ParsedIssue]) -> Catalog:
        return cls(e for p in parsed for e in entries_of(p))

    def documents(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == "document")

    def citations(self) -> Iterator[tuple[Entry, Reference]]:
        for e in self.entries.values():
            for ref in e.references:
                yield e, ref

    def citations_of(self, target_id: str | None, number: str | None) -> list[tuple[Entry, Reference]]:
        """Citations aimed at a document (by resolved id) or at a number, each once, leaving out
        the document's own and a notice's citation of the text it carries. Built once, after
        resolution, so that asking for every document stays linear."""
        if self._aimed is None:
            self._aimed = defaultdict(list)
            for citing, ref in self.citations():
                for k in {ref.target_id, ref.doc_number}:
                    if k is not None:
                        self._aimed[k].append((citing, ref))
        seen, out = set(), []
        for k in (target_id, number):
            for citing, ref in self._aimed.get(k, []) if k else []:
                if id(ref) not in seen and ref.resolution != "self" and citing.id != target_id:
                    seen.add(id(ref))
                    out.append((citing, ref))
        return out

    def lookup(self, wanted: str) -> list[Entry]:
        """Documents with this id or 发文字号 (any printed variant search accepts: 青政[2019]45号,
        国务院令第707号, 國辦發〔2018〕104號)."""
        from govdocs.index.query import normalize_number

        if wanted in self.entries:
            return [self.entries[wanted]]
        number = normalize_number(wanted)
        return list(self.by_number.get(number, [])) if number else []
