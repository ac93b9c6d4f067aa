"""The data model every stage shares; its `to_dict()` output *is* the JSON export.

Offsets (`start`, `end`, end-exclusive) index the decoded original text that
`parse_text` received (after removing a byte-order mark; line ends are kept as they
were). Line numbers are 1-based. `Fragment` is one contiguous source span.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from govdocs.vocab import DocType, Level, RegulationKind

# The closed vocabularies of single fields (the ones several modules share are in `vocab`)
#: a numbered part: chapter (章), part (节), article (条), clause (款), 一、, （一）, 1., （1）
SectionKind = Literal["chapter", "part", "article", "clause", "cn", "cn_paren", "arabic", "arabic_paren"]
#: what a citation says the citing text does to the cited one (`patterns.RELATION_BEFORE` …)
Relation = Literal["issues", "forwards", "amends", "repeals", "based_on", "refers_to", "implements", "mentions"]
#: how a citation was printed: 《…》（文号）, a number, a title, a short name (以下简称…), a standard
CitationForm = Literal["title_number", "number", "title", "alias", "standard"]
#: whether the cited document was found: the text the notice carries, in the corpus, or not
Resolution = Literal["self", "in_corpus", "not_in_corpus"]
#: 任 (appoint), 兼 (concurrent), 免 (remove), 退休 (retire)
Action = Literal["appoint", "concurrent", "remove", "retire"]
#: how each action is printed (an appointment record's title says it: 免去 finds a retirement)
ACTION_LABELS: dict[Action, str] = {"appoint": "任命", "concurrent": "兼任", "remove": "免去", "retire": "免去并退休"}
#: 自…起施行, 有效期至…, 有效期N年
EffectKind = Literal["effective", "expires", "valid_years"]
Newline = Literal["lf", "crlf", "cr", "mixed"]
SourceFormat = Literal["text", "html"]


class Record:
    """Mixin: recursive `to_dict()` / `from_dict()` for the dataclasses below."""

    # (the ignores: mypy checks a class object against Hashable with object.__hash__ unbound; classes hash)
    def to_dict(self) -> dict[str, Any]:
        return {name: dump(getattr(self, name)) for name, dump in _dumpers_of(type(self))}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**{name: load(data[name]) for name, load in _loaders_of(cls) if name in data})  # type: ignore[arg-type]


@functools.cache
def _loaders_of(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, function that rebuilds the field's value from JSON) of a dataclass's fields —
    resolving the annotation strings is costly, so it is paid once a class."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name], _LOAD)) for f in dataclasses.fields(cls))


@functools.cache
def _dumpers_of(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, function that turns the field's value into JSON) of a dataclass's fields: what
    `_dump` does, chosen once from the annotation instead of tested on every value."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name], _DUMP)) for f in dataclasses.fields(cls))


def _as_is(value: Any) -> Any:
    return value


def _list_copy(value: list | None) -> list | None:
    return None if value is None else list(value)


@dataclass(frozen=True)
class _Direction:
    """How `_converter` converts one way: a record (given its class), a list of plain values,
    and a value whose annotation does not settle it."""

    record: Any
    plain_list: Any
    unsettled: Any


_LOAD = _Direction(record=lambda cls: cls.from_dict, plain_list=_as_is, unsettled=_as_is)


def _converter(hint: Any, way: _Direction):
    """A function converting a value annotated `hint` to or from JSON (None stays None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _converter(inner[0], way) if len(inner) == 1 else way.unsettled
    if origin is list:
        (item,) = typing.get_args(hint)
        convert_item = _converter(item, way)
        if convert_item is _as_is:
            return way.plain_list
        return lambda value: None if value is None else [convert_item(v) for v in value]
    if isinstance(hint, type) and issubclass(hint, Record):
        convert = way.record(hint)
        return lambda value: None if value is None else convert(value)
    if origin is typing.Literal:  # a closed vocabulary: its values are strings
        return _as_is
    return _as_is if hint in (str, int, float, bool) else way.unsettled


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


_DUMP = _Direction(record=lambda cls: Record.to_dict, plain_list=_list_copy, unsettled=_dump)


@dataclass(slots=True)
class Span(Record):
    """A place in the source: offsets and the lines they cover."""

    start: int
    end: int
    line_start: int
    line_end: int


Fragment = Span  # a piece of a document in reading order


@dataclass(slots=True)
class ParseWarning(Record):
    """What the parser could not prove, with the line it concerns."""

    code: str
    message: str
    line: int | None = None


@dataclass(slots=True)
class TocEntry(Record):
    """One line of the issue's table of contents and what it points to."""

    rubric: str | None
    title: str
    page: int | None
    document_id: str | None = None
    #: what the entry points to; None when unmatched
    target: Literal["document", "chronicle"] | None = None
    line: int = 0
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Issue(Record):
    """The gazette issue: masthead facts and table of contents."""

    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    total_number: int | None = None
    #: where `year` came from
    year_source: Literal["masthead", "documents"] | None = None
    toc: list[TocEntry] = field(default_factory=list)
    #: masthead, TOC and editorial board
    front_matter: list[Span] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        """How the issue is named in facets and catalogs: 青海政报 2019年第3期 (None unless the
        gazette, year and number are all known)."""
        if not (self.gazette and self.year and self.number):
            return None
        return f"{self.gazette} {self.year}年第{self.number}期"


@dataclass(slots=True)
class Section(Record):
    """A numbered part of a text (一、 （一） 1. 第一条 …) with its sub-sections."""

    kind: SectionKind
    number: str  # as normalised for the path: 二, （三）, 12, 第五条
    heading: str
    text: str
    path: str
    line: int
    start: int
    end: int
    children: list[Section] = field(default_factory=list)


@dataclass(slots=True)
class Table(Record):
    """An annex table with its header and rows, page-repeated headers merged."""

    header: list[str]
    rows: list[list[str]]
    #: repeated page headers that were merged away, and rows rejoined across pages
    merged_headers: int = 0
    rejoined_rows: int = 0
    line_start: int = 0
    line_end: int = 0


@dataclass(slots=True)
class Annex(Record):
    """An annex (附件) printed after a document."""

    label: str | None  # 附件1 (None when the label was lost and the title matched 附件说明)
    number: int | None
    title: str | None
    text: str
    tables: list[Table] = field(default_factory=list)
    line_start: int = 0
    line_end: int = 0
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Attachment(Record):
    """The text a notice issues (印发), forwards (转发) or approves and forwards (批转), or the
    regulation a 令 promulgates (公布)."""

    verb: str
    title: str
    author: str | None
    body: str
    sections: list[Section] = field(default_factory=list)
    line_start: int = 0
    line_end: int = 0
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Reference(Record):
    """A citation of another document (see `parse/citations.py`).

    `text` is the citation as printed, joined across line breaks; `start`/`end` cover it
    in the source (a citation broken by a page break spans the break).
    """

    text: str
    title: str | None  # inside 《》, as printed
    doc_number: str | None  # normalised
    relation: Relation
    sentence: str
    line: int
    start: int
    end: int
    #: the cited document's issuer: from the 机关代字 registry, else printed before 《…》
    issuer: str | None = None
    #: the cited document's id when the corpus holds it
    target_id: str | None = None
    line_end: int | None = None
    #: how it was printed: title_number (《…》（文号）), number, title, alias (以下简称…), standard
    form: CitationForm = "number"
    #: the short name the text gives it: （…，以下简称《实施方案》）
    alias: str | None = None
    #: "self" (the text this notice carries), "in_corpus", "not_in_corpus"; None = not looked up
    resolution: Resolution | None = None
    #: the cited document's real title, when the cited title differs from it
    target_title: str | None = None


@dataclass(slots=True)
class Appointment(Record):
    """One appointment, removal or retirement in a personnel notice (任免)."""

    action: Action
    person: str
    position: str
    reason: str | None
    text: str  # the clause as printed
    line: int
    start: int
    end: int


@dataclass(slots=True)
class Member(Record):
    """A member of a leading group or committee a document sets up."""

    role: str
    person: str
    position: str
    line: int
    start: int
    end: int


@dataclass(slots=True)
class ChronicleEntry(Record):
    """One ● entry of a chronicle (大事记)."""

    date: str | None
    date_end: str | None
    text: str
    line: int
    start: int
    end: int
    references: list[Reference] = field(default_factory=list)
    line_end: int | None = None


@dataclass(slots=True)
class Chronicle(Record):
    """An issue's chronicle (大事记) and its entries."""

    id: str
    heading: str
    year: int | None
    month: int | None
    #: what the printed heading said, when it disagreed with the entries
    heading_year: int | None = None
    heading_month: int | None = None
    entries: list[ChronicleEntry] = field(default_factory=list)
    credits: str | None = None
    line_start: int = 0
    line_end: int = 0
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class FieldSpan(Record):
    """Where a metadata field was read: `source[start:end]` is its printed form."""

    field: str
    start: int
    end: int
    line: int


@dataclass(slots=True)
class EffectStatement(Record):
    """A sentence saying when a text takes effect or until when it is valid (`parse/validity.py`)."""

    #: effective (自…起施行) | expires (有效期至…) | valid_years (有效期N年)
    kind: EffectKind
    #: the ISO date it gives: printed, the document's own date (自印发之日起), or worked out
    #: (有效期5年 → the last valid day); None when it cannot be told
    date: str | None
    #: printed | on_issue | on_publication, or the number of years of a validity period
    basis: str
    text: str  # the words as printed
    sentence: str
    line: int
    start: int
    end: int


@dataclass(slots=True)
class Document(Record):
    """One official document (公文) as reprinted in the gazette."""

    id: str
    doc_number: str | None
    doc_numbers: list[str]
    #: the lead organ (the first of `issuers`)
    issuer: str | None
    title: str
    #: the 文种 (`vocab.DOC_TYPES`); None for a regulation printed on its own
    doc_type: DocType | None
    recipients: str | None
    date: str | None
    signatories: list[str]
    note: str | None
    body: str
    sections: list[Section] = field(default_factory=list)
    attachment: Attachment | None = None
    annexes: list[Annex] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)
    spans: list[FieldSpan] = field(default_factory=list)
    #: 附件说明: the annex titles listed before the signature
    annex_list: list[str] = field(default_factory=list)
    #: every issuing organ, in print order (several for a joint document, 联合行文)
    issuers: list[str] = field(default_factory=list)
    #: the kind of a regulation printed on its own (条例, 办法 …; `vocab.REGULATION_KINDS`)
    regulation: RegulationKind | None = None
    #: the day it takes effect and the last day it is valid, as its text says (`effect`)
    effective_date: str | None = None
    expires: str | None = None
    effect: list[EffectStatement] = field(default_factory=list)
    #: 效力级别 (`vocab.LEVELS`): 行政法规, 部门规章, 地方政府规章, 规范性文件, 工作文件; None = unknown
    level: Level | None = None
    #: a heading printed above the document that is not its title: a 令's 中华人民共和国国务院令
    heading: str | None = None

    def span(self, name: str) -> FieldSpan | None:
        return next((s for s in self.spans if s.field == name), None)


@dataclass(slots=True)
class PageField(Record):
    """One row of the metadata table a website prints above a document (发文机关: 国务院)."""

    label: str
    value: str


@dataclass(slots=True)
class Source(Record):
    """The input file: path, SHA-256, encoding and line ends.

    For an HTML page (`format` "html") offsets and lines index the text extracted from the
    page (`parse/html.py`), and `metadata` is the site's table, read as evidence only."""

    path: str | None
    sha256: str
    encoding: str
    #: line-end convention of the input
    newline: Newline = "lf"
    format: SourceFormat = "text"
    metadata: list[PageField] = field(default_factory=list)


@dataclass(slots=True)
class Coverage(Record):
    """How much of the source's text reached the output (see `parse/coverage.py`)."""

    #: non-blank lines of the source
    lines: int = 0
    #: lines whose text reaches a field of a document, the chronicle or the front matter
    placed: int = 0


@dataclass(slots=True)
class ParsedIssue(Record):
    """Everything parsed from one gazette issue."""

    source: Source
    issue: Issue
    documents: list[Document]
    chronicle: Chronicle | None
    warnings: list[ParseWarning] = field(default_factory=list)
    #: non-blank source text the parser could not assign (also reported as warnings)
    leftovers: list[Span] = field(default_factory=list)
    #: layout repairs made (fragments returned to their owners), for `--explain`
    repairs: list[ParseWarning] = field(default_factory=list)
    #: lines placed / non-blank lines; the rest are the `leftovers`
    coverage: Coverage = field(default_factory=Coverage)
