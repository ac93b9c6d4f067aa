"""The `govdocs` command: a thin layer over the library API, one module per group of commands.

`common` holds the Typer app and what the commands share; `corpus` (parse, index, search),
`relations` (refs, check) and `records` (export, schema, people) register their commands on it.
"""

from __future__ import annotations

# importing a command module registers its commands, in this order in `govdocs --help`
from govdocs.cli import corpus  # noqa: F401
from govdocs.cli import relations  # noqa: F401
from govdocs.cli import records  # noqa: F401
from govdocs.cli.common import app

__all__ = ["app", "run"]


def run() -> None:
    app()
