"""The index schema: one Whoosh document per record (document, appointment, chronicle entry)."""

from __future__ import annotations

from whoosh import columns, fields, scoring

from govdocs.index.analyzer import JiebaText

#: bump when the schema or the analysis changes: older indexes must be rebuilt
SCHEMA_VERSION = 18

#: BM25F's parameters, tuned on the judged needs (`bench/relevance.py`, docs/ranking.md): less
#: length normalisation than Whoosh's default (B 0.75) keeps a long document that is about the
#: words above a short entry mentioning them; K1 1.6 lets repeated words count a little longer
WEIGHTING = scoring.BM25F(B=0.5, K1=1.6)

#: facet name → field; every facet field is an ID with a `RefBytesColumn` (one value number per
#: document, read whole by `evaluate` for facet counts and sorting)
FACETS = ("kind", "issuer", "doc_type", "year", "gazette", "rubric", "has_annex", "level")
#: a document's dates, from which its status on any day is worked out at search time
#: (`relations.status.status_on`): each an ID with a column, like the facets
STATUS_DATES = ("effective", "expires", "repealed_on", "amended_on")
KINDS = ("document", "appointment", "chronicle")


def build_schema() -> fields.Schema:
    """Every indexed field is stored too: a record is re-added from its stored fields when its
    change dates move (`indexer._restate`)."""
    facet = {name: fields.ID(stored=True, sortable=columns.RefBytesColumn()) for name in FACETS + STATUS_DATES}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=JiebaText(stored=True, field_boost=2.0),
        content=JiebaText(stored=True),
        #: who a document is addressed to and signed by, and its notes (主送机关, 署名, 附注)
        parties=JiebaText(stored=True, field_boost=0.5),
        doc_number=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        person=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        #: every issuing organ of a joint document (`search --issuer` matches any; the `issuer`
        #: facet counts the lead organ)
        issuers=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        #: the 机关代字 of a document's numbers (国办函): a query word equal to one finds it
        codes=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        #: the normalised numbers a record cites (`search --cites`)
        cites=fields.KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        date=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        #: the last day of a record that covers several (a chronicle entry): such a record is
        #: kept by `--since` when it ends on or after it (`Filters`) — a column, so that range is
        #: one comparison of each segment's distinct days (read as terms, `--since` a day read
        #: ~1,400 small posting lists at 1 GB, ~30 ms a search); an index written without it
        #: keeps its own schema and reads the terms
        date_end=fields.ID(stored=True, sortable=columns.RefBytesColumn()),
        source_path=fields.ID(stored=True),
        #: "path\0sha256": the lexicon of this field is the list of indexed files (stored, so
        #: that a record can be re-added from its stored fields when its status changes)
        file_key=fields.ID(stored=True),
        #: everything a hit shows that is not searched
        meta=fields.STORED(),
        **facet,
    )
