"""govdocs — parse, index and search Chinese government gazettes (政报)."""

from govdocs.parse import DecodeError, parse_bytes, parse_file, parse_text

__all__ = ["DecodeError", "parse_bytes", "parse_file", "parse_text", "__version__"]
__version__ = "0.1.0"
