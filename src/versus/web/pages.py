"""Page contexts: what each template gets. The app, its API and the static site build from these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from markupsafe import Markup

from versus.analysis.compare import Comparison, ModelSide
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.lookup import search_models
from versus.catalog.store import CatalogStore, ModelSummary
from versus.catalog.types import CAPABILITIES, CAPABILITY_LABELS, Model, Offering, Provider
from versus.formats import share
from versus.render import faq, prose, tables
from versus.render.catalog import capability_text, route_sort_key
from versus.render.markdown import EVIDENCE_NOTE, EVIDENCE_SECTION, SECTIONS
from versus.service import ComparisonService
from versus.web.chart import cost_chart
from versus.web.render import Urls, table_html

SECTION_IDS = {name: name.lower().replace(" ", "-") for name in (*SECTIONS, EVIDENCE_SECTION)}


def compare_context(
    service: ComparisonService,
    model_ids: list[str],
    profile: TrafficProfile,
    blend: Blend,
    today: date,
    urls: Urls,
    *,
    live: bool,
    in_site: Callable[[list[str]], bool] = lambda _ids: True,
) -> dict[str, Any]:
    c = service.compare(model_ids, profile, blend, today)
    return {
        "c": c,
        "title": prose.title(c),
        "intro": prose.intro(c),
        "headline": prose.headline(c),
        "sections": SECTION_IDS,
        "scorecard": tables.scorecard(c),
        "tradeoffs": prose.tradeoffs(c),
        "profile_sentence": prose.profile_sentence(c),
        "profile_table": tables.profile(c),
        "costs": tables.costs(c),
        "cost_lines": prose.cost_lines(c),
        "chart": Markup(cost_chart(c)),
        "friction": prose.friction_lines(c),
        "specs": tables.specs(c),
        "pricing": tables.pricing(c),
        "routes": [_routes_fragment(service, m) for m in c.models],
        "capabilities": tables.capabilities(c),
        "benchmarks_text": prose.benchmarks_text(c),
        "benchmarks": tables.benchmarks(c),
        "evidence": tables.evidence(c),
        "evidence_lines": prose.evidence_lines(c),
        "evidence_note": EVIDENCE_NOTE,
        "deep_dive": prose.deep_dive(c),
        "faq": faq.faq(c),
        "related": [
            {"names": r.names, "reason": r.reason, "url": urls.compare(r.model_ids)}
            for r in c.related
            if in_site(r.model_ids)
        ],
        "reviewed": prose.reviewed_line(c),
        "model_links": [(m.name, urls.model(m.id)) for m in c.models],
        "canonical": urls.compare(model_ids),
        "form": _form_values(c, blend),
        "live": live,
        "urls": urls,
        "faq_jsonld": faq_json_ld(c),
    }


def _routes_fragment(service: ComparisonService, side: ModelSide) -> dict[str, Any]:
    basis = side.cost.route if side.cost else None
    key = (side.id, f"routes:{basis.provider_id}:{basis.provider_model_id}" if basis else "routes")
    if key not in service.fragments:
        data = tables.routes(side)
        service.fragments[key] = {"title": data.title, "count": len(data.rows), "html": table_html(data)}
    fragment: dict[str, Any] = service.fragments[key]  # type: ignore[assignment]
    return fragment


def _form_values(c: Comparison, blend: Blend) -> dict[str, str]:
    p = c.profile
    return {
        "requests": str(p.requests),
        "input_tokens": str(p.input_tokens),
        "output_tokens": str(p.output_tokens),
        "cache_hit": share(p.cache_hit),
        "batch": share(p.batch_share),
        "blend": blend.label,
    }


def faq_json_ld(c: Comparison) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in faq.faq(c)
        ],
    }


def model_context(store: CatalogStore, model: Model, urls: Urls, sort: str = "price") -> dict[str, Any]:
    offerings = store.offerings(model.id)
    providers = {p.id: p for p, _ in store.providers()}
    ordered = (
        sorted(offerings, key=route_sort_key)
        if sort == "price"
        else sorted(offerings, key=lambda o: (providers[o.provider_id].name.lower(), o.provider_model_id))
    )
    return {
        "model": model,
        "title": model.name,
        "routes": [_route_row(o, providers, urls) for o in ordered],
        "capabilities": [
            (CAPABILITY_LABELS[c], model.capabilities.get(c), capability_text(model, c)) for c in CAPABILITIES
        ],
        "sort": sort,
        "urls": urls,
        "canonical": urls.model(model.id),
    }


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
    store: CatalogStore, provider: Provider, urls: Urls, in_site: set[str] | None = None
) -> dict[str, Any]:
    """A provider's routes; on a static site, models outside it are named but not linked."""
    offerings = sorted(store.offerings(provider_id=provider.id), key=route_sort_key)
    names = {m.id: m.name for m in store.summaries()}
    return {
        "provider": provider,
        "title": provider.name,
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


def popular_pairs(
    summaries: list[ModelSummary], count: int = 12, in_site: set[str] | None = None
) -> list[tuple[ModelSummary, ModelSummary]]:
    """Pairs among the most widely offered models: the comparisons people look for first."""
    eligible = [m for m in summaries if in_site is None or m.id in in_site]
    top = sorted(eligible, key=lambda m: (-m.routes, m.id))[:8]
    pairs = [(a, b) for i, a in enumerate(top) for b in top[i + 1 :]]
    return pairs[:count]


def home_context(
    store: CatalogStore,
    urls: Urls,
    query: str = "",
    capability: str = "",
    live: bool = True,
    in_site: set[str] | None = None,
) -> dict[str, Any]:
    summaries = store.summaries()
    wanted = [capability] if capability in CAPABILITIES else []
    results = search_models(summaries, query, wanted)[:50] if (query or capability) else []
    return {
        "title": "Compare LLMs for production",
        "query": query,
        "capability": capability,
        "capabilities": [(c, CAPABILITY_LABELS[c]) for c in CAPABILITIES],
        "results": results,
        "popular": [
            {"names": [a.name, b.name], "url": urls.compare([a.id, b.id])}
            for a, b in popular_pairs(summaries, in_site=in_site)
        ],
        "model_count": len(summaries),
        "live": live,
        "urls": urls,
        "canonical": urls.home(),
    }
