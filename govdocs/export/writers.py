"""Writers for export records: JSON (one array), JSON Lines, CSV — all streaming.

Each writer writes a record as soon as it gets it, so an export holds one file's records
at a time whatever the corpus size. CSV is for the flat kinds: a header row, one row per
record, `source.*` columns spelled out, lists as JSON text, UTF-8 with a byte-order mark
so that spreadsheet programs read the Chinese correctly; a cell that a spreadsheet would run
as a formula (starting with = + - @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any

EXTENSIONS = {"json": "json", "jsonl": "jsonl", "csv": "csv"}


class Writer:
    def __init__(self, stream: IO[str], columns: list[str] | None = None):
        self.stream = stream
        self.columns = columns
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.stream.flush()


class JsonLinesWriter(Writer):
    def write(self, record):
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1


class JsonArrayWriter(Writer):
    """One JSON array, written element by element."""

    def write(self, record):
        self.stream.write("[\n" if self.count == 0 else ",\n")
        self.stream.write(json.dumps(record, ensure_ascii=False))
        self.count += 1

    def close(self):
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        super().close()


class CsvWriter(Writer):
    columns: list[str]  # always given: the header row

    def __init__(self, stream: IO[str], columns: list[str]):
        super().__init__(stream, columns)
        stream.write("\ufeff")
        self.csv = csv.writer(stream, lineterminator="\r\n")
        self.csv.writerow(columns)

    def write(self, record):
        flat = flatten(record)
        self.csv.writerow([_cell(flat.get(c)) for c in self.columns])
        self.count += 1


#: what a spreadsheet program reads as the start of a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell: None empty; text a spreadsheet would run as a formula (=HYPERLINK(…), +1,
    -2+3, @SUM) kept as text by a leading apostrophe, the usual neutraliser."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: the columns of `govdocs search --format csv`, one row per hit
HIT_COLUMNS = ["id", "kind", "doc_number", "doc_numbers", "title", "doc_type", "issuer", "date", "score", "match",
               "path", "snippet", "source", "line", "person", "gazette", "status"]


def hits_csv(hits, stream: IO[str]) -> None:
    """Search hits as CSV (`HIT_COLUMNS`): `doc_numbers` as JSON text like the other lists,
    `snippet` the first snippet's text."""
    writer = CsvWriter(stream, HIT_COLUMNS)
    for hit in hits:
        data = hit.to_dict()
        data["snippet"] = data["snippets"][0]["text"] if data["snippets"] else None
        writer.write({c: data.get(c) for c in HIT_COLUMNS})
    writer.close()


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """`{"source": {"path": …}}` → `{"source.path": …}`; lists become JSON text, and their
    lengths `<name>_count` (a document's sections, annexes …)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for sub, v in flatten(value).items():
                out[f"{key}.{sub}"] = v
        elif isinstance(value, list):
            out[key] = json.dumps(value, ensure_ascii=False)
            out[f"{key}_count"] = len(value)
        else:
            out[key] = value
    return out


def make_writer(fmt: str, stream: IO[str], columns: list[str] | None = None) -> Writer:
    if fmt == "csv":
        return CsvWriter(stream, columns or [])
    return JsonArrayWriter(stream) if fmt == "json" else JsonLinesWriter(stream)
