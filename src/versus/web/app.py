"""`versus serve`: comparison pages (page_routes.py) and a JSON API (api_routes.py) over the catalog,
following rebuilds as they land, with every page answered from one cache."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from versus.services import open_services
from versus.services.errors import NotFound, ServiceError
from versus.web.api_routes import add_api
from versus.web.catalog_pages import not_found_context
from versus.web.feature_routes import add_feature_pages
from versus.web.live import LiveCatalog
from versus.web.page_routes import add_pages
from versus.web.pagecache import CachedPages
from versus.web.query import BadRequest, PageKeys
from versus.web.render import Urls, render
from versus.web.responses import Web


def create_app(db: Path | str | None = None, live: LiveCatalog | None = None, base_url: str = "") -> FastAPI:
    """The web app over the catalog at `db` (built first if needed), following rebuilds as they land.
    `base_url` makes canonical and Open Graph links absolute."""
    web = Web(live or LiveCatalog(open_services(str(db) if db is not None else None)), Urls(base=base_url.rstrip("/")))
    app = FastAPI(
        title="llm-versus",
        version="1",
        description="Compare LLMs for production: the same JSON as the `versus` CLI.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.catalog = web.live
    _add_error_pages(app, web)
    add_pages(app, web)
    add_feature_pages(app, web)
    add_api(app, web)
    web.keys = PageKeys.from_routes(app.routes)  # every route declared: now requests map to pages
    app.add_middleware(CachedPages, lookup=web.cached)
    app.state.cached_page = web.cached
    return app


def _add_error_pages(app: FastAPI, web: Web) -> None:
    """Every refusal as a 4xx: JSON on the API, an HTML page with suggestions elsewhere."""

    def error_response(request: Request, exc: BadRequest) -> Response:
        if request.url.path.startswith("/api/") or request.query_params.get("fragment"):
            if request.query_params.get("fragment"):
                return HTMLResponse(f"<p data-error>{escape(exc.message)}</p>", status_code=exc.status)
            body: dict[str, object] = {"error": exc.message}
            if exc.suggestions:
                body["suggestions"] = exc.suggestions
            return JSONResponse(body, status_code=exc.status)
        context = not_found_context(web.urls, exc.message, exc.suggestions, web.popular(), exc.status)
        return HTMLResponse(render("error.html", **context), status_code=exc.status)

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> Response:
        return error_response(request, exc)

    @app.exception_handler(ServiceError)
    async def _refused(request: Request, exc: ServiceError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400
        return error_response(request, BadRequest(status, exc.message, exc.suggestions))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        response = error_response(request, BadRequest(exc.status_code, message))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()[:3])
        return error_response(request, BadRequest(400, problems or "invalid request"))


def app_from_environment() -> CachedPages:
    """Factory for `uvicorn --factory` and multi-worker serving: the catalog from $VERSUS_DB, canonical
    links from $VERSUS_BASE_URL. Rendered pages are answered in front of FastAPI's own middleware
    stack, which costs a cached page a quarter of its throughput."""
    app = create_app(base_url=os.environ.get("VERSUS_BASE_URL", ""))
    return CachedPages(app, app.state.cached_page)
