"""govdocs — parse, index and search Chinese government gazettes (政报).

    from govdocs import parse_file, Searcher, Filters
    issue = parse_file("corpus/000_2d9c3dd783fd086b.txt")
    with Searcher(index_dir) as searcher:
        results = searcher.search("营商环境", Filters(kind="document"), limit=5)
"""

__all__ = ["DecodeError", "parse_bytes", "parse_file", "parse_text", "Searcher", "Filters", "__version__"]
__version__ = "0.1.0"

#: where each public name lives; loaded on first use, so that `govdocs search` does not import
#: the parser and `govdocs parse` does not import the search engine
_HOMES = {"DecodeError": "govdocs.parse.pipeline", "parse_bytes": "govdocs.parse.pipeline",
          "parse_file": "govdocs.parse.pipeline", "parse_text": "govdocs.parse.pipeline",
          "Searcher": "govdocs.index.search", "Filters": "govdocs.index.search"}


def __getattr__(name: str):
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'govdocs' has no attribute {name!r}")
