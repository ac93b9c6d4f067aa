"""The `govdocs` command: a thin layer over the library API, one module per group of commands.

`common` holds the Typer app and what the commands share; `corpus` (parse, index, search),
`relations` (refs, check) and `records` (export, schema, people) register their commands on it.
"""

from __future__ import annotations

import os
import sys

# importing a command module registers its commands, in this order in `govdocs --help`
# isort: off
from govdocs.cli import corpus  # noqa: F401
from govdocs.cli import relations  # noqa: F401
from govdocs.cli import records  # noqa: F401
# isort: on
from govdocs.cli.common import app, finished

__all__ = ["app", "run"]


def run() -> None:
    """The `govdocs` program. After a read-only command that succeeded and said so
    (`common.mark_finished`: `search`), the process ends once its output is flushed, without
    tearing the interpreter down — freeing every module and object one by one costs ~15 ms,
    a twentieth of a search command. Anything else ends the usual way."""
    finished.clear()
    try:
        app()
    except SystemExit as exc:
        if finished and exc.code in (0, None):
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except OSError:  # e.g. a closed pipe: let Python report it as usual
                raise exc from None
            os._exit(0)
        raise
