"""Page contexts of the changes, leaderboard and pick pages: plain values in (changes as `versus changes`
lists them, a `QualityChart`, a `PickResult` and the form that asked for it), what the template needs out.
No store and no service here: the route reads, this arranges, the template shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from versus.analysis.pick import PickEntry, PickResult
from versus.analysis.price_history import TokenPrices, route_timelines
from versus.analysis.quality import QualityChart
from versus.catalog.types import CAPABILITIES, CAPABILITY_LABELS
from versus.formats import UNKNOWN, usd
from versus.render.benchmarks import FRONTIER_MARK, frontier_line, interval_text, score_text, traffic_text, value_text
from versus.render.charts import price_history_figure, quality_figure
from versus.render.pick import pick_lines
from versus.render.price_changes import KIND_LABELS, change_title, prices_text
from versus.web.render import CALCULATOR_FIELDS, Urls

if TYPE_CHECKING:
    from versus.catalog.types import ChangeRow
    from versus.web.feature_forms import LeaderboardForm, PickForm

MAX_CHANGES_SHOWN = 1000  # rows on one changes page; the feed and `versus changes --since` reach further
LEADERBOARD_ROWS = 100


def _describe(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --- price history (a fragment of the model page) -----------------------------------------------------


def price_history_fragment(
    model_name: str,
    intervals: Sequence[Any],
    price_sources: Mapping[tuple[str, str], str],
    provider_names: Mapping[str, str],
    today: date,
    *,
    element_id: str = "price-history",
) -> Markup | None:
    """The model page's price history chart (`HistoryService.intervals` and
    `analysis.price_history.price_sources` give its inputs); None when nothing is recorded."""
    timelines = route_timelines(intervals, provider_names, price_sources)
    if not timelines:
        return None
    return Markup(price_history_figure(timelines, today, model_name=model_name, id_prefix=element_id))


# --- changes -----------------------------------------------------------------------------------------


def changes_context(
    changes: Sequence[ChangeRow],
    urls: Urls,
    *,
    model_names: Mapping[str, str],
    provider_names: Mapping[str, str],
    kind: str = "",
    provider: str = "",
    feed_url: str = "/changes.atom",
    today: date | None = None,
    limit: int = MAX_CHANGES_SHOWN,
    in_site: Callable[[str], bool] = lambda _id: True,
) -> dict[str, Any]:
    """What changes.html needs: the changes (newest first) grouped by date, filtered by kind and
    provider; dates after `today` (prices a source states ahead) are marked scheduled. An unknown
    kind or provider is an error beside its filter, and the filter is ignored."""
    errors = {}
    if kind and kind not in KIND_LABELS:
        errors["kind"] = f"unknown kind {kind[:40]!r}; choose {', '.join(KIND_LABELS)}"
        kind = ""
    present = sorted({c.provider for c in changes if c.provider}, key=lambda p: provider_names.get(p, p).lower())
    if provider and provider not in provider_names and provider not in present:
        errors["provider"] = f"unknown provider {provider[:60]!r}"
        provider = ""
    chosen = [c for c in changes if (not kind or c.kind == kind) and (not provider or c.provider == provider)]
    shown = chosen[:limit]
    groups = [
        {
            "date": day.isoformat(),
            "scheduled": today is not None and day > today,
            "rows": [_change_row(c, urls, model_names, provider_names, in_site) for c in rows],
        }
        for day, rows in groupby(sorted(shown, key=lambda c: c.date, reverse=True), key=lambda c: c.date)
    ]
    what = KIND_LABELS[kind].lower() if kind else "changes"
    where = f" on {provider_names.get(provider, provider)}" if provider else ""
    return {
        "title": f"What changed: {what}{where}" if kind or provider else "What changed in the catalog",
        "description": _describe(
            f"{len(chosen):,} catalog {what}{where}: new models, new and removed provider routes and price "
            "changes, newest first, with their source and date."
        ),
        "canonical": urls.changes(),
        "urls": urls,
        "groups": groups,
        "count": len(chosen),
        "shown": len(shown),
        "kinds": [(value, label, value == kind) for value, label in KIND_LABELS.items()],
        "providers": [(p, provider_names.get(p, p), p == provider) for p in present],
        "kind": kind,
        "provider": provider,
        "errors": errors,
        "status": 400 if errors else 200,
        "feed_url": feed_url,
    }


def _change_row(
    c: ChangeRow,
    urls: Urls,
    model_names: Mapping[str, str],
    provider_names: Mapping[str, str],
    in_site: Callable[[str], bool],
) -> dict[str, Any]:
    name = model_names.get(c.model, c.model)
    provider = provider_names.get(c.provider, c.provider) if c.provider else None
    old = prices_text(_pair(c.old)) if c.old else UNKNOWN
    new = prices_text(_pair(c.new)) if c.new else UNKNOWN
    return {
        "kind": c.kind,
        "kind_label": KIND_LABELS.get(c.kind, c.kind),
        "title": change_title(c, name, provider),
        "model": name,
        "model_url": urls.model(c.model) if c.model in model_names and in_site(c.model) else None,
        "route": f"{provider} · {c.provider_model_id}" if provider and c.provider_model_id else provider or UNKNOWN,
        "old": old,
        "new": new,
        "source": c.source,
    }


def _pair(prices: Mapping[str, Any] | None) -> TokenPrices | None:
    return None if prices is None else TokenPrices(prices.get("input"), prices.get("output"))


# --- leaderboard -------------------------------------------------------------------------------------


def leaderboard_context(
    chart: QualityChart | None,
    urls: Urls,
    *,
    form: LeaderboardForm,
    policy: str,
    benchmarks: Sequence[str] = (),
    in_site: Callable[[str], bool] = lambda _id: True,
    limit: int = LEADERBOARD_ROWS,
) -> dict[str, Any]:
    """What leaderboard.html needs: the ranking with monthly cost and score per $1,000 (the first
    `limit` rows), the quality-per-dollar chart, and the form; without a chart, the form and its errors."""
    profile = form.profile
    heading = f"Leaderboard: {chart.label}" if chart else "Leaderboard"
    rows = []
    if chart is not None:
        frontier = set(chart.frontier)
        for rank, p in enumerate(chart.points[:limit], start=1):
            rows.append(
                {
                    "rank": rank,
                    "name": p.name,
                    "url": urls.model(p.model_id) if in_site(p.model_id) else None,
                    "score": score_text(p.score),
                    "interval": interval_text(p.ci_low, p.ci_high),
                    "setting": p.setting or "default",
                    "monthly": usd(p.monthly),
                    "monthly_value": p.monthly,
                    "value": value_text(p.value),
                    "frontier": FRONTIER_MARK if p.model_id in frontier else "",
                }
            )
    lines = [f"Monthly cost at {traffic_text(profile)}, priced on {policy}."]
    if chart is not None:
        lines.append(frontier_line(chart))
    return {
        "title": heading,
        "description": _describe(
            f"{chart.label}: every model's score beside its monthly cost at your traffic, score per $1,000 "
            "and the Pareto frontier of quality per dollar."
            if chart
            else "Rank models on a benchmark beside their monthly cost at your traffic."
        ),
        "canonical": urls.leaderboard(),
        "urls": urls,
        "chart": Markup(quality_figure(chart, id_prefix="leaderboard")) if chart else None,
        "rows": rows,
        "count": len(chart.points) if chart else 0,
        "lines": lines,
        "traffic": _form_fields(form.values, form.errors),
        "values": form.values,
        "errors": form.errors,
        "benchmarks": list(benchmarks),
        "status": 400 if form.errors else 200,
    }


def _form_fields(values: Mapping[str, Any], errors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The traffic fields, labelled as the compare page's calculator labels them."""
    return [
        {"name": name, "label": label, "hint": hint, "value": values.get(name, ""), "error": errors.get(name)}
        for name, label, hint in CALCULATOR_FIELDS
    ]


# --- pick --------------------------------------------------------------------------------------------


def pick_context(
    result: PickResult | None, urls: Urls, *, form: PickForm, in_site: Callable[[str], bool] = lambda _id: True
) -> dict[str, Any]:
    """What pick.html needs: the form as typed with each bad field's message beside it, and when the
    request was good, the shortlist, the closest misses and what kept models out."""
    values = form.values
    return {
        "title": "Pick a model",
        "description": _describe(
            "Shortlist LLMs that meet your constraints, capabilities, context, license, budget and benchmark "
            "scores, ranked by cost, score or score per dollar at your traffic."
        ),
        "canonical": urls.pick(),
        "urls": urls,
        "values": values,
        "errors": form.errors,
        "traffic": _form_fields(values, form.errors),
        "capabilities": [
            (c, CAPABILITY_LABELS[c], c in {n.strip() for n in str(values.get("needs", "")).split(",")})
            for c in CAPABILITIES
        ],
        "result": result,
        "lines": pick_lines(result, form.profile) if result else [],
        "shortlist": [_pick_row(e, urls, in_site) for e in result.shortlist] if result else [],
        "misses": [_pick_row(e, urls, in_site) for e in result.excluded] if result else [],
        "exclusions": [(c.constraint, f"{c.models:,}") for c in result.exclusion_counts] if result else [],
        "with_score": bool(result and result.benchmark),
        "status": 400 if form.errors else 200,
    }


def _pick_row(e: PickEntry, urls: Urls, in_site: Callable[[str], bool]) -> dict[str, Any]:
    return {
        "rank": e.rank,
        "name": e.name,
        "url": urls.model(e.model_id) if in_site(e.model_id) else None,
        "monthly": usd(e.monthly),
        "route": e.route or UNKNOWN,
        "score": (score_text(e.score) + (f" ({e.setting})" if e.setting else "")) if e.score is not None else UNKNOWN,
        "value": value_text(e.value),
        "reasons": e.reasons[1:] if e.rank else e.reasons,
    }
