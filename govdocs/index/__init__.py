"""The search index: Whoosh with our jieba analyzer.

segmenter (rjieba engines) → analyzer (Whoosh tokenizer, fast postings) → schema → records
(parsed issue → index records) → store (location, incremental atomic updates) → query
(query language) → search (filters, facets, sorting) → snippets (marked sentences).
"""

import whoosh

#: the whoosh-reloaded release the engine is written against: it relies on private names of
#: Whoosh (its codec, segment writer and readers), which another release may change
SUPPORTED_WHOOSH = "2.7.5"


def _check_whoosh() -> None:
    """Whoosh's own version string (importlib.metadata would cost a search command ~10 ms)."""
    found = whoosh.versionstring()
    if found != SUPPORTED_WHOOSH:
        raise ImportError(f"govdocs needs whoosh-reloaded {SUPPORTED_WHOOSH}, found {found} — "
                          f"run `pip install whoosh-reloaded=={SUPPORTED_WHOOSH}`")


_check_whoosh()

from govdocs.index import _lean_imports, _zero_copy  # noqa: E402  (after the version check)

_lean_imports.install()
_zero_copy.install()
