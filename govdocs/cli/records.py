"""`govdocs export`, `schema` and `people`: batch export and the people register."""

import json
import os
import sys
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from govdocs.cli.common import (
    LEVEL_CHOICES,
    STATUS_CHOICES,
    AsOfOption,
    IndexOption,
    TableFormatOption,
    TableOrJson,
    app,
    collect_inputs,
    console,
    date_bound,
    ensure_index,
    fail,
    index_dir_of,
    note_index,
    one_of,
    write_failure,
)
from govdocs.vocab import EXPORT_KINDS, KIND_ALIASES, ExportKind, export_kind, plural

#: --kind of export: a kind of record, or all of them
EXPORT_CHOICES = one_of((*EXPORT_KINDS, "all"), KIND_ALIASES)


@app.command()
def people(
    name: Annotated[str | None, typer.Argument(help="A person's full name, e.g. 王予波.", show_default=False)] = None,
    post: Annotated[str | None, typer.Option(
        help="Who was appointed to, removed from or is a group member with this post, e.g. 副秘书长; "
             "with a name, only chronicle entries mentioning it.")] = None,
    since: Annotated[str | None, typer.Option(
        help="Records dated on or after: 2019, 2019-06 or 2019-06-10 (a notice's date; a chronicle entry's days).")] = None,
    until: Annotated[str | None, typer.Option(help="Records dated on or before.")] = None,
    fmt: TableFormatOption = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """A person's appointments, removals, retirements and places in leading groups, and chronicle entries naming them.

    Records are listed in date order."""
    from govdocs.index.people import register
    from govdocs.index.query import QuerySyntaxError
    from govdocs.index.store import IndexProblem

    if not (name or post):
        raise typer.BadParameter("name a person (govdocs people 王予波) or a post (--post 副秘书长)")
    first, last = date_bound(since, False), date_bound(until, True)
    folder = index_dir_of(index_dir)
    ensure_index(folder)
    try:
        found = register(folder, name, post, first, last)
    except IndexProblem as exc:
        fail([str(exc)])
    except QuerySyntaxError as exc:  # a name or post with no word in it ('.*')
        fail([f"{exc} — give a person's name or a post"])
    note_index(folder)
    if fmt is TableOrJson.json:
        sys.stdout.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_register

    print_register(console(), found)


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    opensearch = "opensearch"


@app.command()
def export(
    out: Annotated[str, typer.Option("--out", "-o", help="Output file, - for stdout, or a folder with --kind all.",
                                     show_default=False)],
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Gazette files or folders.", show_default="every file the index holds", readable=False)] = None,
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="json (one array), jsonl, csv (documents: scalar fields and counts), or opensearch "
             "(bulk-API NDJSON of the index's records, and its index template beside it: docs/scaling.md).",
    )] = ExportFormat.jsonl,
    kind: Annotated[str, typer.Option(help="Which records; all writes one file per kind into --out.",
                                      **EXPORT_CHOICES)] = "document",
    since: Annotated[str | None, typer.Option(help="Records dated on or after: 2019, 2019-06 or 2019-06-10.")] = None,
    until: Annotated[str | None, typer.Option(help="Records dated on or before.")] = None,
    issuer: Annotated[str | None, typer.Option(help="Only records of this issuer's documents.")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="Only records of documents of this 文种.")] = None,
    status: Annotated[list[str] | None, typer.Option(
        help="Only documents with this status on --as-of (repeat for several; see `govdocs refs`).", show_default=False,
        **STATUS_CHOICES)] = None,
    as_of: AsOfOption = None,
    level: Annotated[str | None, typer.Option(help="Only documents of this 效力级别, e.g. 规范性文件.", show_default=False,
                                              **LEVEL_CHOICES)] = None,
    fields: Annotated[str | None, typer.Option(help="Only these top-level fields, e.g. id,doc_number,title.")] = None,
    no_body: Annotated[bool, typer.Option(
        "--no-body", help="Leave out documents' running text (body, sections, annex text).")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Export records as JSON, JSON Lines, CSV or OpenSearch bulk NDJSON, with provenance; streams file by file."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from govdocs.export import run
    from govdocs.export.schema import columns
    from govdocs.export.writers import EXTENSIONS, make_writer
    from govdocs.index.store import IndexProblem

    kinds = list(EXPORT_KINDS) if kind == "all" else [export_kind(kind)]
    if fmt is ExportFormat.opensearch:
        _refuse_with_opensearch(kinds, fields, no_body, status, level)
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    if wanted:
        from govdocs.export.schema import json_schema

        valid = set().union(*(json_schema(k)["properties"] for k in kinds)) | {c for k in kinds for c in columns(k)}
        if unknown := [f for f in wanted if f not in valid]:
            raise typer.BadParameter(f"unknown field(s) {', '.join(unknown)} — choose from {', '.join(sorted(valid))}",
                                     param_hint="--fields")
    from govdocs.vocab import RENAMED

    statuses = {x for s in status or [] for x in RENAMED.get(s, (s,))} or None
    options = run.Options(kinds, date_bound(since, False), date_bound(until, True), issuer, doc_type, wanted, no_body,
                          statuses, date_bound(as_of, False), level)
    problems: list[str] = []
    with Progress(TextColumn("exporting"), BarColumn(), DownloadColumn(), console=console(True), transient=True,
                  disable=not console(True).is_terminal) as bar:
        task = bar.add_task("export", total=None)
        advance = lambda size: bar.advance(task, size)  # noqa: E731
        if paths:
            inputs = collect_inputs(paths)
            fail(inputs.problems)
            files, problems = inputs.files, list(inputs.unreadable.values())  # reported at the end
            bar.update(task, total=2 * sum(p.stat().st_size for p in files))
            catalog, sources = run.from_files(files, problems, advance,
                                              with_references=fmt is ExportFormat.opensearch)
        else:
            folder = index_dir_of(index_dir)
            ensure_index(folder)
            try:
                catalog, indexed, sources = run.from_index(folder, problems, advance)
            except IndexProblem as exc:
                fail([str(exc)])
            bar.update(task, total=sum(p.stat().st_size for p in indexed if p.is_file()))
        inputs = {p.resolve() for p in (files if paths else indexed)}
        try:
            if fmt is ExportFormat.opensearch:
                report = _opensearch(out, kinds, kind == "all", inputs, sources, catalog if paths else folder, options)
            else:
                with _outputs(out, kinds, fmt.value, kind == "all", EXTENSIONS, inputs) as streams:
                    writers = {k: make_writer(fmt.value, stream, (wanted or columns(k)) if fmt is ExportFormat.csv
                                              else None) for k, stream in streams.items()}
                    report = run.export(sources, catalog, options, writers)
        except OSError as exc:  # a full disk, a file size limit: the previous export is kept
            cause, remedy = write_failure(exc)
            fail([f"could not write {out}: {cause} — {remedy} and export again (any earlier export there is "
                  "unchanged)"])
    counts = ", ".join(f"{n} {plural(k)}" for k, n in report.counts.items())
    console(True).print(f"exported {counts} from {report.files} files", highlight=False)
    fail(problems)


@contextmanager
def _outputs(out: str, kinds: list[ExportKind], fmt: str, to_folder: bool, extensions: dict, inputs: set[Path]):
    """One stream per kind: stdout, the file named, or kinds.ext files in the folder named
    (documents.jsonl, appointments.jsonl, chronicle.jsonl, references.jsonl, toc.jsonl).

    Each file is written under a temporary name in its own folder and renamed over the final
    name only once complete: a killed export, a full disk or a refused write leaves the previous
    export whole and no cut file. A file the export reads is never a target."""
    if to_folder:
        if out == "-":
            raise typer.BadParameter("--kind all writes one file per kind: give a folder", param_hint="--out")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise typer.BadParameter(f"{out} is a file — --kind all needs a folder", param_hint="--out")
        folder.mkdir(parents=True, exist_ok=True)
        targets = {k: folder / f"{plural(k)}.{extensions[fmt]}" for k in kinds}
    elif out == "-":
        yield {kinds[0]: sys.stdout}
        return
    else:
        if Path(out).is_dir():
            raise typer.BadParameter(f"{out} is a folder — name a file, or use --kind all", param_hint="--out")
        if not Path(out).parent.is_dir():
            raise typer.BadParameter(f"{Path(out).parent} does not exist — create the folder first", param_hint="--out")
        targets = {kinds[0]: Path(out)}
    with _atomic(targets, inputs) as streams:
        yield streams


@contextmanager
def _atomic(targets: dict, inputs: set[Path]):
    """A stream per target, each written under a temporary name in the target's folder and
    renamed over it only once all are complete. A file the export reads is never a target."""
    if clash := [t for t in targets.values() if t.resolve() in inputs]:
        raise typer.BadParameter(f"{clash[0]} is one of the files exported — write to another file", param_hint="--out")
    temps = {k: t.with_name(f".{t.name}.{os.getpid()}.tmp") for k, t in targets.items()}
    streams: dict = {}
    try:
        for k in targets:
            streams[k] = open(temps[k], "w", encoding="utf-8", newline="")
        yield streams
        for k, stream in streams.items():
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            os.replace(temps[k], targets[k])
    finally:
        for k in targets:
            if k in streams:
                with suppress(OSError):  # its buffer cannot be written either (a full disk, a size limit)
                    streams[k].close()
            temps[k].unlink(missing_ok=True)


#: the kinds of record the index holds, which `--format opensearch` exports
INDEX_KINDS = ("document", "appointment", "chronicle")


def _refuse_with_opensearch(kinds: list[ExportKind], fields: str | None, no_body: bool, status, level) -> None:
    """What `--format opensearch` cannot do: it writes the index's records whole."""
    if other := [k for k in kinds if k not in INDEX_KINDS] if len(kinds) == 1 else []:
        raise typer.BadParameter(f"--format opensearch writes the index's records (documents, appointments, chronicle "
                                 f"entries), not {plural(other[0])} — use --kind all or one of those", param_hint="--kind")
    for given, name in ((fields, "--fields"), (no_body, "--no-body"), (status, "--status"), (level, "--level")):
        if given:
            raise typer.BadParameter("--format opensearch writes whole records of every status and level — leave it "
                                     "out, or filter in the cluster", param_hint=name)


def _opensearch(out: str, kinds: list[ExportKind], to_folder: bool, inputs: set[Path], sources, changes_from,
                options):
    """Bulk NDJSON to OUT (or FOLDER/govdocs.ndjson) and the index template beside it
    (OUT's name with .template.json, or FOLDER/govdocs.template.json); stdout gets the bulk only."""
    from govdocs.export import opensearch
    from govdocs.relations.catalog import Catalog

    if isinstance(changes_from, Catalog):  # files named: their catalog, with its citations
        changes = opensearch.change_dates_of(changes_from)
    else:  # the index's catalog, resolved
        from govdocs.index import catalog_store
        from govdocs.relations.status import change_dates

        changes = change_dates(catalog_store.load(changes_from))
    wanted = tuple(k for k in kinds if k in INDEX_KINDS)
    if out == "-":
        return opensearch.export(sources, changes, opensearch.BulkWriter(sys.stdout), wanted, options.keep)
    if to_folder or Path(out).is_dir():
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise typer.BadParameter(f"{out} is a file — --kind all needs a folder", param_hint="--out")
        folder.mkdir(parents=True, exist_ok=True)
        bulk, tmpl = folder / f"{opensearch.INDEX}.ndjson", folder / f"{opensearch.INDEX}.template.json"
    else:
        bulk = Path(out)
        if not bulk.parent.is_dir():
            raise typer.BadParameter(f"{bulk.parent} does not exist — create the folder first", param_hint="--out")
        tmpl = bulk.with_name(f"{bulk.stem if bulk.suffix else bulk.name}.template.json")
    with _atomic({"bulk": bulk, "template": tmpl}, inputs) as streams:
        streams["template"].write(json.dumps(opensearch.template(), ensure_ascii=False, indent=2) + "\n")
        return opensearch.export(sources, changes, opensearch.BulkWriter(streams["bulk"]), wanted, options.keep)


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="Which records' schema.", show_default=False,
                                               **one_of(EXPORT_KINDS, KIND_ALIASES))]) -> None:
    """Print the JSON Schema (draft 2020-12) of one kind of export record."""
    from govdocs.export.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n")
