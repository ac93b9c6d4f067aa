"""Index records → OpenSearch/Elasticsearch bulk-API NDJSON and an index template (docs/scaling.md).

The records are those the index gets (`index.records.records`, with the change dates the
indexer sets from the whole catalog), one action line and one source line each. Text fields are
given pre-tokenized by our own analysis (`Analysis.terms` of `default_analysis()`): the words of
`title`, `content` and `parties` joined by spaces in `<field>_tokens`, their dictionary sub-words
in `<field>_subwords`, both analysed by the cluster with a `whitespace` tokenizer and `lowercase`
only, so both engines segment identically; the original text is kept for display. What is not
reproduced (sub-words at their word's position, name-end marks, offsets) is in docs/scaling.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from govdocs.export.writers import Writer
from govdocs.index.analyzer import NAME_END_MARK, Analysis, default_analysis
from govdocs.index.schema import FACETS, STATUS_DATES, WEIGHTING, build_schema
from govdocs.vocab import ExportKind

#: the index (and template pattern) name of the cluster
INDEX = "govdocs"
#: the searched text fields (each with `_tokens` and `_subwords`)
TEXT_FIELDS = ("title", "content", "parties")
#: our comma-separated keyword fields, given as arrays
LIST_FIELDS = ("doc_number", "person", "issuers", "codes", "cites")
#: ISO dates (YYYY-MM-DD; a month or a year alone accepted)
DATE_FIELDS = ("date", "date_end", *STATUS_DATES)
#: single-valued keywords: the id, the facets, the provenance
KEYWORD_FIELDS = ("id", *FACETS, "source_path", "file_key")
#: the analyzer the cluster applies to our tokens: split at spaces, lower-case, nothing else
ANALYZER = "govdocs_pretokenized"
SIMILARITY = "govdocs_bm25"
DATE_FORMAT = "strict_date||strict_year_month||strict_year"


def boosts() -> dict[str, float]:
    """Each text field's boost in our BM25F (title 2, parties 0.5): a query-time boost there."""
    schema = build_schema()
    return {name: schema[name].format.field_boost for name in TEXT_FIELDS}


def template(index: str = INDEX) -> dict[str, Any]:
    """The index template (`PUT _index_template/<index>`): settings, analysis and mappings."""
    text = {"type": "text", "analyzer": ANALYZER, "similarity": SIMILARITY}
    properties: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        properties[name] = {"type": "text", "index": False}  # the original, for display
        properties[f"{name}_tokens"] = text
        properties[f"{name}_subwords"] = text
    for name in (*KEYWORD_FIELDS, *LIST_FIELDS):
        properties[name] = {"type": "keyword"}
    for name in DATE_FIELDS:
        properties[name] = {"type": "date", "format": DATE_FORMAT}
    properties["meta"] = {"type": "object", "enabled": False}  # lines, spans, sections: shown, not searched
    return {
        "index_patterns": [index],
        "template": {
            "settings": {
                "index": {
                    "similarity": {SIMILARITY: {"type": "BM25", "k1": WEIGHTING.K1, "b": WEIGHTING.B}},
                    "analysis": {"analyzer": {ANALYZER: {"type": "custom", "tokenizer": "whitespace",
                                                         "filter": ["lowercase"]}}},
                },
            },
            "mappings": {
                "dynamic": "strict",
                "_meta": {"source": "govdocs export --format opensearch",
                          "query_boosts": {f"{n}_{part}": b for n, b in boosts().items()
                                           for part in ("tokens", "subwords")},
                          "note": "no cluster was run by govdocs: see docs/scaling.md"},
                "properties": properties,
            },
        },
    }


def tokens(text: str, analysis: Analysis | None = None) -> tuple[list[str], list[str]]:
    """(words, sub-words) of a text as our index analyses it, in order; a name's marked last
    character (`NAME_END_MARK`) is left out."""
    words: list[str] = []
    subs: list[str] = []
    seen = -1  # the end of the last word: a term starting before it is one of its sub-words
    for term, _pos, start, end in (analysis or default_analysis()).terms(text):
        if start >= seen:
            words.append(term)
            seen = end
        elif not term.startswith(NAME_END_MARK):
            subs.append(term)
    return words, subs


def source(record: dict[str, Any], analysis: Analysis | None = None) -> dict[str, Any]:
    """A record's `_source`: lists split, text fields with their tokens, empty fields left out."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value == "":
            continue
        if key in LIST_FIELDS:
            out[key] = [v for v in value.split(",") if v]
        elif key in TEXT_FIELDS:
            words, subs = tokens(value, analysis)
            out[key] = value
            out[f"{key}_tokens"] = " ".join(words)
            out[f"{key}_subwords"] = " ".join(subs)
        else:
            out[key] = value
    return out


def bulk_lines(record: dict[str, Any], index: str = INDEX, analysis: Analysis | None = None) -> Iterator[str]:
    """The action line and the source line of one record, each without its newline."""
    yield json.dumps({"index": {"_index": index, "_id": record["id"]}}, ensure_ascii=False)
    yield json.dumps(source(record, analysis), ensure_ascii=False)


class BulkWriter(Writer):
    """Index records as bulk-API NDJSON (each line ends with a newline, the last one too)."""

    def __init__(self, stream: IO[str], index: str = INDEX) -> None:
        super().__init__(stream)
        self.index = index

    def write(self, record):
        for line in bulk_lines(record, self.index):
            self.stream.write(line + "\n")
        self.count += 1


def index_records(parsed, path: str, changes: dict[str, tuple[str | None, str | None]]) -> Iterator[dict]:
    """The records the index holds for one parsed file: `index.records.records` with the change
    dates the indexer sets from the whole catalog (`indexer._restate`)."""
    from govdocs.index.records import records

    for record in records(parsed, path):
        if record["kind"] == "document":
            repealed, amended = changes.get(record["id"], (None, None))
            record = {**record, "repealed_on": repealed, "amended_on": amended}
        yield record


def export(sources, changes: dict[str, tuple[str | None, str | None]], writer: BulkWriter,
           kinds: tuple[ExportKind, ...], keep=lambda date, issuer, doc_type: True):
    """Every index record of the kinds asked whose date, issuer and 文种 `keep` accepts."""
    from govdocs.export.run import Report

    report = Report(counts={k: 0 for k in kinds})
    for parsed, path in sources:
        report.files += 1
        for record in index_records(parsed, path, changes):
            if record["kind"] in kinds and keep(record.get("date"), record.get("issuer"), record.get("doc_type")):
                writer.write(record)
                report.counts[record["kind"]] += 1
    writer.close()
    return report


def change_dates_of(catalog) -> dict[str, tuple[str | None, str | None]]:
    """id → (repealed on, amended on) from a catalog with its citations, resolved."""
    from govdocs.relations.resolve import resolve
    from govdocs.relations.status import change_dates

    resolve(catalog)
    return change_dates(catalog)
