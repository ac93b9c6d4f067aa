"""Documents rebuilt the way users bring them: titles rewrapped over one to three lines,
body paragraphs shuffled, blank lines inserted, several documents in one file. Whatever the
layout, no line's text is lost and every document is found with its known issuer(s).

The documents are the thirty of tests/data/govcn and the corpus documents printed in one
piece; "known" is what the parser reads from the original, which test_govcn and test_corpus
check against the published metadata and the printed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdocs import parse_file, parse_text
from govdocs.parse.lines import split_lines
from tests.conftest import CORPUS
from tests.noloss import assert_nothing_lost
from tests.test_govcn import GOVCN


@dataclass(frozen=True)
class Source:
    """One document's printed lines as a variant rebuilds them: its title, the lines between
    the title and the body (number, recipients), the body, and the rest (signature on)."""

    title: str
    head: tuple[str, ...]
    body: tuple[str, ...]
    rest: tuple[str, ...]
    doc_number: str
    issuers: tuple[str, ...]


def _source(text: str, doc) -> Source | None:
    title, sign = doc.span("title"), doc.span("signatories")
    numbers = [s for s in doc.spans if s.field in ("doc_number", "doc_numbers")]
    if not (title and numbers and sign and doc.issuers) or len(doc.fragments) != 1 or title.start > numbers[0].start:
        return None  # a document the layout repair put together is not rebuilt
    fragment = doc.fragments[0]
    lines = [ln for ln in split_lines(text) if fragment.start <= ln.start and ln.end <= fragment.end]
    head_end = max(s.end for s in numbers + [doc.span("recipients") or numbers[0]])
    head = [ln.raw for ln in lines if title.end < ln.start and ln.start < head_end]
    body = [ln.raw for ln in lines if head_end <= ln.start < sign.start]
    rest = [ln.raw for ln in lines if ln.start >= sign.start]
    return Source(doc.title, tuple(head), tuple(body), tuple(rest), doc.doc_number, tuple(doc.issuers))


@cache
def sources() -> tuple[Source, ...]:
    out = []
    for path in sorted(GOVCN.glob("*.txt")) + sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for doc in parse_file(path).documents:
            if doc.doc_type != "令" and (s := _source(text, doc)) is not None:
                out.append(s)
    return tuple(out)


@st.composite
def variant(draw, src: Source) -> list[str]:
    """The document's lines with its title rewrapped and its sentences shuffled."""
    title = src.title
    n = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(1, len(title) - 1), min_size=n - 1, max_size=n - 1, unique=True)))
    title_lines = [title[a:b] for a, b in zip([0, *cuts], [*cuts, len(title)], strict=True)]
    body = list(src.body)
    movable = [i for i, line in enumerate(body) if line.endswith("。") and "\t" not in line]
    order = draw(st.permutations([body[i] for i in movable]))
    for i, line in zip(movable, order, strict=True):
        body[i] = line
    return title_lines + list(src.head) + body + list(src.rest)


@st.composite
def files(draw) -> tuple[str, list[Source]]:
    pool = sources()
    picked = draw(st.lists(st.integers(0, len(pool) - 1), min_size=1, max_size=3, unique=True))
    docs = [pool[i] for i in picked]
    lines: list[str] = []
    for src in docs:
        lines += draw(variant(src))
    text = ""
    for line in lines:
        text += line + "\n" + "\n" * draw(st.integers(0, 2))  # blank lines, as pages print them
    return text, docs


def test_the_pool_is_large():
    assert len(sources()) >= 35


@pytest.mark.slow  # 300 generated gazette files
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_no_text_lost_and_every_issuer_found(case):
    text, docs = case
    result = parse_text(text)
    assert_nothing_lost(text, result)
    found = {d.doc_number: d for d in result.documents}
    for src in docs:
        assert src.doc_number in found, (src.doc_number, [d.title for d in result.documents])
        doc = found[src.doc_number]
        assert tuple(doc.issuers) == src.issuers, (src.doc_number, doc.title)
        assert doc.title == src.title
