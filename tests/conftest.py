from __future__ import annotations

from pathlib import Path

import pytest

from govdocs import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ISSUE_2019 = CORPUS / "000_2d9c3dd783fd086b.txt"
ISSUE_2017 = CORPUS / "004_c08b9330cf72774e.txt"


@pytest.fixture(scope="session")
def issue2019():
    return parse_file(ISSUE_2019)


@pytest.fixture(scope="session")
def issue2017():
    return parse_file(ISSUE_2017)


@pytest.fixture(scope="session")
def source2019() -> str:
    return ISSUE_2019.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source2017() -> str:
    return ISSUE_2017.read_text(encoding="utf-8")


def doc_by_number(result, number):
    return next(d for d in result.documents if number in d.doc_numbers)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index of the bundled corpus (built once, in-process)."""
    from govdocs.index.indexer import update_index

    folder = tmp_path_factory.mktemp("index")
    update_index(sorted(CORPUS.glob("*.txt")), [CORPUS], folder, jobs=1)
    return folder


@pytest.fixture(scope="session")
def searcher(corpus_index):
    from govdocs.index.search import Searcher

    with Searcher(corpus_index) as s:
        yield s
