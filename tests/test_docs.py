"""The documentation cannot drift: docs/cli.md is the help as it is, links lead somewhere."""

from __future__ import annotations

import re

from tests.cli_reference import PAGE, render
from tests.conftest import ROOT

#: pages linked before they are written (docs/engine.md comes with the engine's move)
PENDING = {"docs/engine.md"}


def test_the_cli_reference_is_the_help_of_every_command():
    page = PAGE.read_text(encoding="utf-8")
    assert page == render(), "docs/cli.md differs from the help: run `make cli-reference` and commit it"
    for command in ("parse", "index", "search", "refs", "check", "people", "export", "schema"):
        assert f"## govdocs {command}\n" in page and f"Usage: govdocs {command} [OPTIONS]" in page
    assert "\x1b[" not in page and "╭" not in page  # no colour, no Rich boxes


def test_relative_links_lead_to_files_of_the_checkout():
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path = (page.parent / target).resolve()
            if str(path.relative_to(ROOT)) in PENDING:
                continue
            assert path.exists(), f"{page.relative_to(ROOT)} links to {target}, which does not exist"
            checked += 1
    assert checked >= 10
