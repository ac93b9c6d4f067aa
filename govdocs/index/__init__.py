"""The search index: Whoosh with our jieba analyzer.

segmenter (rjieba engines) → analyzer (terms at character positions) → schema → records
(parsed issue → index records) → store (location, incremental atomic updates) → query
(query language) → search (filters, facets, sorting) → snippets (marked sentences).
The engine under them — codec, bulk writer, query evaluator — is `govdocs.index.engine`.
Importing this package changes nothing of Whoosh's or of the process's.
"""
