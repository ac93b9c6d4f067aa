"""The `govdocs` command: a thin layer over the library API.

Machine output (json, jsonl) goes to stdout as plain JSON; Rich tables go to stdout and
messages and progress bars to stderr. Exit codes: 0 ok, 1 failure, 2 usage.
Heavy modules (the parser, Whoosh) are imported inside the commands that need them, so a
search does not pay for the parser.
"""

from __future__ import annotations

import json
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

from functools import cache

import typer

from govdocs import __version__

app = typer.Typer(
    help="Parse, index and search Chinese government gazettes (政报).",
    no_args_is_help=True,
    add_completion=False,
)


@cache
def console(stderr: bool = False):
    """Rich consoles, created on first use (JSON output never imports Rich's console)."""
    from rich.console import Console

    return Console(stderr=stderr)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Kind(str, Enum):
    document = "document"
    appointment = "appointment"
    chronicle = "chronicle"


class Status(str, Enum):
    in_force = "in_force"
    amended = "amended"
    repealed = "repealed"
    unknown = "unknown"


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


class Sort(str, Enum):
    relevance = "relevance"
    date = "date"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people; json or jsonl for programs.")]
IndexOption = Annotated[Optional[Path], typer.Option(
    "--index", help="Index folder [default: $GOVDOCS_INDEX or ~/.local/share/govdocs/index].", show_default=False)]


def _version(value: bool) -> None:
    if value:
        print(f"govdocs {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """govdocs: parse, search and check 政报 issues."""


def fail(problems: list[str]) -> None:
    for problem in problems:
        console(True).print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files named, and the files inside folders named (sorted); plus one-line problems."""
    files, problems = [], []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not inside:
                problems.append(f"{path}: folder has no files — name gazette text files or folders that hold them")
            files.extend(inside)
        elif path.exists():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder — check the path")
    return files, problems


def parsed_files(files: list[Path], problems: list[str]):
    """Parse each file, with a progress bar on stderr for long batches; unreadable files become
    one-line problems and the batch goes on."""
    from rich.progress import track

    from govdocs.parse import DecodeError, parse_file

    show_progress = console(True).is_terminal and len(files) > 10
    for path in track(files, description="parsing", console=console(True), transient=True, disable=not show_progress):
        try:
            yield parse_file(path)
        except DecodeError as exc:
            problems.append(f"{path}: {exc} — pass UTF-8, GB18030 or UTF-16 text files")


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Gazette text files or folders of them.", show_default=False)],
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


def _index_dir(option: Path | None) -> Path:
    from govdocs.index.store import default_index_dir

    return option or default_index_dir()


def run_index(paths: list[Path], index_dir: Path, rebuild: bool, jobs: int, summary_to_stderr: bool = False) -> None:
    """Index `paths` with a progress bar on stderr; a summary on stdout (stderr when asked)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from govdocs.index.indexer import update_index
    from govdocs.index.store import IndexProblem

    files, problems = collect_files(paths)
    fail(problems)
    with Progress(TextColumn("indexing"), BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=console(True),
                  transient=True, disable=not console(True).is_terminal) as bar:
        task = bar.add_task("indexing", total=None)
        try:
            report = update_index(files, paths, index_dir, rebuild=rebuild, jobs=jobs,
                                  planned=lambda total: bar.update(task, total=total),
                                  progress=lambda _path, size: bar.advance(task, size))
        except IndexProblem as exc:
            fail([str(exc)])
    console(summary_to_stderr).print(f"index {report.index_dir}: {len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.removed)} removed, {report.unchanged} unchanged · {report.records} records "
              f"from {report.bytes / 1e6:.2f} MB", highlight=False, soft_wrap=True)
    fail([f"{path}: {problem} — pass UTF-8, GB18030 or UTF-16 text files" for path, problem in report.failed])


@app.command()
def index(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Gazette text files or folders [default: the bundled corpus].", show_default=False)] = None,
    index_dir: IndexOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-index every file from scratch.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes [default: CPU count].",
                                                show_default=False)] = None,
) -> None:
    """Add files to the search index; unchanged files are skipped, changed and removed ones updated."""
    from govdocs.index.store import bundled_corpus

    run_index(paths or [bundled_corpus()], _index_dir(index_dir), rebuild, jobs or os.cpu_count() or 1)


def _ensure_index(folder: Path) -> None:
    """A fresh machine's first search (or refs) builds the bundled corpus's index."""
    from govdocs.index.store import bundled_corpus, index_exists

    if not index_exists(folder):
        console(True).print(f"no index at {folder} yet: indexing the bundled corpus first", highlight=False)
        run_index([bundled_corpus()], folder, False, os.cpu_count() or 1, summary_to_stderr=True)


_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_bound(value: str | None, end: bool) -> str | None:
    """2019 → 2019-01-01 (or 2019-12-31 for an end); 2019-06 → 2019-06-01 / 2019-06-31."""
    if value is None:
        return None
    if not _DAY.match(value):
        raise typer.BadParameter(f"{value!r} is not a date — write 2019, 2019-06 or 2019-06-10")
    parts = value.split("-")
    parts += (["12", "31"] if end else ["01", "01"])[len(parts) - 1:]
    if len(value) == 7 and end:
        parts[2] = "31"  # ISO strings compare as text: -31 closes any month
    return "-".join(parts)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", 文号, OR, -exclude, (groups).', show_default=False)] = "",
    kind: Annotated[Optional[Kind], typer.Option(help="Only documents, appointments or chronicle entries.")] = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only this issuer, e.g. 青海省人民政府办公厅.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only this 文种, e.g. 通知.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Only this year (of the date).")] = None,
    since: Annotated[Optional[str], typer.Option(help="On or after this date: 2019, 2019-06 or 2019-06-10.")] = None,
    until: Annotated[Optional[str], typer.Option(help="On or before this date.")] = None,
    number: Annotated[Optional[str], typer.Option(help="Only this 发文字号 (any printed variant).")] = None,
    status: Annotated[Optional[Status], typer.Option(help="Only documents with this status (from the corpus's repeals and amendments).")] = None,
    cites: Annotated[Optional[str], typer.Option(help="Only records that cite this 发文字号.")] = None,
    sort: Annotated[Sort, typer.Option(help="relevance, or date (newest first).")] = Sort.relevance,
    limit: Annotated[int, typer.Option(min=1, help="Hits to show.")] = 10,
    facets: Annotated[bool, typer.Option("--facets", help="Count hits per kind, issuer, 文种, year, issue, rubric, annex.")] = False,
    fmt: FormatOption = Format.table,
    show_query: Annotated[bool, typer.Option("--show-query", help="Show the parsed query and its jieba words.")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Search the index; the first search builds the bundled corpus's index if there is none."""
    from govdocs.index.query import QuerySyntaxError
    from govdocs.index.search import Filters, Searcher
    from govdocs.index.store import IndexProblem

    folder = _index_dir(index_dir)
    filters = Filters(kind=kind.value if kind else None, issuer=issuer, doc_type=doc_type,
                      year=str(year) if year else None, since=_date_bound(since, False),
                      until=_date_bound(until, True), number=number, status=status.value if status else None,
                      cites=cites)
    _ensure_index(folder)
    try:
        with Searcher(folder) as searcher:
            results = searcher.search(query, filters, sort=sort.value, limit=limit, facets=facets)
    except QuerySyntaxError as exc:
        fail([f"bad query: {exc}"])
    except IndexProblem as exc:
        fail([str(exc)])
    if fmt is Format.table:
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
    if fmt is Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for hit in data["hits"]:
            sys.stdout.write(json.dumps(hit, ensure_ascii=False) + "\n")


@app.command()
def refs(
    wanted: Annotated[str, typer.Argument(metavar="NUMBER|ID", help="A 发文字号 (any printed variant) or a document id.",
                                          show_default=False)],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Status on this day: 2019-07-01 (default: today's corpus).")] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")] = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """What a document cites, what cites, amends or repeals it, and its status with the evidence."""
    from govdocs.index import catalog_store
    from govdocs.relations.refs import NotFound, refs as find_refs

    day = _date_bound(as_of, True) if as_of else None
    folder = _index_dir(index_dir)
    _ensure_index(folder)
    try:
        found = find_refs(catalog_store.load(folder), wanted, day)
    except NotFound:
        fail([f"{wanted}: no document in the index has this number or id, and nothing cites it — "
              "check the number, or index the files that hold it with `govdocs index PATH`"])
    if fmt is TableOrJson.json:
        payload = {"query": wanted, "as_of": day, "documents": [r.to_dict() for r in found]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_refs

    print_refs(console(), found)


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Gazette text files or folders [default: the bundled corpus].", show_default=False)] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")] = TableOrJson.table,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any finding is an error.")] = False,
) -> None:
    """The editors' report: citations, repeals, duplicate numbers, TOC, chronicle, number series."""
    from govdocs.index.store import bundled_corpus
    from govdocs.relations.catalog import Catalog
    from govdocs.relations.check import SEVERITIES, check as run_check
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

        print_findings(console(), findings)
    fail(problems)
    if strict and counts["error"]:
        console(True).print(f"[red]{counts['error']} error(s)[/red] — fix them or run without --strict", highlight=False)
        raise typer.Exit(1)


@app.command()
def people(
    name: Annotated[Optional[str], typer.Argument(help="A person's full name, e.g. 王予波.", show_default=False)] = None,
    post: Annotated[Optional[str], typer.Option(help="Who was appointed to or removed from this post, e.g. 副秘书长.")] = None,
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people; json for programs.")] = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """A person's appointments, removals and retirements in date order, and the chronicle entries naming them."""
    from govdocs.index.people import register
    from govdocs.index.store import IndexProblem

    if not (name or post):
        raise typer.BadParameter("name a person (govdocs people 王予波) or a post (--post 副秘书长)")
    folder = _index_dir(index_dir)
    _ensure_index(folder)
    try:
        found = register(folder, name, post)
    except IndexProblem as exc:
        fail([str(exc)])
    if fmt is TableOrJson.json:
        sys.stdout.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_register

    print_register(console(), found)


class ExportKind(str, Enum):
    documents = "documents"
    appointments = "appointments"
    chronicle = "chronicle"
    references = "references"
    toc = "toc"
    all = "all"


class SchemaKind(str, Enum):
    documents = "documents"
    appointments = "appointments"
    chronicle = "chronicle"
    references = "references"
    toc = "toc"


@app.command()
def export(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Gazette files or folders [default: every file the index holds].", show_default=False)] = None,
    out: Annotated[str, typer.Option("--out", "-o", help="Output file, - for stdout, or a folder with --kind all.",
                                     show_default=False)] = ...,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="json (one array), jsonl, or csv (flat kinds).")] = ExportFormat.jsonl,
    kind: Annotated[ExportKind, typer.Option(help="Which records; all writes one file per kind into --out.")] = ExportKind.documents,
    since: Annotated[Optional[str], typer.Option(help="Records dated on or after: 2019, 2019-06 or 2019-06-10.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Records dated on or before.")] = None,
    issuer: Annotated[Optional[str], typer.Option(help="Only records of this issuer's documents.")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="Only records of documents of this 文种.")] = None,
    fields: Annotated[Optional[str], typer.Option(help="Only these top-level fields, e.g. id,doc_number,title.")] = None,
    no_body: Annotated[bool, typer.Option("--no-body", help="Leave out documents' running text (body, sections, annex text).")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Export records as JSON, JSON Lines or CSV, with provenance; streams file by file."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from govdocs.export import run
    from govdocs.export.records import FLAT_KINDS, KINDS
    from govdocs.export.schema import columns
    from govdocs.export.writers import EXTENSIONS, make_writer
    from govdocs.index.store import IndexProblem

    kinds = list(KINDS) if kind is ExportKind.all else [kind.value]
    if fmt is ExportFormat.csv and "documents" in kinds:
        raise typer.BadParameter("documents are nested records — export them as json or jsonl, or pick a flat "
                                 f"--kind ({', '.join(FLAT_KINDS)})", param_hint="--format")
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    if wanted:
        from govdocs.export.schema import json_schema

        valid = set().union(*(json_schema(k)["properties"] for k in kinds)) | {c for k in kinds if k in FLAT_KINDS for c in columns(k)}
        if unknown := [f for f in wanted if f not in valid]:
            raise typer.BadParameter(f"unknown field(s) {', '.join(unknown)} — choose from {', '.join(sorted(valid))}",
                                     param_hint="--fields")
    options = run.Options(kinds, _date_bound(since, False), _date_bound(until, True), issuer, doc_type, wanted, no_body)
    problems: list[str] = []
    with Progress(TextColumn("exporting"), BarColumn(), DownloadColumn(), console=console(True), transient=True,
                  disable=not console(True).is_terminal) as bar:
        task = bar.add_task("export", total=None)
        advance = lambda size: bar.advance(task, size)  # noqa: E731
        if paths:
            files, problems = collect_files(paths)
            fail(problems)
            bar.update(task, total=2 * sum(p.stat().st_size for p in files))
            catalog, sources = run.from_files(files, problems, advance)
        else:
            folder = _index_dir(index_dir)
            _ensure_index(folder)
            try:
                catalog, indexed, sources = run.from_index(folder, problems, advance)
            except IndexProblem as exc:
                fail([str(exc)])
            bar.update(task, total=sum(p.stat().st_size for p in indexed if p.is_file()))
        streams, writers = _open_outputs(out, kinds, fmt.value, kind is ExportKind.all, EXTENSIONS)
        try:
            for k, stream in streams.items():
                writers[k] = make_writer(fmt.value, stream, (wanted or columns(k)) if fmt is ExportFormat.csv else None)
            report = run.export(sources, catalog, options, writers)
        finally:
            for stream in streams.values():
                if stream is not sys.stdout:
                    stream.close()
    counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
    console(True).print(f"exported {counts} from {report.files} files", highlight=False)
    fail(problems)


def _open_outputs(out: str, kinds: list[str], fmt: str, to_folder: bool, extensions: dict) -> tuple[dict, dict]:
    """One stream per kind: stdout, the file named, or kind.ext files in the folder named."""
    if to_folder:
        if out == "-":
            raise typer.BadParameter("--kind all writes one file per kind: give a folder", param_hint="--out")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise typer.BadParameter(f"{out} is a file — --kind all needs a folder", param_hint="--out")
        folder.mkdir(parents=True, exist_ok=True)
        return {k: open(folder / f"{k}.{extensions[fmt]}", "w", encoding="utf-8", newline="") for k in kinds}, {}
    if out == "-":
        return {kinds[0]: sys.stdout}, {}
    if Path(out).is_dir():
        raise typer.BadParameter(f"{out} is a folder — name a file, or use --kind all", param_hint="--out")
    return {kinds[0]: open(out, "w", encoding="utf-8", newline="")}, {}


@app.command()
def schema(kind: Annotated[SchemaKind, typer.Argument(help="Which records' schema.")]) -> None:
    """Print the JSON Schema (draft 2020-12) of one kind of export record."""
    from govdocs.export.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(kind.value), ensure_ascii=False, indent=2) + "\n")


def run() -> None:
    app()
