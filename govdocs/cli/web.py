"""`govdocs serve` (the web page) and `govdocs show` (one document's record)."""

import json
import sys
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
    console,
    date_bound,
    ensure_index,
    fail,
    index_dir_of,
)


@app.command()
def show(
    wanted: WantedArgument,
    as_of: AsOfOption = None,
    fmt: TableFormatOption = TableOrJson.table,
    index_dir: IndexOption = None,
) -> None:
    """One document's record as `export` writes it, with its status, what cites it and its source's state."""
    day = date_bound(as_of, True) if as_of else None
    views = ask_index(index_dir, lambda corpus: corpus.document(wanted, day),
                      f"{wanted}: no document in the index has this id or number — try `govdocs refs {wanted}` or "
                      "`govdocs search`")
    if fmt is TableOrJson.json:
        payload = [v.to_dict() for v in views]
        sys.stdout.write(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2) + "\n")
        return
    from govdocs.views import print_document

    for view in views:
        print_document(console(), view)


@app.command()
def serve(
    index_dir: IndexOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (another than 127.0.0.1 opens the page "
                                                     "to the network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """A local web page over the index: search with facets, documents, refs, people, chronicle, check, JSON API."""
    import uvicorn

    from govdocs.allocator import keep_freed_memory
    from govdocs.service import IndexProblem
    from govdocs.web import create_app

    keep_freed_memory()  # before the server's threads: each search reuses what the last one freed
    folder = index_dir_of(index_dir)
    ensure_index(folder)
    try:
        web_app = create_app(folder)
    except IndexProblem as exc:
        fail([str(exc)])
    console(True).print(f"govdocs: serving {folder} at http://{host}:{port}/ — Ctrl-C stops", highlight=False,
                        soft_wrap=True)
    try:
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
    except OSError as exc:
        fail([f"cannot listen on {host}:{port}: {exc.strerror or exc} — choose another --port"])
