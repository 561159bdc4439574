"""The tables of a comparison as plain rows of text, shared by the Markdown, terminal and HTML views."""

from __future__ import annotations

from versus.analysis.compare import Comparison, ModelSide, PriceStanding, RouteView
from versus.catalog.types import CAPABILITY_LABELS
from versus.formats import UNKNOWN, billions, per_million, ratio, share, tokens, usd, yes_no
from versus.render.benchmarks import quality_table, shared_row
from versus.render.evidence import evidence_table, percent
from versus.render.prose import cheapest_route_text
from versus.render.tabledata import TableData


def _names(c: Comparison) -> list[str]:
    return [m.name for m in c.models]


def _by_model(c: Comparison, label: str, cell: object) -> list[str]:
    return [label, *(cell(m) for m in c.models)]  # type: ignore[operator]


def scorecard(c: Comparison) -> TableData:
    rows = [
        _by_model(c, "Best for", lambda m: m.best_for.label),
        _by_model(c, "Decision fit", lambda m: ", ".join(t.label for t in m.tags) or "—"),
        _by_model(c, "Context window", lambda m: tokens(m.context_window)),
        _by_model(c, "Output price", lambda m: per_million(m.output_price.price) if m.output_price else UNKNOWN),
        _by_model(c, "Monthly cost", lambda m: usd(m.cost.monthly) if m.cost else UNKNOWN),
        _by_model(c, "Provider routes", _route_counts),
        _by_model(c, "Shared benchmarks", lambda m: _shared_cell(c, m)),
        _by_model(c, "Local evidence", lambda m: _evidence_cell(c, m.id)),
    ]
    return TableData("Decision scorecard", ["Signal", *_names(c)], rows)


def _evidence_cell(c: Comparison, model_id: str) -> str:
    mine = [e for e in c.evidence if e.model_id == model_id]
    if not mine:
        return "none yet"
    requests = sum(e.requests for e in mine)
    judged = [e for e in mine if e.pass_rate is not None]
    passed = f", best pass rate {percent(max(e.pass_rate or 0 for e in judged))}" if judged else ""
    return f"{_count(len(mine), 'route')} run, {requests} requests{passed}"


def evidence(c: Comparison) -> TableData | None:
    if not c.evidence:
        return None
    return evidence_table(c.evidence)


def _route_counts(m: ModelSide) -> str:
    text = _count(len(m.production_routes), "pay-per-token route")
    if m.other_routes:
        text += f" + {_count(len(m.other_routes), 'other route')} (free, plan or variant)"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def profile(c: Comparison) -> TableData:
    p = c.profile
    rows = [
        ["Requests per month", f"{p.requests:,}"],
        ["Input tokens per request", f"{p.input_tokens:,}"],
        ["Output tokens per request", f"{p.output_tokens:,}"],
        ["Input read from cache", share(p.cache_hit)],
        ["Requests through batch APIs", share(p.batch_share)],
    ]
    return TableData("Traffic profile", ["Traffic", "Value"], rows, numeric=(1,))


def costs(c: Comparison) -> TableData:
    cheapest = c.side(c.cheapest_monthly) if c.cheapest_monthly else None
    rows = []
    for m in c.models:
        if not m.cost:
            rows.append([m.name, "no priced pay-per-token route", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, ""])
            continue
        notes = list(m.cost.standard_rate_parts)
        if m.cost.basis != "the maker's list price":
            notes.insert(0, f"priced on {m.cost.basis}")
        if m.cost.measured_tokens:
            t = m.cost.measured_tokens
            notes.insert(0, f"tokens measured in run {t.run_id}: {t.input_tokens:,} in + {t.output_tokens:,} out")
        if m.cost.tier_above_tokens:
            notes.insert(0, f"tier above {tokens(m.cost.tier_above_tokens)} applied")
        base = cheapest.cost.monthly if cheapest and cheapest.cost else None
        times = "cheapest" if m.id == c.cheapest_monthly else (ratio(m.cost.monthly / base) if base else UNKNOWN)
        route = m.cost.route
        rows.append(
            [
                m.name,
                f"{route.provider_name} · {route.provider_model_id} ({route.class_})",
                usd(m.cost.monthly),
                f"+{usd(m.cost.gap)}" if m.cost.gap else "—",
                times,
                cheapest_route_text(m),
                "; ".join(notes) or "—",
            ]
        )
    header = ["Model", "Priced on", "Monthly cost", "Gap vs cheapest", "× cheapest", "Cheapest route", "Notes"]
    return TableData("Monthly cost at traffic", header, rows, numeric=(2, 3, 4))


def specs(c: Comparison) -> TableData:
    rows = [
        _by_model(c, "Released", lambda m: m.release_date.isoformat() if m.release_date else UNKNOWN),
        _by_model(c, "Context window", lambda m: tokens(m.context_window)),
        _by_model(c, "Max output", lambda m: tokens(m.max_output)),
        _by_model(c, "Parameters", _parameters),
        _by_model(c, "Architecture", lambda m: m.architecture or UNKNOWN),
        _by_model(c, "License", _license),
        _by_model(
            c,
            "Openness",
            lambda m: {"open-weights": "Open weights", "proprietary": "Proprietary"}.get(m.openness or "", UNKNOWN),
        ),
        _by_model(c, "Commercial use", lambda m: (m.commercial_use or UNKNOWN).capitalize()),
        _by_model(c, "Knowledge cutoff", lambda m: m.knowledge_cutoff or UNKNOWN),
    ]
    return TableData("Specs", ["Specification", *_names(c)], rows)


def _parameters(m: ModelSide) -> str:
    text = billions(m.parameters_total_b)
    if m.parameters_active_b is not None:
        text += f" ({billions(m.parameters_active_b)} active)"
    return text


def _license(m: ModelSide) -> str:
    if not m.license_name:
        return UNKNOWN
    return f"{m.license_name} (OSI-approved)" if m.osi_approved else m.license_name


def pricing(c: Comparison) -> TableData:
    rows = [
        _by_model(c, "Input price", lambda m: _price(m.input_price)),
        _by_model(c, "Input vs cheapest", lambda m: _standing(m.input_price)),
        _by_model(c, "Output price", lambda m: _price(m.output_price)),
        _by_model(c, "Output vs cheapest", lambda m: _standing(m.output_price)),
        _by_model(c, f"Blended price ({c.blend})", lambda m: _price(m.blended)),
        _by_model(c, f"Blended vs cheapest ({c.blend})", lambda m: _standing(m.blended)),
        _by_model(c, "Pay-per-token routes", lambda m: str(len(m.production_routes))),
        _by_model(c, "Free, trial, plan and variant routes", lambda m: str(len(m.other_routes))),
    ]
    return TableData("Pricing and availability", ["Pricing (USD per 1M tokens)", *_names(c)], rows)


def _price(standing: PriceStanding | None) -> str:
    if standing is None:
        return UNKNOWN
    return f"{per_million(standing.price)} ({standing.route.provider_name})"


def _standing(standing: PriceStanding | None) -> str:
    if standing is None:
        return UNKNOWN
    if not standing.delta:
        return "cheapest"
    return f"{ratio(standing.ratio)} · +{per_million(standing.delta)}"


def routes(m: ModelSide, limit: int | None = None) -> TableData:
    """Every route of a model (the first `limit` when given): the basis route first and marked."""
    listed = [*m.production_routes, *m.other_routes]
    rows = [_route_row(r) for r in listed[:limit]]
    header = ["Provider", "Class", "Model id", "Kind", "Input", "Output", "Cache read", "Cache write", "Batch in/out"]
    header += ["Context", "Flags"]
    return TableData(f"{m.name}: every route", header, rows, numeric=(4, 5, 6, 7, 8, 9))


def _route_row(r: RouteView) -> list[str]:
    batch = (
        f"{per_million(r.batch_input)} / {per_million(r.batch_output)}"
        if r.batch_input is not None or r.batch_output is not None
        else UNKNOWN
    )
    model_id = r.provider_model_id
    if r.tier_thresholds:
        model_id += f" (tiers above {', '.join(tokens(t) for t in r.tier_thresholds)})"
    return [
        f"{r.provider_name} (basis)" if r.is_basis else r.provider_name,
        r.class_,
        model_id,
        r.kind,
        per_million(r.input),
        per_million(r.output),
        per_million(r.cache_read),
        per_million(r.cache_write),
        batch,
        tokens(r.context_window),
        "; ".join(f"{f.flag}: {f.reason}" for f in r.flags) or "—",
    ]


def capabilities(c: Comparison) -> TableData:
    rows = [_by_model(c, CAPABILITY_LABELS[name], lambda m, n=name: capability(m, n)) for name in c.capability_names]
    return TableData("Capabilities", ["Capability", *_names(c)], rows)


def capability(m: ModelSide, name: str) -> str:
    """Yes, No, Unknown, or 'Varies by route (yes on 4 of 6)' when routes disagree and no maker settles it."""
    support = m.capability_support.get(name)
    if support and support["varies"]:
        return f"Varies by route (yes on {support['yes']} of {support['yes'] + support['no']})"
    return yes_no(m.capabilities.get(name))


def benchmarks(c: Comparison) -> TableData | None:
    """The shared benchmarks side by side: scores with their 95 % intervals, who leads (or a tie), the
    settings (each model's when they differ), dates and source."""
    if not c.benchmarks:
        return None
    names = {m.id: m.name for m in c.models}
    ids = [m.id for m in c.models]
    rows = [shared_row(b, ids, names) for b in c.benchmarks]
    header = ["Benchmark", *_names(c), "Leader", "Setting", "Date", "Source"]
    return TableData("Benchmarks", header, rows)


def quality(c: Comparison) -> TableData | None:
    """The first shared benchmark's score against each model's monthly cost, frontier marked."""
    if c.quality is None:
        return None
    return quality_table(c.quality, title=f"Quality per dollar: {c.quality.label}")


def _shared_cell(c: Comparison, m: ModelSide) -> str:
    if not c.benchmarks:
        return "0 shared"
    distinct = len({(b.source, b.benchmark) for b in c.benchmarks})
    leads = sum(1 for b in c.benchmarks if b.leader == m.id)
    return f"{_count(len(c.benchmarks), 'score')} on {_count(distinct, 'benchmark')}; leads {leads}"
