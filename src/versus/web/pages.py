"""Page contexts: what each template gets. The app, its API and the static site build from these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from versus.analysis.compare import Comparison, ModelSide, RouteView
from versus.analysis.decision import context_misfits, cost_cards
from versus.analysis.traffic import Blend, TrafficProfile
from versus.formats import share, usd
from versus.render import decision, faq, prose, tables
from versus.render.charts import quality_figure
from versus.render.markdown import EVIDENCE_NOTE, EVIDENCE_SECTION, SECTIONS
from versus.render.prose import cheapest_route_text
from versus.services.comparison import ComparisonService
from versus.web.chart import cost_bars
from versus.web.render import Urls, table_html

if TYPE_CHECKING:  # fastapi (~0.5 s to import) is no part of a static site build
    from versus.web.query import TrafficForm

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
    form: TrafficForm | None = None,
) -> dict[str, Any]:
    """What compare.html needs: the one Comparison in every view's words, the decision header first."""
    c = service.compare(model_ids, profile, blend, today)
    headline = prose.headline(c)
    answers = faq.faq(c)
    canonical = urls.compare(model_ids)
    return {
        "c": c,
        "title": prose.title(c),
        "description": describe(_cost_summary(c) + " " + headline),
        "intro": prose.intro(c),
        "headline": headline,
        "sections": SECTION_IDS,
        "cards": _cards(c, urls),
        "differences": decision.differences(c),
        "scorecard": tables.scorecard(c),
        "tradeoffs": prose.tradeoffs(c),
        "profile_sentence": prose.profile_sentence(c),
        "profile_table": tables.profile(c),
        "costs": tables.costs(c),
        "cost_lines": prose.cost_lines(c),
        "chart": Markup(cost_bars(c)),
        "friction": prose.friction_lines(c),
        "specs": tables.specs(c),
        "pricing": tables.pricing(c),
        "routes": [_routes_fragment(service, m, c.shared_providers, urls) for m in c.models],
        "capabilities": tables.capabilities(c),
        "benchmarks_text": prose.benchmarks_text(c),
        "benchmarks": tables.benchmarks(c),
        "quality_chart": Markup(quality_figure(c.quality, id_prefix="qc")) if c.quality is not None else None,
        "evidence": tables.evidence(c),
        "evidence_lines": prose.evidence_lines(c),
        "evidence_note": EVIDENCE_NOTE,
        "deep_dive": prose.deep_dive(c),
        "faq": answers,
        "related": [
            {"names": r.names, "reason": r.reason, "url": urls.compare(r.model_ids)}
            for r in c.related
            if in_site(r.model_ids)
        ],
        "reviewed": prose.reviewed_line(c),
        "model_links": [(m.name, urls.model(m.id)) for m in c.models],
        "canonical": canonical,
        "form": _form(c, blend, form),
        "action": canonical.split("?")[0],
        "hidden_models": ",".join(sorted(model_ids)) if len(model_ids) > 2 else "",
        "live": live,
        "prices": _embedded_prices(service, c) if not live else None,
        "urls": urls,
        "faq_jsonld": faq_json_ld(answers),
    }


def describe(text: str, limit: int = 160) -> str:
    """A meta description: at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _cost_summary(c: Comparison) -> str:
    costs = "; ".join(f"{m.name} {usd(m.cost.monthly)}" for m in c.models if m.cost)
    return f"Monthly cost at {c.profile.requests:,} requests: {costs}." if costs else ""


def _cards(c: Comparison, urls: Urls) -> list[dict[str, Any]]:
    warnings = {w.model_id for w in context_misfits(c)}
    texts = dict(zip((m.model_id for m in context_misfits(c)), prose.context_warnings(c), strict=True))
    return [
        {
            "id": card.model_id,
            "name": card.name,
            "url": urls.model(card.model_id),
            "monthly": usd(card.monthly) if card.monthly is not None else "—",
            "times": decision.times_text(card),
            "is_cheapest": card.is_cheapest,
            "basis": decision.basis_text(c.side(card.model_id)),
            "cheapest_route": cheapest_route_text(c.side(card.model_id)),
            "warning": texts[card.model_id] if card.model_id in warnings else None,
        }
        for card in cost_cards(c)
    ]


def _routes_fragment(service: ComparisonService, side: ModelSide, shared: list[str], urls: Urls) -> dict[str, Any]:
    """The routes that matter for one model, rendered once per model, basis and shared providers."""
    basis = side.cost.route if side.cost else None
    cheapest = side.cheapest_route.route if side.cheapest_route else None
    # Which routes show depends on these alone; a site meets each model ~100 times, with few providers shared.
    where = (side.id, "route indexes", *_route_key(basis), *_route_key(cheapest), *shared)
    if where not in service.fragments:
        service.fragments[where] = ",".join(map(str, tables.key_route_indexes(side, shared)))
    shown = service.fragments[where]
    key = (side.id, f"routes:{basis.provider_id}:{basis.provider_model_id}:{shown}" if basis else f"routes:{shown}")
    if key not in service.fragments:
        data = tables.key_routes(side, shared)
        total = len(side.production_routes) + len(side.other_routes)
        service.fragments[key] = {
            "title": data.title,
            "count": len(data.rows),
            "total": total,
            "url": urls.model(side.id),
            "name": side.name,
            "html": table_html(data),
        }
    fragment: dict[str, Any] = service.fragments[key]  # type: ignore[assignment]
    return fragment


def _route_key(route: RouteView | None) -> tuple[str, str]:
    return (route.provider_id, route.provider_model_id) if route else ("", "")


def _form(c: Comparison, blend: Blend, form: TrafficForm | None) -> dict[str, Any]:
    """The calculator's values: as typed when they were refused, else the traffic priced."""
    if form is not None and form.error is not None:
        return {**form.values, "error": form.error.message, "field": form.error.field}
    p = c.profile
    return {
        "requests": f"{p.requests:,}",
        "input_tokens": f"{p.input_tokens:,}",
        "output_tokens": f"{p.output_tokens:,}",
        "cache_hit": share(p.cache_hit),
        "batch": share(p.batch_share),
        "blend": blend.label,
        "error": None,
        "field": None,
    }


def _embedded_prices(service: ComparisonService, c: Comparison) -> list[dict[str, Any]]:
    """Each model's basis route prices, for the static site's calculator to price in the browser."""
    found: list[dict[str, Any]] = []
    for m in c.models:
        if m.cost is None:
            found.append({"id": m.id, "name": m.name, "context": m.context_window, "price": None})
            continue
        route = m.cost.route
        # The same on each of the model's pages at this basis: found once among its routes.
        key = (m.id, "embedded prices", route.provider_id, route.provider_model_id)
        if key not in service.fragments:
            service.fragments[key] = _route_prices(service, m, route)
        prices: dict[str, Any] = service.fragments[key]  # type: ignore[assignment]
        found.append(prices)
    return found


def _route_prices(service: ComparisonService, m: ModelSide, route: RouteView) -> dict[str, Any]:
    offering = next(
        o
        for o in service.model_input(m.id).offerings
        if (o.provider_id, o.provider_model_id) == (route.provider_id, route.provider_model_id)
    )
    p = offering.price
    return {
        "id": m.id,
        "name": m.name,
        "context": m.context_window,
        "price": {
            "input": _num(p.input),
            "output": _num(p.output),
            "cache_read": _num(p.cache_read),
            "batch_input": _num(p.batch_input),
            "batch_output": _num(p.batch_output),
            "batch_cache_read": _num(p.batch_cache_read),
            "tiers": [
                {
                    "above": t.above_tokens,
                    "input": _num(t.input),
                    "output": _num(t.output),
                    "cache_read": _num(t.cache_read),
                }
                for t in p.tiers
            ],
        },
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def faq_json_ld(answers: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in answers
        ],
    }
