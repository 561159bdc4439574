"""The tables of a comparison as plain rows of text, shared by the Markdown, terminal and HTML views."""

from __future__ import annotations

from decimal import Decimal

from versus.analysis.compare import Comparison, ModelSide, PriceStanding, RouteView
from versus.catalog.types import CAPABILITY_LABELS
from versus.formats import UNKNOWN, billions, per_million, ratio, share, tokens, usd, yes_no
from versus.render.benchmarks import quality_table, shared_row
from versus.render.evidence import evidence_table, percent
from versus.render.price_changes import last_change_cell
from versus.render.prose import cheapest_route_text
from versus.render.tabledata import TableData


def _names(c: Comparison) -> list[str]:
    return [m.name for m in c.models]


def _by_model(c: Comparison, label: str, cell: object) -> list[str]:
    return [label, *[cell(m) for m in c.models]]  # type: ignore[operator]


Value = Decimal | int | None


def _best(values: list[Value], *, higher: bool) -> set[int]:
    """Columns (1-based, after the row label) holding the best of two or more known, unequal values."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or len(set(known)) == 1:
        return set()
    best = max(known) if higher else min(known)
    return {i for i, v in enumerate(values, start=1) if v == best}


def _winners(rows: dict[int, list[Value]], higher: set[int]) -> frozenset[tuple[int, int]]:
    """Winning cells of the rows given as {row index: per-model values}; rows in `higher` prefer more."""
    return frozenset((r, col) for r, values in rows.items() for col in _best(values, higher=r in higher))


def scorecard(c: Comparison) -> TableData:
    rows = [
        _by_model(c, "Best for", lambda m: m.best_for.label),
        _by_model(c, "Decision fit", lambda m: ", ".join(t.label for t in m.tags) or "—"),
        _by_model(c, "Context window", lambda m: tokens(m.context_window)),
        _by_model(c, "Output price", lambda m: per_million(m.output_price.price) if m.output_price else UNKNOWN),
        _by_model(c, "Monthly cost", lambda m: usd(m.cost.monthly) if m.cost else UNKNOWN),
        _by_model(c, "Provider routes", _route_counts),
    ]
    # Rows with nothing to say for any model are left out, not shown empty.
    if c.benchmarks:
        rows.append(_by_model(c, "Shared benchmarks", lambda m: _shared_cell(c, m)))
    if c.evidence:
        rows.append(_by_model(c, "Local evidence", lambda m: _evidence_cell(c, m.id)))
    winners = _winners(
        {
            2: [m.context_window for m in c.models],
            3: [m.output_price.price if m.output_price else None for m in c.models],
            4: [m.cost.monthly if m.cost else None for m in c.models],
            5: [len(m.production_routes) for m in c.models],
        },
        higher={2, 5},
    )
    return TableData("Decision scorecard", ["Signal", *_names(c)], rows, winners=winners)


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
    best = _best([m.cost.monthly if m.cost else None for m in c.models], higher=False)
    winners = frozenset((col - 1, 2) for col in best)
    return TableData("Monthly cost at traffic", header, rows, numeric=(2, 3, 4), winners=winners)


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
    winners = _winners({1: [m.context_window for m in c.models], 2: [m.max_output for m in c.models]}, higher={1, 2})
    return TableData("Specs", ["Specification", *_names(c)], rows, winners=winners)


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
    if any(m.last_price_change for m in c.models):  # a row only where price history has something to say
        rows.append(_by_model(c, LAST_CHANGE_LABEL, last_change_cell))

    def price(standing: PriceStanding | None) -> Decimal | None:
        return standing.price if standing else None

    winners = _winners(
        {
            0: [price(m.input_price) for m in c.models],
            2: [price(m.output_price) for m in c.models],
            4: [price(m.blended) for m in c.models],
            6: [len(m.production_routes) for m in c.models],
        },
        higher={6},
    )
    return TableData("Pricing and availability", ["Pricing (USD per 1M tokens)", *_names(c)], rows, winners=winners)


LAST_CHANGE_LABEL = "Last price change (basis route)"


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


ROUTE_HEADER = ["Provider", "Class", "Model id", "Kind", "Input", "Output", "Cache read", "Cache write", "Batch in/out"]
ROUTE_HEADER += ["Context", "Flags"]
TOP_ROUTES = 5  # the cheapest routes a comparison shows besides the basis and the cheapest
SHARED_ROUTES = 3  # and at most this many more on providers every compared model shares


def routes(m: ModelSide, limit: int | None = None) -> TableData:
    """Every route of a model (the first `limit` when given): the basis route first and marked."""
    listed = [*m.production_routes, *m.other_routes]
    rows = [_route_row(r) for r in listed[:limit]]
    return TableData(f"{m.name}: every route", ROUTE_HEADER, rows, numeric=(4, 5, 6, 7, 8, 9))


def key_route_indexes(m: ModelSide, shared_providers: list[str]) -> list[int]:
    """Positions in `m.production_routes` of the routes `key_routes` shows (also a cache key for them)."""
    cheapest = m.cheapest_route.route if m.cheapest_route else None
    cheapest_key = (cheapest.provider_id, cheapest.provider_model_id) if cheapest else None
    shared = set(shared_providers)
    chosen, on_shared = [], 0
    for i, r in enumerate(m.production_routes):
        shown_as_shared = on_shared < SHARED_ROUTES and r.provider_name in shared  # the first few such
        on_shared += shown_as_shared
        if r.is_basis or i <= TOP_ROUTES or shown_as_shared or (r.provider_id, r.provider_model_id) == cheapest_key:
            chosen.append(i)
    return chosen


def key_routes(m: ModelSide, shared_providers: list[str]) -> TableData:
    """The routes that matter in a comparison: the basis, the cheapest, the cheapest few, and the cheapest
    few on providers every compared model shares (where an A/B test starts); the model's page lists the rest."""
    chosen = [m.production_routes[i] for i in key_route_indexes(m, shared_providers)]
    total = len(m.production_routes) + len(m.other_routes)
    title = f"{m.name}: every route" if len(chosen) == total else f"{m.name}: {len(chosen)} of {total} routes"
    return TableData(title, ROUTE_HEADER, [_route_row(r) for r in chosen], numeric=(4, 5, 6, 7, 8, 9))


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
    winners = set()
    for r, name in enumerate(c.capability_names):
        values = [m.capabilities.get(name) for m in c.models]
        if True in values and False in values:  # a Yes wins only against a No, never against Unknown
            winners |= {(r, col) for col, value in enumerate(values, start=1) if value}
    return TableData("Capabilities", ["Capability", *_names(c)], rows, winners=frozenset(winners))


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
    winners = frozenset((r, ids.index(b.leader) + 1) for r, b in enumerate(c.benchmarks) if b.leader)
    return TableData("Benchmarks", header, rows, winners=winners)


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
