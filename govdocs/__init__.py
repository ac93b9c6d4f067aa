"""govdocs — parse, index and search Chinese government gazettes (政报)."""

__all__ = ["DecodeError", "parse_bytes", "parse_file", "parse_text", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy, so that `govdocs search` does not import the parser.
    if name in __all__:
        from govdocs.parse import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'govdocs' has no attribute {name!r}")
