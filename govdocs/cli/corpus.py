"""`govdocs parse`, `index` and `search`."""

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from govdocs.cli.common import (
    LEVEL_CHOICES,
    STATUS_CHOICES,
    AsOfOption,
    Format,
    FormatOption,
    IndexOption,
    app,
    collect_files,
    console,
    date_bound,
    ensure_index,
    fail,
    index_dir_of,
    note_index,
    one_of,
    parsed_files,
    run_index,
)
from govdocs.vocab import INDEXED_KINDS, KIND_ALIASES


class SearchFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Sort(StrEnum):
    relevance = "relevance"
    date = "date"


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Gazette text files or folders of them.", show_default=False,
                                                readable=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """Split gazette issues into documents, appointments and chronicle entries."""
    from govdocs.views import print_issue

    files, problems = collect_files(paths)
    results = []
    for result in parsed_files(files, problems):
        if fmt is Format.json:
            results.append(result)
        elif fmt is Format.jsonl:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif fmt is Format.table:
            print_issue(console(), result)
    if fmt is Format.json:
        data = [r.to_dict() for r in results]
        payload = data[0] if len(data) == 1 and len(files) == 1 else data
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    fail(problems)


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Gazette text files or folders.", show_default="the bundled corpus", readable=False)] = None,
    index_dir: IndexOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-index every file from scratch.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes.",
                                                show_default="the CPU count")] = None,
) -> None:
    """Add files to the search index; unchanged files are skipped, changed and removed ones updated."""
    from govdocs.inputs import bundled_corpus

    run_index(paths or [bundled_corpus()], index_dir_of(index_dir), rebuild, jobs or os.cpu_count() or 1)


@app.command()
def search(
    query: Annotated[list[str] | None, typer.Argument(
        help='Words, "phrases", 文号, OR, -exclude, (groups); several words form one query.', show_default=False)] = None,
    kind: Annotated[list[str] | None, typer.Option(
        help="Only documents, appointments or chronicle entries (repeat for several).", show_default=False,
        **one_of(INDEXED_KINDS, {p: k for p, k in KIND_ALIASES.items() if k in INDEXED_KINDS}))] = None,
    issuer: Annotated[str | None, typer.Option(
        help="Only this issuer (any organ of a joint document); a short form such as 省政府办公厅 works.")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="Only this 文种, e.g. 通知.")] = None,
    year: Annotated[int | None, typer.Option(help="Only this year (of the date).")] = None,
    since: Annotated[str | None, typer.Option(
        help="Dated on or after: 2019, 2019-06 or 2019-06-10 (a range of days overlaps).")] = None,
    until: Annotated[str | None, typer.Option(help="Dated on or before.")] = None,
    number: Annotated[str | None, typer.Option(help="Only this 发文字号 (any printed variant).")] = None,
    status: Annotated[list[str] | None, typer.Option(
        help="Only documents with this status on --as-of (repeat for several; in_force = effective or no_change_known).",
        show_default=False, **STATUS_CHOICES)] = None,
    as_of: AsOfOption = None,
    level: Annotated[str | None, typer.Option(help="Only documents of this 效力级别.", show_default=False,
                                              **LEVEL_CHOICES)] = None,
    cites: Annotated[str | None, typer.Option(help="Only records that cite this 发文字号.")] = None,
    has_annex: Annotated[bool | None, typer.Option(
        "--has-annex/--no-annex", help="Only documents with (or without) annexes.", show_default=False)] = None,
    sort: Annotated[Sort, typer.Option(help="relevance, or date (newest first).")] = Sort.relevance,
    limit: Annotated[int, typer.Option(min=1, help="Hits to show.")] = 10,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits (the next page: --offset 10).")] = 0,
    facets: Annotated[bool, typer.Option(
        "--facets", help="Count hits per kind, issuer, 文种, year, issue, rubric, annex.")] = False,
    fmt: Annotated[SearchFormat, typer.Option(
        "--format", "-f", help="table for people; json, jsonl or csv for programs.")] = SearchFormat.table,
    show_query: Annotated[bool, typer.Option("--show-query", help="Show the parsed query and its jieba words.")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Search the index; the first search builds the bundled corpus's index if there is none."""
    from govdocs.allocator import keep_freed_memory
    from govdocs.index.query import QuerySyntaxError
    from govdocs.index.search import Filters, Searcher
    from govdocs.index.store import IndexProblem

    keep_freed_memory()
    folder = index_dir_of(index_dir)
    filters = Filters(kind=kind or None, doc_type=doc_type, year=str(year) if year else None,
                      since=date_bound(since, False), until=date_bound(until, True), number=number,
                      status=status or None, as_of=date_bound(as_of, False), level=level, cites=cites,
                      has_annex=has_annex)
    ensure_index(folder)
    try:
        with Searcher(folder) as searcher:
            if issuer:
                filters.issuer = searcher.resolve_issuer(issuer)
            results = searcher.search(" ".join(query or []), filters, sort=sort.value, limit=limit, offset=offset,
                                      facets=facets)
    except QuerySyntaxError as exc:
        fail([f"bad query: {exc}"])
    except IndexProblem as exc:
        fail([str(exc)])
    note_index(folder)
    if fmt is SearchFormat.csv:
        from govdocs.export.writers import hits_csv

        hits_csv(results.hits, sys.stdout)
        return
    if fmt is SearchFormat.table:
        from govdocs.views import print_facets, print_results

        if show_query:
            console().print(f"query: {results.query}", highlight=False)
            for typed, words in results.tokens:
                console().print(f"  {typed} → {' / '.join(words)}", highlight=False)
        print_results(console(), results)
        if facets:
            print_facets(console(), results.facets)
        return
    data = results.to_dict()
    if show_query:
        data["query"] = {"parsed": results.query, "tokens": [{"text": t, "words": w} for t, w in results.tokens]}
    if fmt is SearchFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for hit in data["hits"]:
            sys.stdout.write(json.dumps(hit, ensure_ascii=False) + "\n")
