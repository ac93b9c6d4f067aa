"""The `govdocs` command: a thin layer over the library API, one module per group of commands.

`common` holds the Typer app and what the commands share; `corpus` (parse, index, search),
`relations` (refs, check) and `records` (export, schema, people) register their commands on it.
Importing this package imports neither the parser nor the search engine: each command
imports what it uses.
"""

from __future__ import annotations

import gc
import os

# importing a command module registers its commands, in this order in `govdocs --help`
# isort: off
from govdocs.cli import corpus  # noqa: F401
from govdocs.cli import relations  # noqa: F401
from govdocs.cli import records  # noqa: F401
from govdocs.cli import web  # noqa: F401
# isort: on
from govdocs.cli import lean_imports
from govdocs.cli.common import app

__all__ = ["app", "run"]


def run() -> None:
    """The `govdocs` program. Whoosh's imports are trimmed first (`lean_imports`): a search
    command is mostly start-up, and those imports were a third of it. At the end, the objects
    left are frozen out of the garbage collector (`gc.freeze`): the interpreter's last full
    collection would walk every one of them — a sixth of a search command on a 50 MB index
    (docs/performance.md) — though none is in a cycle; they are freed, atexit handlers run and
    streams are flushed as usual. NumPy's OpenBLAS would start a thread pool (a thread per
    core, spinning a while) at import, which govdocs never uses — no linear algebra — and which
    cost a search command ~0.1 CPU-s and ~30 ms of wall time on a 2-core machine: one thread is
    asked for, unless the user set `OPENBLAS_NUM_THREADS`."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    lean_imports.install()
    try:
        app()
    finally:
        gc.freeze()
