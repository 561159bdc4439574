"""The HTML pages of `versus serve`: home, comparisons, model and provider pages, static files."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from versus.analysis.compare import ComparisonError
from versus.web.catalog_pages import home_context, model_context, price_history_chart, provider_context
from versus.web.live import Catalog
from versus.web.pagecache import CACHE_CONTROL
from versus.web.pages import compare_context
from versus.web.query import (
    MAX_MODELS,
    MAX_NAME_CHARS,
    MAX_SEARCH_CHARS,
    BadRequest,
    TrafficForm,
    model_names,
    traffic_form,
)
from versus.web.render import STATIC, asset_version, is_canonical_pair, render
from versus.web.responses import HTML, Web

Search = Annotated[str, Query(max_length=MAX_SEARCH_CHARS)]
Fragment = Annotated[str, Query(include_in_schema=False)]
Form = Annotated[TrafficForm, Depends(traffic_form)]
ModelList = Annotated[list[str], Query()]
# A versioned asset never changes under its URL: browsers may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
ASSETS = {"site.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


def add_pages(app: FastAPI, web: Web) -> None:
    """Declare every HTML page of the app."""
    urls = web.urls

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
        return web.page(catalog, request, build)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: Search = "", capability: str = "", sort: str = "routes") -> Response:
        catalog = web.live.current()
        if capability:
            catalog.catalog.check_capability(capability)

        def build() -> tuple[str, str]:
            context = home_context(catalog.catalog, catalog.service, urls, q, capability, sort=sort)
            return render("home.html", **context), HTML

        return web.page(catalog, request, build)

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
        catalog = web.live.current()
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
        catalog = web.live.current()
        ids = split_pair(pair, catalog)
        if not is_canonical_pair(ids):
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(urls.compare(ids) + query, status_code=301)
        return comparison_page(catalog, request, ids, form, fragment)

    @app.get("/models/{model_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(request: Request, model_id: str, sort: str = "price") -> Response:
        catalog = web.live.current()
        model = catalog.catalog.model(model_id)
        if model is None:
            found = catalog.model_id(model_id)
            # Redirect only to a page that exists and is another: a look-up that names a model the
            # catalog cannot show would otherwise send the browser round in a loop.
            if found == model_id or catalog.catalog.model(found) is None:
                raise BadRequest(404, f"no model {model_id!r}")
            return RedirectResponse(urls.model(found), status_code=301)

        def build() -> tuple[str, str]:
            offerings = catalog.catalog.routes(model.id)
            chart = price_history_chart(catalog.catalog, catalog.services.history, model, offerings, catalog.today())
            context = model_context(catalog.catalog, model, urls, sort, offerings, chart)
            return render("model.html", **context), HTML

        return web.page(catalog, request, build)

    @app.get("/providers/{provider_id}", response_class=HTMLResponse, include_in_schema=False)
    def provider_page(request: Request, provider_id: str) -> Response:
        catalog = web.live.current()
        provider = catalog.catalog.provider(provider_id)
        return web.page(
            catalog,
            request,
            lambda: (render("provider.html", **provider_context(catalog.catalog, provider, urls)), HTML),
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
        return web.page(web.live.current(), request, lambda: ((STATIC / name).read_text(), ASSETS[name]), cache_control)


def split_pair(pair: str, catalog: Catalog) -> list[str]:
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
