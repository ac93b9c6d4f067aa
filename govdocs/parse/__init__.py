"""The parser: raw gazette text → `ParsedIssue`, one small stage per module.

decode → lines → segment (+ masthead) → layout → document → chronicle → crosscheck
(`pipeline.py` runs them). The entry points load lazily, so that importing one stage —
say `numbers` for the search command — does not import them all.
"""

from __future__ import annotations

__all__ = ["DecodeError", "parse_text", "parse_file", "parse_bytes"]


def __getattr__(name: str):
    if name in __all__:
        from govdocs.parse import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'govdocs.parse' has no attribute {name!r}")
