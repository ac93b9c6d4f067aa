"""Keep Whoosh's import cheap: a search command has ~0.3 s for everything.

whoosh-reloaded imports two things it hardly uses, which cost more than Whoosh itself:
`whoosh.compat` does `from urllib.request import urlretrieve` (+ http, email, ssl: ~40 ms),
`whoosh.reading` imports the `cached_property` backport, which imports asyncio (~40 ms),
`whoosh.query.terms` imports the English morphology tables for `Variations` (~12 ms), a query
we never build, and `whoosh.analysis` the Porter stemmer and double metaphone (~4 ms), which
our analyzer never calls.
`install()` registers stand-ins *only if those modules are not imported yet*:

* `urllib.request` → a module whose `urlretrieve` (and any other attribute) imports the
  real module on first use and then replaces itself in `sys.modules`;
* `whoosh.lang.morph_en`, `whoosh.lang.porter`, `whoosh.lang.dmetaphone` → modules whose
  `variations`, `stem`, `double_metaphone` load the real one on first call;
* `cached_property` → `functools.cached_property` (same semantics for Whoosh's use: a
  per-instance cached attribute); other names load the real backport.

Nothing is imported earlier or later than needed, and any code that really uses either
module gets the real one.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types


class _Deferred(types.ModuleType):
    def __init__(self, name: str, eager: dict) -> None:
        super().__init__(name)
        self.__dict__.update(eager)

    def __getattr__(self, attr: str):
        if attr.startswith("__"):  # the import system probes __path__ and friends
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def _real(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), _Deferred):
        del sys.modules[name]
    return importlib.import_module(name)


def _urlretrieve(*args, **kwargs):
    return _real("urllib.request").urlretrieve(*args, **kwargs)


def _variations(*args, **kwargs):
    return _real("whoosh.lang.morph_en").variations(*args, **kwargs)


def _stem(*args, **kwargs):
    return _real("whoosh.lang.porter").stem(*args, **kwargs)


def _double_metaphone(*args, **kwargs):
    return _real("whoosh.lang.dmetaphone").double_metaphone(*args, **kwargs)


def install() -> None:
    if "urllib.request" not in sys.modules:
        import urllib

        stub = _Deferred("urllib.request", {"urlretrieve": _urlretrieve})
        sys.modules["urllib.request"] = stub
        urllib.request = stub  # type: ignore[attr-defined]
    if "whoosh.lang.porter" not in sys.modules:
        sys.modules["whoosh.lang.porter"] = _Deferred("whoosh.lang.porter", {"stem": _stem})
    if "whoosh.lang.dmetaphone" not in sys.modules:
        sys.modules["whoosh.lang.dmetaphone"] = _Deferred("whoosh.lang.dmetaphone", {"double_metaphone": _double_metaphone})
    if "whoosh.lang.morph_en" not in sys.modules:
        sys.modules["whoosh.lang.morph_en"] = _Deferred("whoosh.lang.morph_en", {"variations": _variations})
    if "cached_property" not in sys.modules:
        sys.modules["cached_property"] = _Deferred("cached_property", {"cached_property": functools.cached_property})
