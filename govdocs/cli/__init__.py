"""The `govdocs` command: a thin layer over the library API, one module per group of commands.

`common` holds the Typer app and what the commands share; `corpus` (parse, index, search),
`relations` (refs, check) and `records` (export, schema, people) register their commands on it.
Importing this package imports neither the parser nor the search engine: each command
imports what it uses.
"""

from __future__ import annotations

import copy
import gc
import os
import sys

import typer
from typer.main import get_command_name

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
    asked for, unless the user set `OPENBLAS_NUM_THREADS`. Only the command run is built
    (`only_the_command`)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    lean_imports.install()
    try:
        only_the_command(sys.argv[1:])()
    finally:
        gc.freeze()


def only_the_command(args: list[str]) -> typer.Typer:
    """The app with only the command `args` begins with: Typer reads the signature of every
    registered command into a Click command before running one (~8 ms of every command;
    ~3.5 ms with the one). Anything else — no command first (`--help`, `--version`, nothing),
    a name no command has (Click's "No such command" and its suggestions) — gets the whole
    app, as do `govdocs --help`'s list and a misspelt name."""
    name = args[0] if args and not args[0].startswith("-") else None
    chosen = [c for c in app.registered_commands
              if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == name]
    if not chosen:
        return app
    lean = copy.copy(app)  # the same callback, options and settings; a list of its own
    lean.registered_commands = chosen
    return lean
