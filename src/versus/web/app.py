"""`versus serve`: comparison pages and a JSON API over the catalog, from the same context builders."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from versus.analysis.compare import ComparisonError
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.local import open_catalog
from versus.catalog.lookup import resolve_provider_model, search_models
from versus.catalog.overlay import alias_rules
from versus.catalog.types import CAPABILITIES
from versus.render.catalog import routes_to_list, summary_to_dict
from versus.render.json_view import comparison_to_dict
from versus.web.live import Catalog, LiveCatalog
from versus.web.pagecache import CACHE_CONTROL, CachedPage, CachedPages, PageKey
from versus.web.pages import compare_context, home_context, model_context, provider_context
from versus.web.query import (
    MAX_MODELS,
    MAX_NAME_CHARS,
    MAX_SEARCH_CHARS,
    BadRequest,
    PageKeys,
    model_names,
    traffic_query,
)
from versus.web.render import STATIC, Urls, is_canonical_pair, render
from versus.web.schemas import (
    MODELS_SCHEMA,
    RESOLVE_SCHEMA,
    ROUTES_SCHEMA,
    comparison_openapi_schema,
    json_responses,
)

URLS = Urls()
Search = Annotated[str, Query(max_length=MAX_SEARCH_CHARS)]
Fragment = Annotated[str, Query(include_in_schema=False)]
Traffic = Annotated[tuple[TrafficProfile, Blend], Depends(traffic_query)]


def _cached_response(request: Request, page: CachedPage) -> Response:
    headers = {"ETag": page.etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers=headers)
    return Response(page.body, media_type=page.media_type, headers=headers)


def _error(request: Request, exc: BadRequest) -> Response:
    if request.url.path.startswith("/api/") or request.query_params.get("fragment"):
        if request.query_params.get("fragment"):
            return HTMLResponse(f"<p>{escape(exc.message)}</p>", status_code=exc.status)
        body: dict[str, Any] = {"error": exc.message}
        if exc.suggestions:
            body["suggestions"] = exc.suggestions
        return JSONResponse(body, status_code=exc.status)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status, "Bad request")
    html = render(
        "error.html",
        title=title,
        message=exc.message,
        suggestions=exc.suggestions,
        urls=URLS,
        canonical=request.url.path,
    )
    return HTMLResponse(html, status_code=exc.status)


def create_app(db: Path | str | None = None, live: LiveCatalog | None = None) -> FastAPI:
    """The web app over the catalog at `db` (built first if needed), following rebuilds as they land."""
    live = live or LiveCatalog(open_catalog(db).store.db)
    comparison = comparison_openapi_schema()
    app = FastAPI(
        title="llm-versus",
        version="1",
        description="Compare LLMs for production: the same JSON as the `versus` CLI.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.catalog = live
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> Response:
        return _error(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        response = _error(request, BadRequest(exc.status_code, message))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()[:3])
        return _error(request, BadRequest(400, problems or "invalid request"))

    def cache_key(catalog: Catalog, path: str, query_string: bytes) -> PageKey | None:
        canonical = keys.canonical(path, query_string)
        return None if canonical is None else catalog.key(path, canonical)

    def cached(path: str, query_string: bytes) -> CachedPage | None:
        catalog = live.current()
        key = cache_key(catalog, path, query_string)
        return catalog.pages.get(key) if key is not None else None

    def page(catalog: Catalog, request: Request, build: Callable[[], tuple[str, str]]) -> Response:
        """A page from the cache, or built and kept: both keyed as CachedPages looks pages up."""
        key = cache_key(catalog, request.scope["path"], request.scope["query_string"])
        hit = catalog.pages.get(key) if key is not None else None
        if hit is None:
            body, media_type = build()
            hit = catalog.remember(key, body.encode(), media_type)
        return _cached_response(request, hit)

    def comparison_page(
        catalog: Catalog, request: Request, ids: list[str], traffic: tuple[TrafficProfile, Blend], fragment: str
    ) -> Response:
        profile, blend = traffic

        def build() -> tuple[str, str]:
            try:
                context = compare_context(catalog.service, ids, profile, blend, catalog.today(), URLS, live=True)
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc
            template = "_costs.html" if fragment == "costs" else "compare.html"
            return render(template, **context), "text/html; charset=utf-8"

        return page(catalog, request, build)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: Search = "", capability: str = "") -> Response:
        catalog = live.current()
        if capability and capability not in CAPABILITIES:
            raise BadRequest(400, f"unknown capability {capability!r}; choose from {', '.join(CAPABILITIES)}")
        return page(
            catalog,
            request,
            lambda: (
                render("home.html", **home_context(catalog.store, URLS, q, capability)),
                "text/html; charset=utf-8",
            ),
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_many(request: Request, traffic: Traffic, models: str = "", fragment: Fragment = "") -> Response:
        catalog = live.current()
        ids = [catalog.model_id(name) for name in model_names(models)]
        if len(ids) < 2:
            raise BadRequest(400, "compare needs at least two models: /compare?models=a,b")
        if len(ids) == 2 and len(set(ids)) == 2:
            query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "models"])
            return RedirectResponse(URLS.compare(ids) + (f"?{query}" if query else ""), status_code=301)
        return comparison_page(catalog, request, ids, traffic, fragment)

    @app.get("/compare/{pair:path}", response_class=HTMLResponse, include_in_schema=False)
    def compare_pair(request: Request, pair: str, traffic: Traffic, fragment: Fragment = "") -> Response:
        catalog = live.current()
        ids = _split_pair(pair, catalog)
        if not is_canonical_pair(ids):
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(URLS.compare(ids) + query, status_code=301)
        return comparison_page(catalog, request, ids, traffic, fragment)

    @app.get("/models/{model_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(request: Request, model_id: str, sort: str = "price") -> Response:
        catalog = live.current()
        model = catalog.store.model(model_id)
        if model is None:
            found = catalog.model_id(model_id)
            # Redirect only to a page that exists and is another: a look-up that names a model the
            # store cannot show would otherwise send the browser round in a loop.
            if found == model_id or catalog.store.model(found) is None:
                raise BadRequest(404, f"no model {model_id!r}")
            return RedirectResponse(URLS.model(found), status_code=301)
        return page(
            catalog,
            request,
            lambda: (
                render("model.html", **model_context(catalog.store, model, URLS, sort)),
                "text/html; charset=utf-8",
            ),
        )

    @app.get("/providers/{provider_id}", response_class=HTMLResponse, include_in_schema=False)
    def provider_page(request: Request, provider_id: str) -> Response:
        catalog = live.current()
        provider = next((p for p, _ in catalog.store.providers() if p.id == provider_id), None)
        if provider is None:
            raise BadRequest(404, f"no provider {provider_id!r}")
        return page(
            catalog,
            request,
            lambda: (
                render("provider.html", **provider_context(catalog.store, provider, URLS)),
                "text/html; charset=utf-8",
            ),
        )

    # --- API: the same JSON as the CLI ------------------------------------------------------------

    def api(catalog: Catalog, request: Request, build: Callable[[], Any]) -> Response:
        return page(catalog, request, lambda: (json.dumps(build(), ensure_ascii=False), "application/json"))

    @app.get("/api/compare", responses=json_responses(comparison["schema"]), tags=["compare"])
    def api_compare(
        request: Request,
        models: Annotated[
            str,
            Query(
                description=f"Two to {MAX_MODELS} comma-separated models: ids, provider ids or names.",
                pattern=r"^[^,]+(,[^,]+)+$",
                max_length=MAX_MODELS * (MAX_NAME_CHARS + 1),
            ),
        ],
        traffic: Traffic,
    ) -> Response:
        """The comparison JSON of `versus compare --format json`."""
        catalog = live.current()
        ids = [catalog.model_id(name) for name in model_names(models)]
        profile, parsed_blend = traffic

        def build() -> Any:
            try:
                return comparison_to_dict(catalog.service.compare(ids, profile, parsed_blend, catalog.today()))
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc

        return api(catalog, request, build)

    @app.get("/api/models", responses=json_responses(MODELS_SCHEMA), tags=["catalog"])
    def api_models(
        request: Request,
        q: Annotated[
            str, Query(description="Words that must appear in the id, name or creator.", max_length=MAX_SEARCH_CHARS)
        ] = "",
        provider: Annotated[str, Query(description="Only models this provider serves.")] = "",
        capability: Annotated[str, Query(description="Only models with this capability.")] = "",
        min_context: Annotated[int, Query(ge=0, le=10**9, description="Minimum context window.")] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
    ) -> Response:
        """The model list of `versus models --format json`."""
        catalog = live.current()
        if capability and capability not in CAPABILITIES:
            raise BadRequest(400, f"unknown capability {capability!r}; choose from {', '.join(CAPABILITIES)}")

        if provider and provider not in {p.id for p, _ in catalog.store.providers()}:
            raise BadRequest(404, f"unknown provider {provider!r}")

        def build() -> Any:
            served = {o.model_id for o in catalog.store.offerings(provider_id=provider)} if provider else None
            found = search_models(
                catalog.store.summaries(), q, [capability] if capability else [], served, min_context or None
            )
            return [summary_to_dict(m) for m in found[:limit]]

        return api(catalog, request, build)

    @app.get("/api/models/{model_id:path}/routes", responses=json_responses(ROUTES_SCHEMA), tags=["catalog"])
    def api_routes(request: Request, model_id: str) -> Response:
        """Every route of a model, as `versus routes MODEL --format json`."""
        catalog = live.current()
        found = catalog.model_id(model_id)
        return api(catalog, request, lambda: routes_to_list(catalog.store.offerings(found)))

    @app.get("/api/resolve", responses=json_responses(RESOLVE_SCHEMA), tags=["catalog"])
    def api_resolve(
        request: Request,
        provider: Annotated[str, Query(description="Provider id, e.g. fireworks-ai.")],
        model_id: Annotated[str, Query(description="The provider's model id.", max_length=MAX_NAME_CHARS)],
    ) -> Response:
        """Which canonical model a provider's model id is, as `versus resolve --format json`."""
        catalog = live.current()
        if provider not in {p.id for p, _ in catalog.store.providers()}:
            raise BadRequest(404, f"unknown provider {provider!r}")
        result = resolve_provider_model(catalog.store, provider, model_id, alias_rules())
        if result is None:
            raise BadRequest(404, f"{provider}:{model_id} matches no model in the catalog")
        return api(catalog, request, lambda: result)

    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original_openapi()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(comparison["defs"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    keys = PageKeys.from_routes(app.routes)
    app.add_middleware(CachedPages, lookup=cached)
    return app


def _split_pair(pair: str, catalog: Catalog) -> list[str]:
    """`a-vs-b` into two model ids; ids may themselves contain `-vs-`, so try every split."""
    if len(pair) > 2 * MAX_NAME_CHARS + len("-vs-"):  # every cut costs two look-ups: bound them
        raise BadRequest(404, f"{pair[:80]!r}… is not a pair of models: use /compare/A-vs-B")
    parts = pair.strip("/").split("-vs-")
    for cut in range(1, len(parts)):
        a, b = "-vs-".join(parts[:cut]), "-vs-".join(parts[cut:])
        if catalog.store.model(a) and catalog.store.model(b):
            if a == b:
                raise BadRequest(400, f"{a} compared with itself: choose two different models")
            return [a, b]
    if len(parts) == 2:
        return [catalog.model_id(parts[0]), catalog.model_id(parts[1])]
    raise BadRequest(404, f"{pair!r} is not a pair of models: use /compare/A-vs-B")


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and multi-worker serving: the catalog from $VERSUS_DB."""
    return create_app()
