"""`govdocs refs` and `check`: cross-references, status and the editors' report."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from govdocs.cli.common import (
    AsOfOption,
    IndexOption,
    TableFormatOption,
    TableOrJson,
    WantedArgument,
    app,
    ask_index,
    collect_files,
    console,
    date_bound,
    fail,
    parsed_files,
)


@app.command()
def refs(
    wanted: WantedArgument,
    as_of: AsOfOption = None,
    fmt: TableFormatOption = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """What a document cites, what cites, amends or repeals it, and its status with the evidence."""
    day = date_bound(as_of, True) if as_of else None
    found = ask_index(index_dir, lambda corpus: corpus.refs(wanted, day),
                      f"{wanted}: no document in the index has this number or id, and nothing cites it — check the "
                      "number, or index the files that hold it with `govdocs index PATH`")
    if fmt is TableOrJson.json:
        payload = {"query": wanted, "as_of": day, "documents": [r.to_dict() for r in found]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_refs

    print_refs(console(), found)


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Gazette text files or folders.", show_default="the bundled corpus", readable=False)] = None,
    fmt: TableFormatOption = TableOrJson.table,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any finding is an error.")] = False,
) -> None:
    """The editors' report: citations, repeals, duplicate numbers, TOC, chronicle, number series."""
    from govdocs.inputs import bundled_corpus
    from govdocs.relations.catalog import Catalog
    from govdocs.relations.check import SEVERITIES
    from govdocs.relations.check import check as run_check
    from govdocs.relations.resolve import resolve

    files, problems = collect_files(paths or [bundled_corpus()])
    parsed = list(parsed_files(files, problems))
    findings = run_check(parsed, resolve(Catalog.from_parsed(parsed)))
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    if fmt is TableOrJson.json:
        payload = {"files": [p.source.path for p in parsed], "counts": counts, "findings": [f.to_dict() for f in findings]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        from govdocs.views import print_findings

        print_findings(console(), findings, counts)
    fail(problems)
    if strict and counts["error"]:
        console(True).print(f"[red]{counts['error']} error(s)[/red] — fix them or run without --strict", highlight=False)
        raise typer.Exit(1)
