"""Searching the index: query + filters → hits with snippets, total and facet counts."""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import query as Q

from govdocs.index import snippets as S
from govdocs.index.analyzer import Analysis, phrase_shifts
from govdocs.index.engine import DamagedValue, Evaluator, ForeignSegment, Scored, paused, top_by_score, top_by_value, union
from govdocs.index.query import QueryParser, normalize_number
from govdocs.index.schema import FACETS, STATUS_DATES, WEIGHTING
from govdocs.index.segmenter import QuerySegmenter
from govdocs.index.store import DICTIONARY_FILE, IndexProblem, damaged, has_dictionary, open_index
from govdocs.relations.on_day import CODED, status_codes, status_on, today


@dataclass
class Filters:
    #: one kind, or several (a record of any of them)
    kind: str | list[str] | None = None
    issuer: str | None = None  # any organ of a joint document (`Searcher.resolve_issuer` for short forms)
    doc_type: str | None = None
    year: str | None = None
    #: ISO dates, inclusive: a record whose dates (`date` … `date_end`) overlap the range
    since: str | None = None
    until: str | None = None
    number: str | None = None
    #: documents with this status (or any of these; `relations.status.STATUSES`, `in_force`
    #: accepted) on `as_of` (ISO, default today)
    status: str | list[str] | None = None
    as_of: str | None = None
    level: str | None = None  # 效力级别
    #: the gazette issue (青海政报 2019年第3期) and the rubric of its table of contents
    gazette: str | None = None
    rubric: str | None = None
    cites: str | None = None  # a 发文字号 the record cites
    has_annex: bool | None = None

    def statuses(self) -> set[str]:
        from govdocs.relations.on_day import RENAMED

        wanted = [self.status] if isinstance(self.status, str) else list(self.status or [])
        return {s for w in wanted for s in RENAMED.get(w, (w,))}

    def dated(self) -> tuple[Q.Query, Q.Query | None] | None:
        """The date range as (records dated within it, multi-day records ending within or after
        it — to be kept when they start on or before `until`), or None: a record overlaps the
        range when it starts in it, or starts before it and ends in or after it. Only the few
        records covering several days carry a `date_end`, so the second range is small."""
        if not (self.since or self.until):
            return None
        within = Q.TermRange("date", self.since, self.until, startexcl=False, endexcl=False)
        ending = Q.TermRange("date_end", self.since, None, startexcl=False, endexcl=False) if self.since else None
        return within, ending

    def whoosh_query(self) -> Q.Query | None:
        """All the filters as one Whoosh query, dates included (what `Searcher` evaluates in
        two steps): for an oracle."""
        parts = [q] if (q := self.query()) is not None else []
        if (dated := self.dated()) is not None:
            within, ending = dated
            if ending is not None:
                starts = Q.TermRange("date", None, self.until) if self.until else Q.Every()
                within = Q.Or([within, Q.And([ending, starts])])
            parts.append(within)
        return None if not parts else parts[0] if len(parts) == 1 else Q.And(parts)

    def query(self) -> Q.Query | None:
        """Every filter but the dates (`dated`)."""
        parts: list[Q.Query] = []
        kinds = [self.kind] if isinstance(self.kind, str) else list(self.kind or [])
        if kinds:
            parts.append(Q.Term("kind", kinds[0]) if len(kinds) == 1 else Q.Or([Q.Term("kind", k) for k in kinds]))
        for name in ("doc_type", "year", "level", "gazette", "rubric"):
            if value := getattr(self, name):
                parts.append(Q.Term(name, value))
        if self.issuer:  # any organ of a joint document
            parts.append(Q.Term("issuers", self.issuer))
        if self.has_annex is not None:
            parts.append(Q.Term("has_annex", "true" if self.has_annex else "false"))
        for option, field_name in (("number", "doc_number"), ("cites", "cites")):
            if value := getattr(self, option):
                normalized = normalize_number(value)
                if normalized is None:
                    raise IndexProblem(f"--{option} {value!r} is not a 发文字号 — write it like 青政〔2019〕45号")
                parts.append(Q.Term(field_name, normalized))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Q.And(parts)


@dataclass
class Hit:
    id: str
    kind: str
    doc_number: str | None
    title: str
    issuer: str | None
    date: str | None
    score: float | None
    snippets: list[S.Snippet]
    source: str | None = None
    line: int | None = None
    person: str | None = None
    parent_id: str | None = None
    gazette: str | None = None
    status: str | None = None
    doc_type: str | None = None
    #: a 发文字号 the query named: "number" (the record holds it) or "cites" (it cites it)
    match: str | None = None
    #: the section the first snippet comes from (`三/（二）`, `第六条/第二款`)
    path: str | None = None

    @property
    def doc_numbers(self) -> list[str]:
        return self.doc_number.split(",") if self.doc_number else []

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "doc_number": self.doc_numbers[0] if self.doc_number else None,
                "doc_numbers": self.doc_numbers, "title": self.title, "doc_type": self.doc_type,
                "issuer": self.issuer, "date": self.date, "score": self.score, "match": self.match,
                "snippets": [s.to_dict() for s in self.snippets], "path": self.path, "source": self.source,
                "line": self.line, "person": self.person, "parent_id": self.parent_id, "gazette": self.gazette,
                "status": self.status}


@dataclass
class Results:
    total: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    query: str = ""
    tokens: list[tuple[str, list[str]]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"total": self.total, "took_ms": self.took_ms, "hits": [h.to_dict() for h in self.hits],
                "facets": self.facets}


def _status_codes(evaluator: Evaluator, docs: np.ndarray, day: str) -> np.ndarray:
    """The status on `day` of each document of `docs` (ascending global numbers), as codes of
    `on_day.CODED` (0 for records that are not documents), from the dates the index keeps —
    `on_day.status_on`'s precedence on whole arrays (`on_day.status_codes`)."""
    is_document = evaluator.compared("kind", docs, "document") == 0
    return status_codes(is_document, *(evaluator.compared(name, docs, day) for name in ("date", *STATUS_DATES)))


def _dated(evaluator: Evaluator, dated: tuple, until: str | None, allowed: Scored | None) -> Scored:
    """The documents of `allowed` (all, when None) whose dates overlap the range (`Filters.dated`)."""
    within, ending = dated
    found = evaluator.run(within, allowed)
    if ending is not None:
        spanning = evaluator.run(ending, allowed)
        if len(spanning) and until:  # those starting on or before `until` (a start on no date: never)
            spanning = spanning.taken(evaluator.compared("date", spanning.ids, until) <= 0)
        found = Scored.constant(union(found.ids, spanning.ids))  # a date range scores 1.0
    return found


def _short(issuer: str) -> str:
    """An issuer's short form: 青海省人民政府办公厅 → 省政府办公厅."""
    from govdocs.parse.agencies import place_of

    place = place_of(issuer)
    short = issuer[len(place):] if place else issuer
    return short.replace("人民政府", "政府")


def _match(numbers: set[str], held: str | None, cited: str | None) -> str | None:
    """"number" when the record holds a number the query names, "cites" when it cites one."""
    if numbers and held and numbers & set(held.split(",")):
        return "number"
    if numbers and cited and numbers & set(cited.split(",")):
        return "cites"
    return None


def _section_at(sections: list | None, snippets: list[S.Snippet]) -> str | None:
    """The path of the section the first content snippet stands in."""
    if not sections or not snippets or snippets[0].field != "content":
        return None
    k = bisect.bisect_right([offset for offset, _path in sections], snippets[0].start) - 1
    return sections[k][1] if k >= 0 else None


class Searcher:
    """An open index; reuse one for many searches (the benchmark does)."""

    def __init__(self, index_dir: str | Path) -> None:
        index_dir = self.index_dir = Path(index_dir).expanduser()
        self.ix = open_index(index_dir)
        if not has_dictionary(index_dir):  # a first run killed before writing it
            raise IndexProblem(f"the index at {index_dir} is incomplete — run `govdocs index` to complete it")
        try:
            segmenter = QuerySegmenter(index_dir / DICTIONARY_FILE)
        except (ValueError, OSError):
            raise IndexProblem(f"the index at {index_dir} has a damaged word list — run `govdocs index --rebuild` "
                               "(with the files to index) to build it anew") from None
        analysis = Analysis(segmenter)
        self.parser = QueryParser(analysis)
        self.searcher = self.ix.searcher(weighting=WEIGHTING)
        self._eval: Evaluator | None = None

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(self, text: str, filters: Filters | None = None, *, sort: str = "relevance", limit: int = 10,
               offset: int = 0, facets: bool = False, snippets: bool = True) -> Results:
        """The hits ranked `offset` to `offset + limit` (`total` counts them all)."""
        with paused():
            try:
                return self._search(text, filters, sort, limit, offset, facets, snippets)
            except DamagedValue as error:  # an occurrence value the decoder could not read
                raise damaged(self.index_dir) from error

    def issuers(self) -> list[str]:
        """Every issuing organ the index knows (lead or joint)."""
        return sorted(t.decode("utf-8") if isinstance(t, bytes) else t for t in self.searcher.lexicon("issuers"))

    def resolve_issuer(self, name: str) -> str:
        """An issuer as the index knows it, from its full name or a known short form
        (省政府办公厅 → 青海省人民政府办公厅: 人民政府 written 政府, the province left out); raises
        `IndexProblem` naming the closest issuers when none or several fit."""
        known = self.issuers()
        if name in known:
            return name
        fits = [i for i in known if _short(i) == _short(name) or _short(i).endswith(_short(name)) and len(name) >= 3]
        if len(fits) == 1:
            return fits[0]
        import difflib

        close = fits or difflib.get_close_matches(name, known, n=3, cutoff=0.3)
        hint = f" — did you mean {' or '.join(close)}?" if close else " — `govdocs search \"\" --facets` lists the issuers"
        raise IndexProblem(f"no issuer {name!r} in the index{hint}")

    def _search(self, text: str, filters: Filters | None, sort: str, limit: int, offset: int, facets: bool,
                snippets: bool) -> Results:
        started = time.perf_counter()
        parsed = self.parser.parse(text)
        evaluator = self._evaluator()
        evaluator.reset()
        filters = filters or Filters()
        filter_query = filters.query()
        allowed = evaluator.run(filter_query) if filter_query is not None else None
        if (dated := filters.dated()) is not None:
            allowed = _dated(evaluator, dated, filters.until, allowed)
        matches = evaluator.run(parsed.query, allowed)
        day = filters.as_of or today()
        if wanted := filters.statuses():  # worked out for the day asked, never read from the index
            allowed_codes = np.array([status in wanted for status in CODED], dtype=bool)
            matches = matches.taken(allowed_codes[_status_codes(evaluator, matches.ids, day)])
        if sort == "date":
            top = top_by_value(evaluator, "date", matches, offset + limit)[offset:]
        else:
            top = top_by_score(matches, offset + limit)[offset:]
        marks = S.wanted(parsed.query) if snippets else None
        hits = [self._hit(evaluator, d, score, marks, sort == "relevance", set(parsed.numbers), day) for d, score in top]
        facet_counts = {}
        if facets:
            docs = matches.ids
            for name in FACETS:
                counts = evaluator.facet_counts(name, docs)
                facet_counts[name] = {k: v for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
                                      if k not in (None, "")}
            coded = np.bincount(_status_codes(evaluator, docs, day), minlength=len(CODED)).tolist()
            statuses = {status: n for status, n in zip(CODED, coded, strict=True) if status and n}
            facet_counts["status"] = dict(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0])))
        took = round((time.perf_counter() - started) * 1000, 2)
        return Results(len(matches), took, hits, facet_counts, repr(parsed.query), parsed.tokens)

    def current(self):
        """Whoosh's searcher of the index's latest commit (the one open until then if nothing
        changed): what reads stored fields and lexicons outside a search."""
        if self.searcher.reader().segments() is None:  # an index without records: Whoosh cannot
            fresh = self.ix.searcher(weighting=WEIGHTING)  # refresh its empty reader, so reopen
        else:
            fresh = self.searcher.refresh()
        if fresh is not self.searcher:
            self.searcher, self._eval = fresh, None
        return self.searcher

    def _evaluator(self) -> Evaluator:
        """The evaluator of the current index state (a new one after the index changed)."""
        fresh = self.current()
        if self._eval is None:
            try:
                self._eval = Evaluator(fresh, phrase_shifts)
            except ForeignSegment:
                raise IndexProblem(f"a segment of the index at {self.index_dir} was written without govdocs' codec — "
                                   "run `govdocs index --rebuild`") from None
        return self._eval

    def _hit(self, evaluator: Evaluator, docnum: int, score: float, marks, scored: bool, numbers: set[str],
             day: str) -> Hit:
        """The hit of one record; `numbers`, the 发文字号 the query names, decide its `match`;
        its status is the one on `day`, from its stored dates (as `_status_codes` reads them from
        the columns for every match)."""
        stored = self.searcher.stored_fields(docnum)
        meta = stored.get("meta") or {}
        snips: list[S.Snippet] = []
        if marks is not None:
            content = stored.get("content") or ""

            def spans(fieldname: str) -> list[tuple[int, int]]:
                return S.match_spans(lambda w: evaluator.occurrences(fieldname, w, docnum), marks.get(fieldname, []))

            snips = S.make_snippets(content, spans("content"))
            if not snips and (title_spans := spans("title")):
                snips = S.make_snippets(stored.get("title", ""), title_spans, "title")
            if not snips and (party_spans := spans("parties")):
                snips = S.make_snippets(stored.get("parties") or "", party_spans, "parties")
            if not snips:
                snips = S.lead_snippet(content)
        return Hit(
            id=stored["id"], kind=stored["kind"], doc_number=stored.get("doc_number"), title=stored.get("title", ""),
            issuer=stored.get("issuer"), date=stored.get("date"),
            score=round(score, 4) if scored and score is not None else None, snippets=snips,
            source=stored.get("source_path"), line=meta.get("line"), person=stored.get("person"),
            parent_id=meta.get("parent_id"), gazette=stored.get("gazette"),
            doc_type=stored.get("doc_type"), path=_section_at(meta.get("sections"), snips),
            match=_match(numbers, stored.get("doc_number"), stored.get("cites")),
            status=status_on(day, *(stored.get(name) or None for name in ("date", *STATUS_DATES)))
            if stored["kind"] == "document" else None)
