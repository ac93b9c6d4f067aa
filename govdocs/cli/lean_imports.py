"""Keep Whoosh's import cheap: a search command is mostly start-up.

whoosh-reloaded imports things it hardly uses, which cost more than Whoosh itself
(docs/engine.md has the figures): `whoosh.compat` does `from urllib.request import
urlretrieve` (+ http, email, ssl), `whoosh.reading` imports the `cached_property` backport,
which imports asyncio, `whoosh.query.terms` imports the English morphology tables for
`Variations`, a query we never build, and `whoosh.analysis` the Porter stemmer and double
metaphone, which our analyzer never calls.
Only the `govdocs` command calls `install()`, before anything imports Whoosh; it registers
stand-ins *only if those modules are not imported yet*:

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


def _forwarder(module: str, name: str):
    """A stand-in for `module.name` that imports the real module when it is first called."""

    def forward(*args, **kwargs):
        return getattr(_real(module), name)(*args, **kwargs)

    forward.__name__ = name
    return forward


#: Whoosh modules imported only for one function we never call: module → that function
_UNUSED = {"whoosh.lang.morph_en": "variations", "whoosh.lang.porter": "stem",
           "whoosh.lang.dmetaphone": "double_metaphone"}


def install() -> None:
    if "urllib.request" not in sys.modules:
        import urllib

        stub = _Deferred("urllib.request", {"urlretrieve": _forwarder("urllib.request", "urlretrieve")})
        sys.modules["urllib.request"] = stub
        urllib.request = stub  # type: ignore[attr-defined]
    for module, name in _UNUSED.items():
        if module not in sys.modules:
            sys.modules[module] = _Deferred(module, {name: _forwarder(module, name)})
    if "cached_property" not in sys.modules:
        sys.modules["cached_property"] = _Deferred("cached_property", {"cached_property": functools.cached_property})
