"""Page contexts of the catalog pages: home (a table of models to pick from), model, provider, not found."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from versus.analysis.basis import DEFAULT_POLICY, choose_basis
from versus.analysis.traffic import TrafficProfile
from versus.catalog.lookup import search_models
from versus.catalog.types import CAPABILITIES, CAPABILITY_LABELS, Model, ModelSummary, Offering, Provider
from versus.formats import per_million, tokens, usd
from versus.render.catalog import capability_text, route_sort_key
from versus.services.catalog import CatalogService
from versus.services.comparison import ComparisonService
from versus.web.pages import describe
from versus.web.render import Urls

if TYPE_CHECKING:
    from versus.services.history import HistoryService

HOME_ROWS = 100  # models in the home table: the most widely offered, or the best matches of a search
# The capabilities the home table shows, with short column-friendly labels.
KEY_CAPABILITIES = {
    "function_calling": "Tools",
    "vision": "Vision",
    "reasoning": "Reasoning",
    "structured_outputs": "JSON",
}
HOME_SORTS = ("routes", "price", "context", "name")


def model_rows(
    service: ComparisonService, summaries: list[ModelSummary], urls: Urls, profile: TrafficProfile
) -> list[dict[str, Any]]:
    """A row per model: monthly cost at `profile` on its basis route, context, key capabilities, routes."""
    rows = []
    for m in summaries:
        basis = choose_basis(service.model_input(m.id).offerings, profile, DEFAULT_POLICY)
        monthly = basis.costed.cost.monthly if basis else None
        rows.append(
            {
                "id": m.id,
                "name": m.name,
                "creator": m.creator,
                "url": urls.model(m.id),
                "monthly": monthly,
                "monthly_text": usd(monthly),
                "context": m.context_window,
                "context_text": tokens(m.context_window),
                "capabilities": [label for cap, label in KEY_CAPABILITIES.items() if m.capabilities.get(cap)],
                "routes": m.routes,
            }
        )
    return rows


def _sorted_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    big = float("inf")
    keys = {
        "routes": lambda r: (-r["routes"], r["name"].lower()),
        "price": lambda r: (r["monthly"] if r["monthly"] is not None else big, r["name"].lower()),
        "context": lambda r: (-(r["context"] or 0), r["name"].lower()),
        "name": lambda r: (r["name"].lower(), r["id"]),
    }
    return sorted(rows, key=keys.get(sort, keys["routes"]))


def popular_pairs(
    summaries: list[ModelSummary], count: int = 12, in_site: set[str] | None = None, per_model: int = 2
) -> list[tuple[ModelSummary, ModelSummary]]:
    """Comparisons people look for first, chosen for variety: among the widely offered models, pairs
    from different makers, each model in at most `per_model` of them."""
    eligible = [m for m in summaries if in_site is None or m.id in in_site]
    top = sorted(eligible, key=lambda m: (-m.routes, m.id))[: count * 3]
    used: Counter[str] = Counter()
    chosen = []
    for a, b in sorted(combinations(top, 2), key=lambda p: (-(p[0].routes + p[1].routes), p[0].id, p[1].id)):
        if a.creator != b.creator and used[a.id] < per_model and used[b.id] < per_model:
            chosen.append((a, b))
            used.update([a.id, b.id])
            if len(chosen) == count:
                break
    return chosen


def home_context(
    catalog: CatalogService,
    comparisons: ComparisonService,
    urls: Urls,
    query: str = "",
    capability: str = "",
    live: bool = True,
    in_site: set[str] | None = None,
    sort: str = "routes",
) -> dict[str, Any]:
    summaries = catalog.summaries()
    eligible = [m for m in summaries if in_site is None or m.id in in_site]
    wanted = [capability] if capability in CAPABILITIES else []
    if query or capability:
        shown = search_models(eligible, query, wanted)[:HOME_ROWS]
    else:
        shown = sorted(eligible, key=lambda m: (-m.routes, m.id))[:HOME_ROWS]
    profile = TrafficProfile()
    rows = _sorted_rows(model_rows(comparisons, shown, urls, profile), sort)
    count = len(eligible)
    return {
        "title": "Compare LLMs for production",
        "description": describe(
            f"Compare {count:,} LLMs side by side: monthly cost at your traffic, every provider route and price, "
            "context windows and capabilities."
        ),
        "query": query,
        "capability": capability,
        "capabilities": [(c, CAPABILITY_LABELS[c]) for c in CAPABILITIES],
        "rows": rows,
        "sort": sort if sort in HOME_SORTS else "routes",
        "profile_text": f"{profile.requests:,} requests × {profile.input_tokens:,} in + {profile.output_tokens:,} out",
        "key_capabilities": list(KEY_CAPABILITIES.values()),
        "popular": [
            {"names": [a.name, b.name], "url": urls.compare([a.id, b.id])}
            for a, b in popular_pairs(summaries, in_site=in_site)
        ],
        "model_count": count,
        "live": live,
        "urls": urls,
        "canonical": urls.home(),
    }


def model_context(
    catalog: CatalogService,
    model: Model,
    urls: Urls,
    sort: str = "price",
    offerings: list[Offering] | None = None,
    price_history: Markup | None = None,
) -> dict[str, Any]:
    """A model's specs, capabilities and every route; `offerings` when the caller has read them already,
    and its price history chart when there is one (`price_history_chart`)."""
    offerings = offerings if offerings is not None else catalog.routes(model.id)
    providers = catalog.providers_by_id
    ordered = (
        sorted(offerings, key=route_sort_key)
        if sort == "price"
        else sorted(offerings, key=lambda o: (providers[o.provider_id].name.lower(), o.provider_model_id))
    )
    paid = [o for o in offerings if o.is_production and o.price.output is not None]
    cheapest = min((o.price.output for o in paid if o.price.output is not None), default=None)
    description = (
        f"{model.name} by {model.creator_name or model.creator}: {tokens(model.context_window)} context, "
        f"{len(offerings)} provider routes"
        + (f", output from {per_million(cheapest)}" if cheapest is not None else "")
        + ". Prices, capabilities and comparisons."
    )
    return {
        "model": model,
        "title": model.name,
        "description": describe(description),
        "routes": [_route_row(o, providers, urls) for o in ordered],
        "capabilities": [
            (CAPABILITY_LABELS[c], model.capabilities.get(c), capability_text(model, c)) for c in CAPABILITIES
        ],
        "sort": sort,
        "price_history": price_history,
        "urls": urls,
        "canonical": urls.model(model.id),
    }


def price_history_chart(
    catalog: CatalogService, history: HistoryService, model: Model, offerings: list[Offering], today: date
) -> Markup | None:
    """The model page's chart of every price its routes (`offerings`, all of them) have had (None before
    any is recorded), each route drawn from the source that prices it in the catalog."""
    from versus.analysis.price_history import price_sources
    from versus.web.feature_pages import price_history_fragment

    names = {p: v.name for p, v in catalog.providers_by_id.items()}
    intervals = history.intervals(model.id, offerings=offerings)
    return price_history_fragment(model.name, intervals, price_sources(offerings), names, today)


def _route_row(o: Offering, providers: dict[str, Provider], urls: Urls) -> dict[str, Any]:
    provider = providers[o.provider_id]
    return {
        "provider": provider.name,
        "provider_url": urls.provider(provider.id),
        "model_id": o.provider_model_id,
        "route_class": o.route_class.value,
        "flags": o.flags,
        "kind": o.kind.value,
        "input": o.price.input,
        "output": o.price.output,
        "cache_read": o.price.cache_read,
        "cache_write": o.price.cache_write,
        "context": o.context_window,
        "source": o.price_provenance,
    }


def provider_context(
    catalog: CatalogService,
    provider: Provider,
    urls: Urls,
    in_site: set[str] | None = None,
    names: dict[str, str] | None = None,
    offerings: list[Offering] | None = None,
) -> dict[str, Any]:
    """A provider's routes; on a static site, models outside it are named but not linked. `names`
    (model id -> name) and `offerings` (the provider's routes) save reads when many pages are built."""
    offerings = sorted(
        offerings if offerings is not None else catalog.routes(provider_id=provider.id), key=route_sort_key
    )
    names = names if names is not None else {m.id: m.name for m in catalog.summaries()}
    return {
        "provider": provider,
        "title": provider.name,
        "description": describe(
            f"{provider.name} ({provider.route_class.value}): {len(offerings)} model routes with input and output "
            "prices per 1M tokens and context windows."
        ),
        "routes": [
            {
                "model": names.get(o.model_id, o.model_id),
                "model_url": urls.model(o.model_id) if in_site is None or o.model_id in in_site else None,
                "model_id": o.provider_model_id,
                "kind": o.kind.value,
                "input": o.price.input,
                "output": o.price.output,
                "context": o.context_window,
            }
            for o in offerings
        ],
        "urls": urls,
        "canonical": urls.provider(provider.id),
    }


def not_found_context(
    urls: Urls, message: str, suggestions: list[str], popular: list[dict[str, Any]], status: int = 404
) -> dict[str, Any]:
    titles = {404: "Page not found", 405: "Method not allowed"}
    return {
        "title": titles.get(status, "Bad request"),
        "description": "This page does not exist on llm-versus: search the models or pick a popular comparison.",
        "message": message,
        "suggestions": suggestions,
        "popular": popular,
        "urls": urls,
        "canonical": None,
        "status": status,
    }
