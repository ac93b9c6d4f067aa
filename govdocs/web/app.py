"""The routes of `govdocs serve`: server-rendered pages and a JSON API over one `Corpus`.

Every page is a GET whose state is in its URL (bookmarkable, citable); the API under `/api/`
returns what the CLI's `--format json` prints. Templates autoescape, so a document's text is
always shown as text. Errors: a bad query or parameter → 400 with its one line, an unknown id
→ 404, anything else → 500 and a log line (never a traceback on the page).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from govdocs.index.query import QuerySyntaxError
from govdocs.index.search import Filters
from govdocs.index.store import IndexProblem
from govdocs.relations.on_day import STATUSES
from govdocs.relations.refs import NotFound
from govdocs.service import Corpus
from govdocs.vocab import LEVELS
from govdocs.web import render

log = logging.getLogger("govdocs.web")
HERE = Path(__file__).resolve().parent
#: bounds on what a request may ask
MAX_QUERY = 2000
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
#: facets a search page shows, in order, with their labels
FACETS = {"kind": "Kind", "issuer": "Issuer", "doc_type": "文种", "level": "效力级别", "status": "Status",
          "year": "Year", "gazette": "Gazette issue", "rubric": "Rubric", "has_annex": "Has annex"}
#: facets a search may filter by several values of at once (a record of any of them)
MULTI = ("kind", "status")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


class BadRequest(Exception):
    """A parameter a page cannot use; the message is shown on the page (400)."""


def _day(value: str | None, name: str) -> str | None:
    import datetime

    if not value:
        return None
    try:
        if _DAY.fullmatch(value):
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise BadRequest(f"{name} {value!r} is not a date — write it like 2019-07-01")


def search_request(params) -> dict[str, Any]:
    """The search a URL's parameters ask for: text, `Filters` and options (a `BadRequest` for
    a parameter that cannot be used)."""
    text = params.get("q", "")
    if len(text) > MAX_QUERY:
        raise BadRequest(f"the query is {len(text)} characters long — keep it under {MAX_QUERY}")
    filters = Filters()
    for name in MULTI:
        values = [v for v in params.getlist(name) if v]
        if values:
            setattr(filters, name, values)
    unknown = set(filters.statuses()) - set(STATUSES) if filters.status else set()
    if unknown:
        raise BadRequest(f"unknown status {sorted(unknown)[0]!r} — use one of {', '.join(STATUSES)}")
    for name in ("issuer", "doc_type", "year", "gazette", "rubric", "level"):
        if value := params.get(name):
            setattr(filters, name, value)
    if filters.level and filters.level not in LEVELS:
        raise BadRequest(f"unknown 效力级别 {filters.level!r} — use one of {', '.join(LEVELS)}")
    if (annex := params.get("has_annex")) in ("true", "false"):
        filters.has_annex = annex == "true"
    filters.since, filters.until = _day(params.get("since"), "since"), _day(params.get("until"), "until")
    filters.as_of = _day(params.get("as_of"), "as of")
    sort = params.get("sort", "relevance")
    if sort not in ("relevance", "date"):
        raise BadRequest(f"sort {sort!r} — use relevance or date")
    try:
        page = max(1, int(params.get("page", 1)))
        size = min(MAX_PAGE_SIZE, max(1, int(params.get("size", PAGE_SIZE))))
    except ValueError:
        raise BadRequest("page and size are whole numbers") from None
    return {"text": text, "filters": filters, "sort": sort, "page": page, "size": size}


def create_app(index_dir: str | Path) -> Starlette:
    """The web application over the index at `index_dir` (checked now: an `IndexProblem` says
    what is wrong with it)."""
    corpus = Corpus(index_dir)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                            trim_blocks=True, lstrip_blocks=True)
    templates.globals.update(render.GLOBALS)
    templates.filters.update(render.FILTERS)

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(request=request, index_dir=corpus.index_dir, **context)
        return HTMLResponse(html, status_code=status_code)

    def error_page(request: Request, status_code: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status_code)
        return page(request, "error.html", status_code, code=status_code, message=message)

    async def on_bad_request(request: Request, exc: Exception) -> Response:
        return error_page(request, 400, str(exc))

    async def on_not_found(request: Request, exc: Exception) -> Response:
        wanted = exc.args[0] if exc.args else request.url.path
        return error_page(request, 404, f"{wanted}: not in the index")

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_page(request, exc.status_code, exc.detail)

    async def on_index_problem(request: Request, exc: Exception) -> Response:
        return error_page(request, 503, str(exc))

    async def on_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return error_page(request, 500, "internal error — the server's log says more")

    # -- search -------------------------------------------------------------------------------

    def run_search(request: Request) -> tuple[dict[str, Any], Any]:
        wanted = search_request(request.query_params)
        if wanted["filters"].issuer:  # a short form (省政府办公厅) as the CLI takes it
            try:
                wanted["filters"].issuer = corpus.searcher().resolve_issuer(wanted["filters"].issuer)
            except IndexProblem as exc:
                raise BadRequest(str(exc)) from None
        try:
            results = corpus.search(wanted["text"], wanted["filters"], sort=wanted["sort"], limit=wanted["size"],
                                    offset=(wanted["page"] - 1) * wanted["size"], facets=True)
        except QuerySyntaxError as exc:
            raise BadRequest(f"bad query: {exc}") from None
        return wanted, results

    def search_page(request: Request) -> Response:
        if not request.query_params:
            return page(request, "search.html", wanted=None, results=None, facets=FACETS)
        try:
            wanted, results = run_search(request)
        except BadRequest as exc:
            return page(request, "search.html", 400, wanted=None, results=None, facets=FACETS, error=str(exc),
                        q=request.query_params.get("q", ""))
        return page(request, "search.html", wanted=wanted, results=results, facets=FACETS,
                    q=wanted["text"], params=request.query_params, multi=MULTI,
                    pages=render.pages(wanted["page"], wanted["size"], results.total))

    def search_api(request: Request) -> Response:
        _wanted, results = run_search(request)
        return JSONResponse(results.to_dict())

    def search_download(request: Request) -> Response:
        import io
        import json

        fmt = request.path_params["fmt"]
        if fmt not in ("csv", "jsonl"):
            raise HTTPException(404, f"/search.{fmt}: a page downloads as .csv or .jsonl")
        _wanted, results = run_search(request)
        if fmt == "csv":
            from govdocs.export.writers import hits_csv

            out = io.StringIO()
            hits_csv(results.hits, out)
            body, media = out.getvalue(), "text/csv; charset=utf-8"
        else:
            body = "".join(json.dumps(h.to_dict(), ensure_ascii=False) + "\n" for h in results.hits)
            media = "application/x-ndjson; charset=utf-8"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="govdocs-search.{fmt}"'})

    # -- documents, sources, refs -------------------------------------------------------------

    def document_page(request: Request) -> Response:
        views = corpus.document(request.path_params["id"], _day(request.query_params.get("as_of"), "as of"))
        if len(views) > 1:  # a number several documents hold: choose one
            return page(request, "choose.html", wanted=request.path_params["id"], views=views)
        view = views[0]
        catalog, _files = corpus.catalog()
        return page(request, "document.html", view=view, doc=view.record, held=view.refs,
                    links=render.citation_links(view.refs.cites, catalog))

    def document_api(request: Request) -> Response:
        views = corpus.document(request.path_params["id"], _day(request.query_params.get("as_of"), "as of"))
        payload = [v.to_dict() for v in views]  # as `govdocs show --format json`: a list when several
        return JSONResponse(payload[0] if len(payload) == 1 else payload)

    def source_page(request: Request) -> Response:
        path = request.query_params.get("path", "")
        view = corpus.source(path, request.query_params.get("doc"))
        try:
            line = int(request.query_params.get("line", 0))
        except ValueError:
            raise BadRequest("line is a whole number") from None
        return page(request, "source.html", view=view, line=line, doc_id=request.query_params.get("doc"))

    def refs_page(request: Request) -> Response:
        wanted = request.path_params["number"]
        as_of = _day(request.query_params.get("as_of"), "as of")
        found = corpus.refs(wanted, as_of)
        catalog, _files = corpus.catalog()
        return page(request, "refs.html", wanted=wanted, found=found,
                    links=[render.citation_links(r.cites, catalog) for r in found])

    def refs_api(request: Request) -> Response:
        wanted = request.path_params["number"]
        as_of = _day(request.query_params.get("as_of"), "as of")
        found = corpus.refs(wanted, as_of)
        return JSONResponse({"query": wanted, "as_of": as_of, "documents": [r.to_dict() for r in found]})

    # -- people, chronicle, check -------------------------------------------------------------

    def people_request(request: Request) -> dict[str, Any]:
        params = request.query_params
        return {"name": params.get("name") or None, "post": params.get("post") or None,
                "since": _day(params.get("since"), "since"), "until": _day(params.get("until"), "until")}

    def register_of(wanted: dict[str, Any]):
        try:
            return corpus.people(**wanted)
        except QuerySyntaxError as exc:  # a name or post with no word in it
            raise BadRequest(f"{exc} — give a person's name or a post") from None

    def people_page(request: Request) -> Response:
        wanted = people_request(request)
        register = register_of(wanted) if wanted["name"] or wanted["post"] else None
        return page(request, "people.html", wanted=wanted, register=register,
                    names=sorted(corpus.people_names()) if register is None else [])

    def people_api(request: Request) -> Response:
        wanted = people_request(request)
        if not (wanted["name"] or wanted["post"]):
            raise BadRequest("give a name or a post: /api/people?name=刘宁 or ?post=副省长")
        return JSONResponse(register_of(wanted).to_dict())

    def chronicle_page(request: Request) -> Response:
        months = corpus.months()
        month = request.query_params.get("month") or (months[-1] if months else None)
        if month and not (_MONTH.fullmatch(month) and 1 <= int(month[5:]) <= 12):
            raise BadRequest(f"month {month!r} — write it like 2019-07")
        entries = corpus.chronicle(month) if month else None
        names = corpus.people_names()
        return page(request, "chronicle.html", months=months, month=month, entries=entries,
                    linked=render.linked_entry, names=names)

    def check_page(request: Request) -> Response:
        return page(request, "check.html", report=corpus.check())

    routes = [
        Route("/", search_page),
        Route("/search", search_page),
        Route("/search.{fmt:str}", search_download),
        Route("/doc/{id:str}", document_page),
        Route("/source", source_page),
        Route("/refs/{number:str}", refs_page),
        Route("/people", people_page),
        Route("/chronicle", chronicle_page),
        Route("/check", check_page),
        Route("/api/search", search_api),
        Route("/api/doc/{id:str}", document_api),
        Route("/api/refs/{number:str}", refs_api),
        Route("/api/people", people_api),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers = {BadRequest: on_bad_request, NotFound: on_not_found, HTTPException: on_http,
                IndexProblem: on_index_problem, Exception: on_error}
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.corpus = corpus
    return app
