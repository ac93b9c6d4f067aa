"""`govdocs serve`: a local web page over an index (`app.create_app`), with a JSON API.

Starlette for routing, Jinja2 (autoescaping) for server-rendered pages that work without
JavaScript, uvicorn to serve them; nothing is loaded from the internet.
"""

from govdocs.web.app import create_app

__all__ = ["create_app"]
