"""JSON Schemas (draft 2020-12) of the export records, derived from the data model.

The schema of a kind is built from the dataclasses its records are made of, so it cannot
drift from what `export` writes: every field is listed and required (null where the model
allows None), no other property is allowed, nested records are `$defs`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from govdocs.export import records as R
from govdocs.model import Document, Record
from govdocs.vocab import ExportKind, export_kind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: kind (`--kind`, and the `kind` of its records) → the record dataclass
ROOTS: dict[ExportKind, type] = {
    "document": Document,
    "appointment": R.AppointmentRecord,
    "chronicle": R.ChronicleRecord,
    "reference": R.ReferenceRecord,
    "toc": R.TocRecord,
}
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind's records (its earlier plural accepted); raises KeyError for an
    unknown kind."""
    value = export_kind(kind)
    cls = ROOTS[value]
    defs: dict[str, Any] = {}
    root = _object(cls, defs)
    props = {k: v for k, v in root["properties"].items() if k != "kind"}
    root["properties"] = {"kind": {"const": value}, **props}
    if "source" not in root["properties"]:  # documents: the parser's JSON plus provenance
        root["properties"]["source"] = _type(R.SourceRef, defs)
    root["required"] = list(root["properties"])
    return {"$schema": DRAFT, "$id": f"urn:govdocs:schema:{value}", "title": f"govdocs {value} record",
            "description": _doc(cls), **root, "$defs": dict(sorted(defs.items()))}


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or cls.__name__).split())


def _object(cls: type, defs: dict) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props = {f.name: _type(hints[f.name], defs) for f in dataclasses.fields(cls)}
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def _type(hint: Any, defs: dict) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        (one,) = inner
        schema = _type(one, defs)
        if "enum" in schema:  # a closed vocabulary, or null
            return {**schema, "type": [schema["type"], "null"], "enum": [*schema["enum"], None]}
        if "type" in schema and isinstance(schema["type"], str):
            return {**schema, "type": [schema["type"], "null"]}
        return {"anyOf": [schema, {"type": "null"}]}
    if origin is list:
        (item,) = typing.get_args(hint)
        return {"type": "array", "items": _type(item, defs)}
    if isinstance(hint, type) and issubclass(hint, Record):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # registered first: records can nest themselves (Section.children)
            defs[name] = {"description": _doc(hint), **_object(hint, defs)}
        return {"$ref": f"#/$defs/{name}"}
    if origin is typing.Literal:  # a closed vocabulary (`vocab`, `model`): its values
        values = typing.get_args(hint)
        (kind,) = {_SCALARS[type(v)] for v in values}
        return {"type": kind, "enum": list(values)}
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    raise TypeError(f"no JSON Schema for {hint!r}")


#: the CSV columns of documents: their scalar fields, lists of names as JSON text, the carried
#: text's verb and title, and nested parts as counts (`sections_count` …); the running text
#: (`body`) is a column, sections, tables and references are not (export JSON for them)
DOCUMENT_COLUMNS = [
    "kind", "id", "doc_number", "doc_numbers", "issuer", "issuers", "title", "doc_type", "regulation",
    "recipients", "date", "signatories", "note", "annex_list", "attachment.verb", "attachment.title",
    "sections_count", "annexes_count", "references_count", "appointments_count", "members_count",
    "warnings_count", "body",
]


def columns(kind: str) -> list[str]:
    """CSV columns of a kind: top-level fields, `source.*` spelled out, lists as JSON text;
    documents: `DOCUMENT_COLUMNS`."""
    if export_kind(kind) == "document":
        return DOCUMENT_COLUMNS + [f"source.{g.name}" for g in dataclasses.fields(R.SourceRef)]
    cls = ROOTS[export_kind(kind)]
    out = []
    for f in dataclasses.fields(cls):
        if f.name == "source":
            out += [f"source.{g.name}" for g in dataclasses.fields(R.SourceRef)]
        else:
            out.append(f.name)
    return out
