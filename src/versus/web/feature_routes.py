"""The pages beyond one comparison: what changed in the catalog (page and Atom feed), the benchmark
leaderboard and the picker. Each route reads the request, asks the services, and hands plain values to
a pure context (`feature_pages.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from versus.analysis.basis import BasisError
from versus.analysis.quality import BoardError
from versus.render.atom import changes_feed
from versus.services.comparison import ComparisonService
from versus.web.feature_forms import MAX_FIELD_CHARS, Params, read_leaderboard_form, read_pick_form
from versus.web.feature_pages import changes_context, leaderboard_context, pick_context
from versus.web.live import Catalog
from versus.web.render import Urls, render
from versus.web.responses import HTML, Web

ATOM = "application/atom+xml; charset=utf-8"
DEFAULT_BENCHMARK = "aider-polyglot"
Filter = Annotated[str, Query(max_length=MAX_FIELD_CHARS)]


def _params(request: Request) -> Params:
    """The query as the forms read it: every value of every field (the forms bound them)."""
    query = request.query_params
    return {key: query.getlist(key) for key in query}


def _names(catalog: Catalog) -> tuple[dict[str, str], dict[str, str]]:
    models = {m.id: m.name for m in catalog.catalog.summaries()}
    return models, {p: v.name for p, v in catalog.catalog.providers_by_id.items()}


def add_feature_pages(app: FastAPI, web: Web) -> None:
    """Declare the changes page and feed, the leaderboard and the picker."""
    urls = web.urls

    @app.get("/changes", response_class=HTMLResponse, include_in_schema=False)
    def changes_page(request: Request, kind: Filter = "", provider: Filter = "") -> Response:
        catalog = web.live.current()
        models, providers = _names(catalog)
        context = changes_context(
            catalog.services.history.changes(),
            urls,
            model_names=models,
            provider_names=providers,
            kind=kind,
            provider=provider,
            feed_url=urls.changes_feed(),
            today=catalog.today(),
        )
        if context["status"] != 200:  # a filter to correct: answered, never kept
            return HTMLResponse(render("changes.html", **context), status_code=context["status"])
        return web.page(catalog, request, lambda: (render("changes.html", **context), HTML))

    @app.get("/changes.atom", include_in_schema=False)
    def changes_atom(request: Request) -> Response:
        """A feed's links are absolute: from `--base-url`, else from the request's own address — and
        then never kept, so one request's Host header cannot become every reader's links."""
        catalog = web.live.current()

        def build() -> tuple[str, str]:
            models, providers = _names(catalog)
            feed = changes_feed(
                catalog.services.history.changes(),
                base_url=urls.base or str(request.base_url).rstrip("/"),
                model_names=models,
                provider_names=providers,
                model_path=urls.model,
                feed_path=urls.changes_feed(),
                page_path=urls.changes(),
                today=catalog.today(),
            )
            return feed, ATOM

        if not urls.base:
            feed, media_type = build()
            return Response(feed, media_type=media_type, headers={"Cache-Control": "no-cache"})
        return web.page(catalog, request, build)

    # The leaderboard and the picker read a form of many fields: they are computed per request, never
    # kept in the page cache (whose keys know only the parameters a route declares).

    @app.get("/leaderboard", response_class=HTMLResponse, include_in_schema=False)
    def leaderboard(request: Request) -> Response:
        status, html = leaderboard_page(web.live.current().service, _params(request), urls)
        return HTMLResponse(html, status_code=status)

    @app.get("/pick", response_class=HTMLResponse, include_in_schema=False)
    def pick(request: Request) -> Response:
        status, html = pick_page(web.live.current().service, _params(request), urls)
        return HTMLResponse(html, status_code=status)


def leaderboard_page(service: ComparisonService, params: Params, urls: Urls) -> tuple[int, str]:
    """The leaderboard page for a query: read the form, ask the service, build the context, render."""
    form = read_leaderboard_form(params, default_benchmark=DEFAULT_BENCHMARK)
    chart = None
    policy = service.route_policy()
    if form.ok and form.ref is not None:
        try:
            chart = service.leaderboard(form.ref, form.profile, policy)
        except BoardError as exc:
            form = form.with_error("benchmark", str(exc))
    context = leaderboard_context(chart, urls, form=form, policy=policy.describe(), benchmarks=service.benchmark_ids)
    return context["status"], render("leaderboard.html", **context)


def pick_page(service: ComparisonService, params: Params, urls: Urls) -> tuple[int, str]:
    """The picker for a query: the bare page is the empty form, not a shortlist of everything; a
    filled form is checked field by field, then the service shortlists."""
    form = read_pick_form(params, service.benchmark_ids)
    result = None
    if form.ok and params:
        try:
            policy = service.route_policy(form.basis, form.providers, form.excluded, form.include_flagged)
            result = service.pick(form.constraints, form.ranking, form.profile, policy, form.limit)
        except BasisError as exc:
            form = form.with_policy_error(exc)
        except BoardError as exc:
            form = form.with_board_error(exc)
    context = pick_context(result, urls, form=form)
    return context["status"], render("pick.html", **context)
