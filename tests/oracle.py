"""Two oracles for search (`tests/test_oracles.py`): a brute force and stock Whoosh.

**The brute force** reads every stored record, tokenizes its title, content and parties with
the project's analysis (`Analysis`: words, sub-words, name-end marks, folding; positions count
characters), and answers a query by scanning all of them: which records match, their BM25F
score by the formula of docs/ranking.md, the filters and the facet counts. It knows nothing of
the index's postings, codec or evaluator; its only Whoosh part is the one-byte field length
(`length_to_byte` / `byte_to_length`), which is part of the documented formula.

**Stock Whoosh** runs the same query on the same index through Whoosh's own matchers and
collectors (`ix.searcher()`); a phrase becomes a chain of `SpanNear2` whose distances are the
words' lengths (Whoosh's `Phrase` wants consecutive word ordinals; our positions count
characters), the filters a Whoosh filter query, the facets `FieldFacet` groups.

A query is a small tree (`Or` of `And`s of units: `Word`, `Quoted`, `Number`, `Group`) that
renders to the text a user types (`render`) and translates, by the rules of the README's query
language and docs/ranking.md, into Whoosh query objects (`translate`) — which the brute force
evaluates itself and stock Whoosh evaluates with its matchers. `parse` reads simple query text
into such a tree (for the hand-written cases).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh import sorting
from whoosh.query import spans
from whoosh.util.numeric import byte_to_length, length_to_byte

from govdocs.index.analyzer import NAME_END_MARK, NAME_ENDS, Analysis
from govdocs.index.fold import to_simplified
from govdocs.index.query import normalize_number
from govdocs.index.schema import FACETS
from govdocs.index.search import Filters
from govdocs.relations.on_day import status_on, today

# -- the documented parameters (docs/ranking.md); test_oracles checks the code uses them --------

B, K1 = 0.5, 1.6
FIELD_BOOST = {"title": 2.0, "content": 1.0, "parties": 0.5}
TEXT_FIELDS = ("title", "content", "parties")
TITLE_BOOST = 2.0  # a word matched in the title, at query time, on top of the field boost
PHRASE_BONUS = 1.0  # the words typed apart standing in a row in the title
NUMBER_BOOST = 2.0  # the record holding a 发文字号 or 机关代字 the query names
#: comma-separated keyword fields: a term matches one of the values; not BM25-scored (1 × boost)
KEYWORD_FIELDS = ("doc_number", "person", "issuers", "codes", "cites")
#: a word that may be a 机关代字 (国办函): 2–8 characters of U+4E00–9FFF
CODE = re.compile(r"[\u4e00-\u9fff]{2,8}")


def bm25(idf: float, tf: float, length: float, avglen: float) -> float:
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avglen))


def quantised(length: int) -> int:
    """A field length as the index keeps it: one byte, read back as its bucket's length."""
    return byte_to_length(length_to_byte(length))


# -- the query tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Quoted:
    text: str


@dataclass(frozen=True)
class Number:
    text: str


@dataclass(frozen=True)
class Group:
    query: Or


@dataclass(frozen=True)
class And:
    #: (negated, unit); at least one unit is not negated
    items: tuple
    #: how a negation is typed ("-" for words, "NOT " otherwise) and AND written between units
    spelled: tuple = ()


@dataclass(frozen=True)
class Or:
    ands: tuple


def render(query: Or) -> str:
    """The text a user types for the tree."""
    return " OR ".join(_render_and(a) for a in query.ands)


def _render_and(node: And) -> str:
    out = []
    for k, (negated, unit) in enumerate(node.items):
        spelled = node.spelled[k] if k < len(node.spelled) else ""
        text = _render_unit(unit)
        if negated:
            text = ("-" if isinstance(unit, Word) and spelled == "-" else "NOT ") + text
        if k and spelled == "AND":
            text = "AND " + text
        out.append(text)
    return " ".join(out)


def _render_unit(unit) -> str:
    if isinstance(unit, Group):
        return f"({render(unit.query)})"
    if isinstance(unit, Quoted):
        return f'"{unit.text}"'
    return unit.text


def parse(text: str) -> Or:
    """Simple query text → a tree: words, "phrases", ( ), OR, AND, NOT / -word; a word that is a
    发文字号 is a `Number` (written without spaces in it)."""
    tokens = re.findall(r'"[^"]*"|\(|\)|[^\s()"]+', text)
    tree, rest = _parse_or(tokens)
    assert not rest, rest
    return tree


def _parse_or(tokens):
    ands = []
    while True:
        node, tokens = _parse_and(tokens)
        ands.append(node)
        if tokens and tokens[0] == "OR":
            tokens = tokens[1:]
            continue
        return Or(tuple(ands)), tokens


def _parse_and(tokens):
    items = []
    while tokens and tokens[0] not in ("OR", ")"):
        token, tokens = tokens[0], tokens[1:]
        if token == "AND":
            continue
        negated = token == "NOT"
        if negated:
            token, tokens = tokens[0], tokens[1:]
        elif token.startswith("-") and len(token) > 1:
            negated, token = True, token[1:]
        if token == "(":
            inner, tokens = _parse_or(tokens)
            assert tokens[0] == ")"
            tokens = tokens[1:]
            unit = Group(inner)
        elif token.startswith('"'):
            unit = Quoted(token[1:-1])
        elif normalize_number(token):
            unit = Number(token)
        else:
            unit = Word(token)
        items.append((negated, unit))
    return And(tuple(items)), tokens


class Translator:
    """A query tree → Whoosh query objects, by the documented rules (the query-time analysis
    is the project's: words only, no sub-words; the dictionary answers `has_word` and
    `containing`)."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def translate(self, query: Or) -> Q.Query:
        return simplified(self._or(query))

    def _or(self, query: Or) -> Q.Query:
        parts = [self._and(a) for a in query.ands]
        return parts[0] if len(parts) == 1 else Q.Or(parts)

    def _and(self, node: And) -> Q.Query:
        positive, negative, typed = [], [], []
        plain = True  # all positive units plain words: their words in a row in the title earn a bonus
        for negated, unit in node.items:
            query, words = self._unit(unit)
            (negative if negated else positive).append(query)
            if not negated:
                plain = plain and isinstance(unit, Word)
                typed += words
        query = positive[0] if len(positive) == 1 else Q.And(positive)
        if plain and len(positive) > 1:
            title = TITLE_BOOST * PHRASE_BONUS
            query = Q.Or([query, Q.Phrase("title", typed, boost=title)])
        return Q.AndNot(query, Q.Or(negative)) if negative else query

    def _unit(self, unit) -> tuple[Q.Query, list[str]]:
        if isinstance(unit, Group):
            return self._or(unit.query), []
        if isinstance(unit, Number):
            number = normalize_number(unit.text)
            return Q.Or([Q.Term("doc_number", number, boost=NUMBER_BOOST), Q.Term("cites", number)]), [number]
        return self._text(unit.text)

    def runs(self, text: str) -> list[list[str]]:
        """The words of `text` in runs: a run breaks where something that is no word (punctuation)
        stands between two words; white space does not count (positions skip it)."""
        runs: list[list[str]] = []
        reach = None
        for term, pos, start, end in self.analysis.terms(text, subwords=False):
            if pos != reach:
                runs.append([])
            runs[-1].append(term)
            reach = pos + end - start
        return runs

    def _text(self, text: str) -> tuple[Q.Query, list[str]]:
        runs = self.runs(text)
        assert runs, text
        parts = [self._run(run) for run in runs]
        query = parts[0] if len(parts) == 1 else Q.And(parts)
        if CODE.fullmatch(text):  # maybe a 机关代字: the documents numbered with it
            query = Q.Or([query, Q.Term("codes", to_simplified(text), boost=NUMBER_BOOST)])
        return query, [w for run in runs for w in run]

    def _run(self, words: list[str]) -> Q.Query:
        boost = {f: TITLE_BOOST if f == "title" else 1.0 for f in TEXT_FIELDS}
        if len(words) == 1:
            word = words[0]
            terms = [Q.Term(f, word, boost=boost[f]) for f in TEXT_FIELDS]
            # 省政府 printed 青海省|政府: the marked last character of the name, then the rest
            if (len(word) > 2 and word[0] in NAME_ENDS and CODE.fullmatch(word)
                    and self.analysis.segmenter.has_word(word[1:])):
                terms += [Q.Phrase(f, [NAME_END_MARK + word[0], word[1:]], boost=boost[f]) for f in TEXT_FIELDS]
            return Q.Or(terms)
        holders = self.analysis.segmenter.containing("".join(words))
        return Q.Or([Q.Phrase(f, words, boost=boost[f]) for f in TEXT_FIELDS]
                    + [Q.Term(f, w, boost=boost[f]) for w in holders for f in TEXT_FIELDS])


def simplified(query: Q.Query) -> Q.Query:
    """An AND inside an AND (an OR inside an OR) joins it, and **a part named twice counts
    once** (`刘宁 刘宁` scores as `刘宁`, `(a OR b) a` as `a b`): the query parser hands Whoosh's
    `normalize()` its query, which drops repeated parts — docs/ranking.md's "the sum over the
    parts it matches" counts distinct parts."""
    if isinstance(query, Q.AndNot):
        return Q.AndNot(simplified(query.a), simplified(query.b))
    if not isinstance(query, (Q.And, Q.Or)):
        return query
    parts: list[Q.Query] = []
    for child in map(simplified, query.subqueries):
        for part in child.subqueries if type(child) is type(query) else [child]:
            if part not in parts:
                parts.append(part)
    return parts[0] if len(parts) == 1 else type(query)(parts)


# -- the brute force ---------------------------------------------------------------------------


@dataclass
class Record:
    stored: dict
    #: text field → term → the positions it stands at
    positions: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    #: text field → its length in terms (every occurrence of a word or sub-word)
    length: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.stored["id"]

    def values(self, name: str) -> list[str]:
        value = self.stored.get(name)
        if value is None:
            return []
        if name in KEYWORD_FIELDS:
            return [v.strip() for v in value.split(",") if v.strip()]
        return [value]

    def status(self, day: str) -> str | None:
        s = self.stored
        if s["kind"] != "document":
            return None
        return status_on(day, s.get("date"), s.get("effective"), s.get("expires"), s.get("repealed_on"),
                         s.get("amended_on"))


class BruteForce:
    """Answers queries by scanning every record (see the module's docstring)."""

    def __init__(self, stored: list[dict], analysis: Analysis) -> None:
        self.records = []
        for fields in stored:
            record = Record(fields)
            for name in TEXT_FIELDS:
                at: dict[str, set[int]] = {}
                n = 0
                for term, pos, _start, _end in analysis.terms(fields.get(name) or ""):
                    at.setdefault(term, set()).add(pos)
                    n += 1
                record.positions[name], record.length[name] = at, n
            self.records.append(record)
        self.by_id = {r.id: r for r in self.records}
        #: record id → its place in the index (the records come in document-number order)
        self.order = {r.id: k for k, r in enumerate(self.records)}
        n = len(self.records)
        self.avglen = {f: sum(r.length[f] for r in self.records) / n or 1 for f in TEXT_FIELDS}

    # scoring

    def idf(self, fieldname: str, term: str) -> float:
        """Whoosh's idf: log(N / (df + 1)) + 1, N counting every record."""
        df = sum(1 for r in self.records if term in r.positions[fieldname])
        return math.log(len(self.records) / (df + 1)) + 1

    def term_score(self, record: Record, fieldname: str, term: str, idf: float) -> float:
        tf = len(record.positions[fieldname][term]) * FIELD_BOOST[fieldname]
        return bm25(idf, tf, quantised(record.length[fieldname]), self.avglen[fieldname])

    # queries

    def run(self, query: Q.Query, whoosh_and_not: bool = False) -> dict[str, float]:
        """Record id → score of every record matching `query`; with `whoosh_and_not`, an AndNot
        as stock Whoosh's `AndNotMatcher` answers it (`_and_not`)."""
        run = self.run if not whoosh_and_not else lambda q: self.run(q, whoosh_and_not=True)
        if isinstance(query, Q.Term):
            return self._phrase(query.fieldname, [query.text], query.boost)
        if isinstance(query, Q.Phrase):
            return self._phrase(query.fieldname, list(query.words), query.boost)
        if isinstance(query, Q.Or):
            found: dict[str, float] = {}
            for child in query.subqueries:
                for rid, score in run(child).items():
                    found[rid] = found.get(rid, 0.0) + score
            return found
        if isinstance(query, Q.And):
            parts = [run(child) for child in query.subqueries]
            common = set.intersection(*map(set, parts))
            return {rid: sum(p[rid] for p in parts) for rid in common}
        if isinstance(query, Q.AndNot):
            return self._and_not(run(query.a), run(query.b), whoosh_and_not)
        if isinstance(query, Q.Every):
            return dict.fromkeys(self.by_id, 1.0)
        raise TypeError(f"the brute force does not know {query!r}")

    def _and_not(self, positive: dict[str, float], negative: dict[str, float], whoosh: bool) -> dict[str, float]:
        """The records of `positive` not in `negative`. Stock Whoosh's `AndNotMatcher` (2.7.5)
        gets one wrong: built on both matchers' first documents, it checks the negative side only
        when the two stand on the same document (`_find_first`), so when the negative side's first
        document comes before the positive side's first, that first positive document is kept even
        if the negative side holds it (later ones are checked: `next()` skips the negative side
        forward). With `whoosh`, that mistake is made here too."""
        found = {rid: s for rid, s in positive.items() if rid not in negative}
        if whoosh and positive and negative:
            first = min(positive, key=self.order.__getitem__)
            if first in negative and min(map(self.order.__getitem__, negative)) < self.order[first]:
                found[first] = positive[first]
        return found

    def _phrase(self, fieldname: str, words: list[str], boost: float) -> dict[str, float]:
        """Records where word k stands at the first word's position plus the lengths of the
        words before it (a marked name end is one character); scored the sum of its words."""
        if fieldname not in TEXT_FIELDS:  # keyword and ID fields: a value, 1 × boost
            return {r.id: 1.0 * boost for r in self.records if words[0] in r.values(fieldname)}
        shifts = [sum(len(w.removeprefix(NAME_END_MARK)) for w in words[:k]) for k in range(len(words))]
        idfs = {w: self.idf(fieldname, w) for w in words}
        found = {}
        for r in self.records:
            at = r.positions[fieldname]
            if not all(w in at for w in words):
                continue
            if any(all(p + shift in at[w] for w, shift in zip(words, shifts, strict=True)) for p in at[words[0]]):
                found[r.id] = sum(self.term_score(r, fieldname, w, idfs[w]) for w in words) * boost
        return found

    # filters and facets

    def allowed(self, filters: Filters) -> set[str]:
        return {r.id for r in self.records if self._allows(r, filters)}

    def _allows(self, r: Record, f: Filters) -> bool:
        s = r.stored
        kinds = [f.kind] if isinstance(f.kind, str) else list(f.kind or [])
        if kinds and s["kind"] not in kinds:
            return False
        for name in ("doc_type", "year", "level"):
            if getattr(f, name) and s.get(name) != getattr(f, name):
                return False
        if f.issuer and f.issuer not in r.values("issuers"):
            return False
        if f.has_annex is not None and s.get("has_annex") != ("true" if f.has_annex else "false"):
            return False
        if f.number and normalize_number(f.number) not in r.values("doc_number"):
            return False
        if f.cites and normalize_number(f.cites) not in r.values("cites"):
            return False
        if f.since or f.until:  # the record's days (date … date_end) overlap the range
            start = s.get("date")
            end = s.get("date_end") or start
            if not start or (f.until and start > f.until) or (f.since and end < f.since):
                return False
        if f.status:
            wanted = f.statuses()
            if r.status(f.as_of or today()) not in wanted:
                return False
        return True

    def search(self, query: Q.Query, filters: Filters | None = None, whoosh_and_not: bool = False) -> dict[str, float]:
        found = self.run(query, whoosh_and_not)
        if filters is not None:
            allowed = self.allowed(filters)
            found = {rid: s for rid, s in found.items() if rid in allowed}
        return found

    def facets(self, ids, as_of: str | None = None) -> dict[str, dict[str, int]]:
        """Counts per facet value of the records `ids` (no value, no count) and per status."""
        records = [self.by_id[i] for i in ids]
        out = {name: dict(Counter(v for r in records for v in r.values(name) if v)) for name in FACETS}
        out["status"] = dict(Counter(s for r in records if (s := r.status(as_of or today()))))
        return out


# -- stock Whoosh ------------------------------------------------------------------------------


def stock_query(query: Q.Query) -> Q.Query:
    """The query as Whoosh's own matchers can run it: a phrase becomes a left-nested chain of
    `SpanNear2`, each link exactly the length of the word before it apart (our positions count
    characters); its boost goes on its terms (a span scores the sum of its terms, as ours)."""
    if isinstance(query, Q.Phrase):
        words = list(query.words)
        chain = Q.Term(query.fieldname, words[0], boost=query.boost)
        for before, word in zip(words, words[1:], strict=False):
            gap = len(before.removeprefix(NAME_END_MARK))
            chain = spans.SpanNear2([chain, Q.Term(query.fieldname, word, boost=query.boost)],
                                    slop=gap, ordered=True, mindist=gap)
        return chain
    if isinstance(query, Q.AndNot):
        return Q.AndNot(stock_query(query.a), stock_query(query.b))
    if isinstance(query, Q.CompoundQuery):
        return query.__class__([stock_query(q) for q in query.subqueries], boost=query.boost)
    return query


def stock_filter(filters: Filters) -> Q.Query | None:
    """The filters (all but status, which is worked out per day, not indexed) as a Whoosh query."""
    f = filters
    parts: list[Q.Query] = []
    kinds = [f.kind] if isinstance(f.kind, str) else list(f.kind or [])
    if kinds:
        parts.append(Q.Or([Q.Term("kind", k) for k in kinds]))
    for name in ("doc_type", "year", "level"):
        if getattr(f, name):
            parts.append(Q.Term(name, getattr(f, name)))
    if f.issuer:
        parts.append(Q.Term("issuers", f.issuer))
    if f.has_annex is not None:
        parts.append(Q.Term("has_annex", "true" if f.has_annex else "false"))
    if f.number:
        parts.append(Q.Term("doc_number", normalize_number(f.number)))
    if f.cites:
        parts.append(Q.Term("cites", normalize_number(f.cites)))
    if f.since or f.until:
        starts_by = Q.TermRange("date", None, f.until) if f.until else Q.Every("date")
        overlap = Q.Or([Q.TermRange("date", f.since, None), Q.TermRange("date_end", f.since, None)]) if f.since else None
        parts.append(Q.And([starts_by, overlap]) if overlap is not None else starts_by)
    return None if not parts else Q.And(parts)


@dataclass
class StockAnswer:
    scores: dict[str, float]
    total: int
    #: the total of a search for the first page (10 hits), as a paging user gets it
    paged_total: int
    facets: dict[str, dict[str, int]]


def stock_search(searcher, id_of: dict[int, str], query: Q.Query, filters: Filters | None) -> StockAnswer:
    """Whoosh's answer: its matchers, its filter, its facet groups, its total of a first page."""
    query, allow = stock_query(query), stock_filter(filters) if filters else None
    results = searcher.search(query, filter=allow, limit=None, groupedby={n: sorting.FieldFacet(n) for n in FACETS},
                              maptype=sorting.Count)
    facets = {n: {k: v for k, v in results.groups(n).items() if k not in (None, "")} for n in FACETS}
    paged = len(searcher.search(query, filter=allow, limit=10))
    return StockAnswer({id_of[hit.docnum]: hit.score for hit in results}, len(results), paged, facets)
