"""The search index: Whoosh with our jieba analyzer.

segmenter (rjieba engines) → analyzer (Whoosh tokenizer, fast postings) → schema → records
(parsed issue → index records) → store (location, incremental atomic updates) → query
(query language) → search (filters, facets, sorting) → snippets (marked sentences).
"""

from govdocs.index import _lean_imports, _zero_copy

_lean_imports.install()
_zero_copy.install()
