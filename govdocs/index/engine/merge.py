"""Which small segments a commit merges, and how: their records re-added from stored fields.

Every `govdocs index` run that adds files writes at least one segment, and a search pays for
each segment (each query term is looked up in each). Left alone, an index fed one issue a week
would hold hundreds. So a commit merges small segments, in tiers (`to_merge`): segments are
ranked by their live records' count, a tier per power of `MERGE_FACTOR`, and when a tier holds
`MERGE_FACTOR` segments they become one of the next tier — each record is merged about once
per tier, and the number of segments grows with the logarithm of the runs, not with the runs.
A merge never makes a segment of more than `MERGE_MOST` records, so its memory stays that of a
bulk-built segment, and the bulk-built segments of a large first run (~13,000 records each)
stay as they are.

Whoosh merges by copying postings through its sorting pool, a Python call per posting (merging
0.6 MB of text cost more than indexing it). Every indexed field is stored (`schema`), so a
merged segment's records are re-added from their stored fields instead (`readd`): analysed
afresh in batches like new records, without parsing; deleted records are left behind.
"""

from __future__ import annotations

from whoosh.reading import SegmentReader

#: segments merged at once, and the ratio between tiers
MERGE_FACTOR = 10
#: the most records a merge puts in one segment: the merged records are analysed into the
#: committing writer's own segment, held in memory until it is written, so a merge holds about
#: what a bulk-built segment does (`indexer.SEGMENT_BYTES`: ~13,000 records of 2.4 KB)
MERGE_MOST = 12_000
#: records re-added per batch (`BulkWriter.add_documents`)
_BATCH = 200


def to_merge(segments: list) -> list:
    """The segments to merge into one: the `MERGE_FACTOR` smallest of the lowest tier that
    holds that many (tier: ⌊log_MERGE_FACTOR of the live records⌋), if together they hold no
    more than `MERGE_MOST` records; else none."""
    tiers: dict[int, list] = {}
    for segment in segments:
        count = segment.doc_count()
        if 0 < count <= MERGE_MOST:
            tiers.setdefault(_tier(count), []).append(segment)
    for tier in sorted(tiers):
        members = sorted(tiers[tier], key=lambda s: s.doc_count())[:MERGE_FACTOR]
        if len(members) == MERGE_FACTOR and sum(s.doc_count() for s in members) <= MERGE_MOST:
            return members
    return []


def _tier(count: int) -> int:
    """⌊log_MERGE_FACTOR count⌋, in integers (`math.log(1000, 10)` is 2.9999999999999996)."""
    tier = 0
    while count >= MERGE_FACTOR:
        count //= MERGE_FACTOR
        tier += 1
    return tier


def readd(writer, segments: list) -> int:
    """Add the live records of `segments` to `writer` from their stored fields; returns how
    many."""
    count = 0
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            batch = []
            for docnum in reader.all_doc_ids():  # the live ones
                batch.append(reader.stored_fields(docnum))
                if len(batch) == _BATCH:
                    writer.add_documents(batch)
                    count, batch = count + len(batch), []
            writer.add_documents(batch)
            count += len(batch)
        finally:
            reader.close()
    return count
