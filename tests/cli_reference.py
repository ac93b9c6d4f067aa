"""docs/cli.md: the `--help` of `govdocs` and of every command, as one Markdown page.

Run `python -m tests.cli_reference` (or `make cli-reference`) to rewrite it after changing a
command; `tests/test_docs.py` fails while the committed page differs from what this renders.

The help is Typer's own text, laid out by Click's plain formatter at a fixed width (WIDTH), so
the page is the same on every machine and terminal: no colour, no Rich boxes (which also
misalign Chinese text in a browser), defaults and choices as the help states them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from govdocs.cli import app

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
WIDTH = 100

HEADER = """\
# Command-line reference

Generated from `govdocs --help` and `govdocs COMMAND --help` by `python -m tests.cli_reference`
(`make cli-reference`); do not edit by hand — a test fails when this page and the help differ.
The README has an example of each command; docs/json.md describes what `--format json` prints.
"""


def _plain_help(command, info_name: str, parent=None) -> str:
    """The help text as `--help` words it, in Click's plain layout at WIDTH columns."""
    command.rich_markup_mode = None  # a fresh command object (get_command builds new ones)
    ctx = command.context_class(command, info_name=info_name, parent=parent, terminal_width=WIDTH,
                                max_content_width=WIDTH)
    return ctx, command.get_help(ctx).rstrip() + "\n"


def render() -> str:
    group = typer.main.get_command(app)
    root_ctx, root_help = _plain_help(group, "govdocs")
    parts = [HEADER, "## govdocs\n", "```text\n" + root_help + "```\n"]
    for name, command in group.commands.items():
        _ctx, help_text = _plain_help(command, name, parent=root_ctx)
        parts += [f"## govdocs {name}\n", "```text\n" + help_text + "```\n"]
    return "\n".join(parts)


def main() -> None:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
