"""`versus serve`: comparison pages and a JSON API over the catalog, from the same context builders."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from versus.analysis.compare import ComparisonError
from versus.analysis.traffic import DEFAULT_TEXT, TrafficError, parse_traffic
from versus.catalog.local import open_catalog
from versus.catalog.lookup import UnknownModel, find_model, resolve_provider_model, search_models
from versus.catalog.overlay import alias_rules
from versus.catalog.store import CatalogStore
from versus.catalog.types import CAPABILITIES
from versus.render.catalog import offering_to_dict, summary_to_dict
from versus.render.json_view import comparison_schema, comparison_to_dict
from versus.service import ComparisonService
from versus.web.pages import compare_context, home_context, model_context, provider_context
from versus.web.render import STATIC, Urls, is_canonical_pair, render

CACHE_CONTROL = "public, max-age=300"
PAGE_CACHE_SIZE = 4096
URLS = Urls()


class BadRequest(Exception):
    def __init__(self, status: int, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.suggestions = status, message, suggestions or []


class Catalog:
    """The catalog the app serves, and its rendered pages, cached per catalog version."""

    def __init__(self, store: CatalogStore, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.service = ComparisonService(store)
        meta = store.built_meta()
        self.version = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:12]
        self.today = today
        self.pages: OrderedDict[tuple[str, str], tuple[str, bytes, str]] = OrderedDict()

    def model_id(self, name: str) -> str:
        try:
            return find_model(name, self.store, self.store.naming()).model_id
        except UnknownModel as exc:
            raise BadRequest(404, str(exc), exc.suggestions) from exc

    def key(self, path: str, query: str) -> tuple[str, str]:
        """Pages depend on the catalog (one per app), the path, the query and today's date."""
        return (path, f"{self.today().isoformat()}?{query}")

    def cached(self, key: tuple[str, str]) -> tuple[str, bytes, str] | None:
        hit = self.pages.get(key)
        if hit is not None:
            self.pages.move_to_end(key)
        return hit

    def remember(self, key: tuple[str, str], body: bytes, media_type: str) -> tuple[str, bytes, str]:
        etag = f'"{self.version}-{hashlib.sha1(body).hexdigest()[:16]}"'
        self.pages[key] = (etag, body, media_type)
        if len(self.pages) > PAGE_CACHE_SIZE:
            self.pages.popitem(last=False)
        return etag, body, media_type


def _cached_response(request: Request, etag: str, body: bytes, media_type: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


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


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "suggestions": {"type": "array", "items": {"type": "string"}}},
    "required": ["error"],
}


def _json_responses(schema: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {"application/json": {"schema": schema}}},
        400: {"description": "Bad input", "content": {"application/json": {"schema": ERROR_SCHEMA}}},
        404: {"description": "Unknown model or provider", "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    }


def _comparison_openapi_schema() -> dict[str, Any]:
    schema = comparison_schema()
    defs = schema.pop("$defs", {})
    text = json.dumps(schema).replace("#/$defs/", "#/components/schemas/")
    return {
        "schema": json.loads(text),
        "defs": json.loads(json.dumps(defs).replace("#/$defs/", "#/components/schemas/")),
    }


def create_app(db: Path | None = None, catalog: Catalog | None = None) -> FastAPI:
    """The web app over the catalog at `db` (built first if needed)."""
    catalog = catalog or Catalog(open_catalog(db).store)
    comparison = _comparison_openapi_schema()
    app = FastAPI(
        title="llm-versus",
        version="1",
        description="Compare LLMs for production: the same JSON as the `versus` CLI.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.catalog = catalog
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

    def page(request: Request, build: Callable[[], tuple[str, str]]) -> Response:
        key = catalog.key(request.url.path, request.url.query)
        hit = catalog.cached(key)
        if hit is None:
            body, media_type = build()
            hit = catalog.remember(key, body.encode(), media_type)
        return _cached_response(request, *hit)

    def traffic(params: dict[str, str]) -> Any:
        try:
            return parse_traffic(
                *(params.get(name, default) for name, default in DEFAULT_TEXT.items()),
            )
        except TrafficError as exc:
            raise BadRequest(400, str(exc)) from exc

    def comparison_page(request: Request, ids: list[str]) -> Response:
        params = dict(request.query_params)
        profile, blend = traffic(params)

        def build() -> tuple[str, str]:
            try:
                context = compare_context(catalog.service, ids, profile, blend, catalog.today(), URLS, live=True)
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc
            template = "_costs.html" if params.get("fragment") == "costs" else "compare.html"
            return render(template, **context), "text/html; charset=utf-8"

        return page(request, build)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: str = "", capability: str = "") -> Response:
        return page(
            request,
            lambda: (
                render("home.html", **home_context(catalog.store, URLS, q, capability)),
                "text/html; charset=utf-8",
            ),
        )

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_many(request: Request, models: str = "") -> Response:
        ids = [catalog.model_id(name) for name in models.split(",") if name.strip()]
        if len(ids) < 2:
            raise BadRequest(400, "compare needs at least two models: /compare?models=a,b")
        if len(ids) == 2 and len(set(ids)) == 2:
            query = "&".join(f"{k}={v}" for k, v in request.query_params.items() if k != "models")
            return RedirectResponse(URLS.compare(ids) + (f"?{query}" if query else ""), status_code=301)
        return comparison_page(request, ids)

    @app.get("/compare/{pair:path}", response_class=HTMLResponse, include_in_schema=False)
    def compare_pair(request: Request, pair: str) -> Response:
        ids = _split_pair(pair, catalog)
        if not is_canonical_pair(ids):
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(URLS.compare(ids) + query, status_code=301)
        return comparison_page(request, ids)

    @app.get("/models/{model_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(request: Request, model_id: str, sort: str = "price") -> Response:
        model = catalog.store.model(model_id)
        if model is None:
            found = catalog.model_id(model_id)
            return RedirectResponse(URLS.model(found), status_code=301)
        return page(
            request,
            lambda: (
                render("model.html", **model_context(catalog.store, model, URLS, sort)),
                "text/html; charset=utf-8",
            ),
        )

    @app.get("/providers/{provider_id}", response_class=HTMLResponse, include_in_schema=False)
    def provider_page(request: Request, provider_id: str) -> Response:
        provider = next((p for p, _ in catalog.store.providers() if p.id == provider_id), None)
        if provider is None:
            raise BadRequest(404, f"no provider {provider_id!r}")
        return page(
            request,
            lambda: (
                render("provider.html", **provider_context(catalog.store, provider, URLS)),
                "text/html; charset=utf-8",
            ),
        )

    # --- API: the same JSON as the CLI ------------------------------------------------------------

    def api(request: Request, build: Callable[[], Any]) -> Response:
        return page(request, lambda: (json.dumps(build(), ensure_ascii=False), "application/json"))

    @app.get("/api/compare", responses=_json_responses(comparison["schema"]), tags=["compare"])
    def api_compare(
        request: Request,
        models: Annotated[
            str,
            Query(
                description="Two or more comma-separated models: ids, provider ids or names.",
                pattern=r"^[^,]+(,[^,]+)+$",
            ),
        ],
        requests: Annotated[str, Query(description="Requests per month.")] = DEFAULT_TEXT["requests"],
        input_tokens: Annotated[str, Query(description="Input tokens per request.")] = DEFAULT_TEXT["input_tokens"],
        output_tokens: Annotated[str, Query(description="Output tokens per request.")] = DEFAULT_TEXT["output_tokens"],
        cache_hit: Annotated[str, Query(description="Share of input read from cache: 0.4 or 40%.")] = DEFAULT_TEXT[
            "cache_hit"
        ],
        batch: Annotated[str, Query(description="Share of requests through batch APIs.")] = DEFAULT_TEXT["batch"],
        blend: Annotated[str, Query(description="Input:output blend, e.g. 70:30.")] = DEFAULT_TEXT["blend"],
    ) -> Response:
        """The comparison JSON of `versus compare --format json`."""
        ids = [catalog.model_id(name) for name in models.split(",") if name.strip()]
        profile, parsed_blend = traffic(
            {
                "requests": requests,
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cache_hit": cache_hit,
                "batch": batch,
                "blend": blend,
            }
        )

        def build() -> Any:
            try:
                return comparison_to_dict(catalog.service.compare(ids, profile, parsed_blend, catalog.today()))
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc

        return api(request, build)

    @app.get("/api/models", responses=_json_responses(MODELS_SCHEMA), tags=["catalog"])
    def api_models(
        request: Request,
        q: Annotated[str, Query(description="Words that must appear in the id, name or creator.")] = "",
        provider: Annotated[str, Query(description="Only models this provider serves.")] = "",
        capability: Annotated[str, Query(description="Only models with this capability.")] = "",
        min_context: Annotated[int, Query(ge=0, le=10**9, description="Minimum context window.")] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
    ) -> Response:
        """The model list of `versus models --format json`."""
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

        return api(request, build)

    @app.get("/api/models/{model_id:path}/routes", responses=_json_responses(ROUTES_SCHEMA), tags=["catalog"])
    def api_routes(request: Request, model_id: str) -> Response:
        """Every route of a model, as `versus routes MODEL --format json`."""
        found = catalog.model_id(model_id)
        return api(request, lambda: [offering_to_dict(o) for o in catalog.store.offerings(found)])

    @app.get("/api/resolve", responses=_json_responses(RESOLVE_SCHEMA), tags=["catalog"])
    def api_resolve(
        request: Request,
        provider: Annotated[str, Query(description="Provider id, e.g. fireworks-ai.")],
        model_id: Annotated[str, Query(description="The provider's model id.")],
    ) -> Response:
        """Which canonical model a provider's model id is, as `versus resolve --format json`."""
        if provider not in {p.id for p, _ in catalog.store.providers()}:
            raise BadRequest(404, f"unknown provider {provider!r}")
        result = resolve_provider_model(catalog.store, provider, model_id, alias_rules())
        if result is None:
            raise BadRequest(404, f"{provider}:{model_id} matches no model in the catalog")
        return api(request, lambda: result)

    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original_openapi()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(comparison["defs"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(CachedPages, catalog=catalog)
    return app


class CachedPages:
    """Serve pages already rendered for this catalog straight from memory, before any routing:
    a cached comparison page costs a dictionary look-up, not a trip through the framework."""

    def __init__(self, app: Any, catalog: Catalog) -> None:
        self.app, self.catalog = app, catalog

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = self.catalog.cached(self.catalog.key(scope["path"], scope["query_string"].decode("latin-1")))
            if hit is not None:
                etag, body, media_type = hit
                headers = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
                if (b"if-none-match", etag.encode()) in scope["headers"]:
                    await send({"type": "http.response.start", "status": 304, "headers": headers})
                    await send({"type": "http.response.body", "body": b""})
                    return
                headers += [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _split_pair(pair: str, catalog: Catalog) -> list[str]:
    """`a-vs-b` into two model ids; ids may themselves contain `-vs-`, so try every split."""
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


MODELS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "name", "creator", "context_window", "routes", "capabilities"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "creator": {"type": "string"},
            "family": {"type": ["string", "null"]},
            "context_window": {"type": ["integer", "null"]},
            "routes": {"type": "integer"},
            "capabilities": {"type": "object"},
        },
    },
}
PRICE_SCHEMA = {"type": ["number", "null"]}
ROUTES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["provider", "provider_model_id", "kind", "price", "sources"],
        "properties": {
            "provider": {"type": "string"},
            "provider_model_id": {"type": "string"},
            "kind": {"type": "string", "enum": ["pay-per-token", "free-tier", "trial", "subscription"]},
            "price": {
                "type": "object",
                "required": ["input", "output", "cache_read", "cache_write"],
                "properties": {k: PRICE_SCHEMA for k in ("input", "output", "cache_read", "cache_write")},
            },
            "sources": {"type": "array", "items": {"type": "object"}},
        },
    },
}
RESOLVE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["model", "confidence", "reason", "listed_route"],
    "properties": {
        "model": {"type": "string"},
        "confidence": {"type": "number"},
        "reason": {"type": "string"},
        "listed_route": {"type": "boolean"},
        "provider": {"type": "string"},
        "provider_model_id": {"type": "string"},
    },
}


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and multi-worker serving: the catalog from $VERSUS_DB."""
    return create_app()


def _without_body(send: Any) -> Any:
    """A send that drops the body: HEAD answers with GET's status and headers only."""

    async def head_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head_send
