"""`versus serve`: comparison pages and a JSON API over the catalog, from the same context builders."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from versus.analysis.compare import ComparisonError
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.lookup import resolve_provider_model, search_models
from versus.catalog.overlay import alias_rules
from versus.catalog.types import CAPABILITIES
from versus.render.catalog import routes_to_list, summary_to_dict
from versus.render.json_view import comparison_to_dict
from versus.sync.catalog import open_catalog
from versus.web.catalog_pages import home_context, model_context, not_found_context, popular_pairs, provider_context
from versus.web.live import Catalog, LiveCatalog
from versus.web.pagecache import CACHE_CONTROL, CachedPage, CachedPages, PageKey
from versus.web.pages import compare_context
from versus.web.query import (
    MAX_MODELS,
    MAX_NAME_CHARS,
    MAX_SEARCH_CHARS,
    BadRequest,
    PageKeys,
    TrafficForm,
    model_names,
    traffic_form,
    traffic_query,
)
from versus.web.render import STATIC, Urls, asset_version, is_canonical_pair, render
from versus.web.schemas import (
    MODELS_SCHEMA,
    RESOLVE_SCHEMA,
    ROUTES_SCHEMA,
    comparison_openapi_schema,
    json_responses,
)

Search = Annotated[str, Query(max_length=MAX_SEARCH_CHARS)]
Fragment = Annotated[str, Query(include_in_schema=False)]
Traffic = Annotated[tuple[TrafficProfile, Blend], Depends(traffic_query)]
Form = Annotated[TrafficForm, Depends(traffic_form)]
ModelList = Annotated[list[str], Query()]
# A versioned asset never changes under its URL: browsers may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
HTML = "text/html; charset=utf-8"
ASSETS = {"site.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


def _cached_response(request: Request, page: CachedPage) -> Response:
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers={"ETag": page.etag, "Cache-Control": page.cache_control})
    body, headers = page.headers(request.headers.get("accept-encoding", ""))
    response = Response(body, media_type=page.media_type)
    response.raw_headers = headers
    return response


def create_app(db: Path | str | None = None, live: LiveCatalog | None = None, base_url: str = "") -> FastAPI:
    """The web app over the catalog at `db` (built first if needed), following rebuilds as they land.
    `base_url` makes canonical and Open Graph links absolute."""
    live = live or LiveCatalog(open_catalog(db).store.db)
    urls = Urls(base=base_url.rstrip("/"))
    comparison = comparison_openapi_schema()
    app = FastAPI(
        title="llm-versus",
        version="1",
        description="Compare LLMs for production: the same JSON as the `versus` CLI.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.catalog = live

    def popular() -> list[dict[str, Any]]:
        pairs = popular_pairs(live.current().store.summaries(), count=6)
        return [{"names": [a.name, b.name], "url": urls.compare([a.id, b.id])} for a, b in pairs]

    def error_response(request: Request, exc: BadRequest) -> Response:
        if request.url.path.startswith("/api/") or request.query_params.get("fragment"):
            if request.query_params.get("fragment"):
                return HTMLResponse(f"<p data-error>{escape(exc.message)}</p>", status_code=exc.status)
            body: dict[str, Any] = {"error": exc.message}
            if exc.suggestions:
                body["suggestions"] = exc.suggestions
            return JSONResponse(body, status_code=exc.status)
        context = not_found_context(urls, exc.message, exc.suggestions, popular(), exc.status)
        return HTMLResponse(render("error.html", **context), status_code=exc.status)

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> Response:
        return error_response(request, exc)

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

    def cache_key(catalog: Catalog, path: str, query_string: bytes) -> PageKey | None:
        canonical = keys.canonical(path, query_string)
        return None if canonical is None else catalog.key(path, canonical)

    def cached(path: str, query_string: bytes) -> CachedPage | None:
        catalog = live.current()
        key = cache_key(catalog, path, query_string)
        return catalog.pages.get(key) if key is not None else None

    def page(
        catalog: Catalog, request: Request, build: Callable[[], tuple[str, str]], cache_control: str = CACHE_CONTROL
    ) -> Response:
        """A page from the cache, or built and kept: both keyed as CachedPages looks pages up."""
        key = cache_key(catalog, request.scope["path"], request.scope["query_string"])
        hit = catalog.pages.get(key) if key is not None else None
        if hit is None:
            body, media_type = build()
            hit = catalog.remember(key, body.encode(), media_type, cache_control)
        return _cached_response(request, hit)

    def comparison_page(
        catalog: Catalog, request: Request, ids: list[str], form: TrafficForm, fragment: str
    ) -> Response:
        def build() -> tuple[str, str]:
            try:
                context = compare_context(
                    catalog.service, ids, form.profile, form.blend, catalog.today(), urls, live=True, form=form
                )
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc
            template = "_costs.html" if fragment == "costs" else "compare.html"
            return render(template, **context), HTML

        if form.error is not None:
            if fragment:
                raise form.error
            # The calculator as typed, the error beside its field: nothing lost, and no comparison computed.
            back = urls.compare(ids)
            html = render(
                "traffic_error.html",
                title="Traffic figures to correct",
                description=form.error.message[:160],
                form={**form.values, "error": form.error.message, "field": form.error.field},
                action=back.split("?")[0],
                hidden_models=",".join(ids) if len(ids) > 2 else "",
                back=back,
                urls=urls,
                canonical=None,
            )
            return HTMLResponse(html, status_code=400)
        return page(catalog, request, build)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: Search = "", capability: str = "", sort: str = "routes") -> Response:
        catalog = live.current()
        if capability and capability not in CAPABILITIES:
            raise BadRequest(400, f"unknown capability {capability!r}; choose from {', '.join(CAPABILITIES)}")

        def build() -> tuple[str, str]:
            context = home_context(catalog.store, urls, q, capability, sort=sort, service=catalog.service)
            return render("home.html", **context), HTML

        return page(catalog, request, build)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_many(
        request: Request,
        form: Form,
        models: ModelList = [],  # noqa: B006 (FastAPI reads the default, never mutates it)
        add: Annotated[str, Query(max_length=MAX_NAME_CHARS)] = "",
        fragment: Fragment = "",
    ) -> Response:
        """`?models=a,b,c` (or `models` repeated, as checkboxes send it), plus `add`: one more model.
        Every spelling redirects to the one canonical URL: a pair's page, or the sorted list."""
        catalog = live.current()
        if len(models) > MAX_MODELS:
            raise BadRequest(400, f"compare at most {MAX_MODELS} models at once")
        names = model_names(",".join([*models, add]))
        ids = [catalog.model_id(name) for name in names]
        if len(ids) < 2:
            raise BadRequest(400, "compare needs at least two models: tick two or more, or /compare?models=a,b")
        if len(set(ids)) < len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise BadRequest(400, f"{twice} is named twice: compare it with another model")
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("models", "add")]
        query = urlencode(kept)
        status = 303 if add.strip() else 301  # an added model is the user's choice, not a moved page
        canonical = urls.compare(ids)
        if len(ids) == 2:
            return RedirectResponse(canonical + (f"?{query}" if query else ""), status_code=status)
        if add.strip() or models != [canonical.split("=", 1)[1]]:
            return RedirectResponse(canonical + (f"&{query}" if query else ""), status_code=status)
        return comparison_page(catalog, request, sorted(ids), form, fragment)

    @app.get("/compare/{pair:path}", response_class=HTMLResponse, include_in_schema=False)
    async def compare_pair(request: Request, pair: str, form: Form, fragment: Fragment = "") -> Response:
        # Rendered on the event loop, not a thread: a render holds the GIL either way, and the hand-off
        # to the thread pool and back cost an uncached page a fifth of its throughput.
        catalog = live.current()
        ids = _split_pair(pair, catalog)
        if not is_canonical_pair(ids):
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(urls.compare(ids) + query, status_code=301)
        return comparison_page(catalog, request, ids, form, fragment)

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
            return RedirectResponse(urls.model(found), status_code=301)
        return page(
            catalog, request, lambda: (render("model.html", **model_context(catalog.store, model, urls, sort)), HTML)
        )

    @app.get("/providers/{provider_id}", response_class=HTMLResponse, include_in_schema=False)
    def provider_page(request: Request, provider_id: str) -> Response:
        catalog = live.current()
        provider = next((p for p, _ in catalog.store.providers() if p.id == provider_id), None)
        if provider is None:
            raise BadRequest(404, f"no provider {provider_id!r}")
        return page(
            catalog, request, lambda: (render("provider.html", **provider_context(catalog.store, provider, urls)), HTML)
        )

    @app.get("/robots.txt", include_in_schema=False)
    def robots() -> Response:
        lines = ["User-agent: *", "Allow: /", "Disallow: /api/"]
        return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/{name}", include_in_schema=False)
    def static(request: Request, name: str, v: str = "") -> Response:
        """The stylesheet and script, from memory; a request naming the current version may keep it a year."""
        if name not in ASSETS:
            raise BadRequest(404, f"no static file {name!r}")
        cache_control = IMMUTABLE if v == asset_version(name) else CACHE_CONTROL
        return page(live.current(), request, lambda: ((STATIC / name).read_text(), ASSETS[name]), cache_control)

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
    app.state.cached_page = cached
    return app


def _split_pair(pair: str, catalog: Catalog) -> list[str]:
    """`a-vs-b` into two model ids; ids may themselves contain `-vs-`, so try every split."""
    if len(pair) > 2 * MAX_NAME_CHARS + len("-vs-"):  # every cut costs two look-ups: bound them
        raise BadRequest(404, f"{pair[:80]!r}… is not a pair of models: use /compare/A-vs-B")
    parts = pair.strip("/").split("-vs-")
    for cut in range(1, len(parts)):
        a, b = "-vs-".join(parts[:cut]), "-vs-".join(parts[cut:])
        if a in catalog.model_ids and b in catalog.model_ids:
            if a == b:
                raise BadRequest(400, f"{a} compared with itself: choose two different models")
            return [a, b]
    if len(parts) == 2:
        return [catalog.model_id(parts[0]), catalog.model_id(parts[1])]
    raise BadRequest(404, f"{pair!r} is not a pair of models: use /compare/A-vs-B")


def app_from_environment() -> CachedPages:
    """Factory for `uvicorn --factory` and multi-worker serving: the catalog from $VERSUS_DB, canonical
    links from $VERSUS_BASE_URL. Rendered pages are answered in front of FastAPI's own middleware
    stack, which costs a cached page a quarter of its throughput."""
    app = create_app(base_url=os.environ.get("VERSUS_BASE_URL", ""))
    return CachedPages(app, app.state.cached_page)
