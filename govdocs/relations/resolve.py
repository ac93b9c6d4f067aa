"""Which document each citation means: by 发文字号, else by title, across the catalog.

Sets on each `Reference`: `target_id` and `resolution` = "in_corpus" when the catalog holds
the cited document, "not_in_corpus" otherwise ("self" — the text a notice carries — is set
by the parser and kept); `target_title` when the cited title differs from the real one.
"""

from __future__ import annotations

from govdocs.model import Reference
from govdocs.parse.lines import key
from govdocs.relations.catalog import Catalog, Entry, title_keys


def resolve(catalog: Catalog) -> Catalog:
    for citing, ref in catalog.citations():
        resolve_one(catalog, citing.id, ref)
    return catalog


def resolve_one(catalog: Catalog, citing_id: str, ref: Reference) -> None:
    """Resolve one citation made by the record `citing_id` (a document never cites itself)."""
    if ref.resolution == "self":
        ref.target_id = citing_id
        return
    ref.target_id, ref.target_title, ref.resolution = None, None, "not_in_corpus"
    if ref.form == "standard":
        return
    target = _by_number(catalog, ref, citing_id) if ref.doc_number else _by_title(catalog, ref, citing_id)
    if target is None:
        return
    ref.target_id, ref.resolution = target.id, "in_corpus"
    if ref.title and not title_matches(ref.title, ref.issuer, target):
        ref.target_title = target.title


def _by_number(catalog: Catalog, ref: Reference, citing_id: str) -> Entry | None:
    if not ref.doc_number:
        return None
    candidates = [e for e in catalog.by_number.get(ref.doc_number, []) if e.id != citing_id]
    if not candidates:
        return None
    if ref.title:  # one number on two documents: prefer the one whose title matches
        for e in candidates:
            if title_matches(ref.title, ref.issuer, e):
                return e
    return candidates[0]


def _by_title(catalog: Catalog, ref: Reference, citing_id: str) -> Entry | None:
    if not ref.title or ref.form == "alias":
        return None
    for k in _cited_keys(ref.title, ref.issuer):
        for e in catalog.by_title.get(k, []):
            if e.id != citing_id:
                return e
    return None


def _cited_keys(title: str, issuer: str | None) -> set[str]:
    k = key(title)
    return {k, key(issuer) + k} if issuer else {k}


def title_matches(cited: str, issuer: str | None, target: Entry) -> bool:
    """The cited title names the target: equal, or equal once the issuer is put in front or
    taken off, or the title of the text the target carries."""
    real = title_keys(target.title, target.issuer)
    if target.carried_title:
        real.add(key(target.carried_title))
    return bool(_cited_keys(cited, issuer) & real)
