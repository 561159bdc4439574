"""Every sentence of a comparison, from small functions over the Comparison value.

Numbers are written with the same formatters the tables use, from the same fields, so each
number in the prose is a number in a table (tests/test_compare_consistency.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from versus.analysis.compare import Comparison, ModelSide
from versus.analysis.decision import context_misfits
from versus.catalog.types import CAPABILITY_LABELS
from versus.formats import per_million, ratio, share, tokens, usd
from versus.render.evidence import millis, percent

# --- small helpers --------------------------------------------------------------------------------


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capability_list(names: Sequence[str]) -> str:
    return join([CAPABILITY_LABELS[n].lower() for n in names])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def on_basis(c: Comparison) -> str:
    """Where the compared prices come from, in a few words: 'at the makers' list prices', …"""
    rules = {m.cost.basis for m in c.models if m.cost}
    if rules == {"the maker's list price"}:
        return "at the makers' list prices" if len(c.models) > 1 else "at the maker's list price"
    if c.policy.basis == "cheapest":
        return "on the cheapest routes"
    return "on the routes each is priced on"


def title(c: Comparison) -> str:
    return " vs ".join(m.name for m in c.models)


def names(c: Comparison, conjunction: str = "and") -> str:
    return join([m.name for m in c.models], conjunction)


def cheapest_prices(m: ModelSide) -> tuple[Decimal, Decimal] | None:
    """The input and output prices a model is priced on (its basis route's), when both are known."""
    if m.input_price is None or m.output_price is None:
        return None
    return m.input_price.price, m.output_price.price


def _blended(m: ModelSide) -> Decimal:
    return m.blended.price if m.blended else Decimal("Infinity")


def monthly_cost(m: ModelSide) -> Decimal:
    return m.cost.monthly if m.cost else Decimal("Infinity")


def _output(m: ModelSide) -> Decimal:
    return m.output_price.price if m.output_price else Decimal("Infinity")


def by_blended(c: Comparison) -> list[ModelSide]:
    """Models from cheapest to dearest blended price; unpriced last, in the order given."""
    priced = sorted((m for m in c.models if m.blended), key=_blended)
    return priced + [m for m in c.models if not m.blended]


# --- intro and headline ---------------------------------------------------------------------------


def intro(c: Comparison) -> str:
    parts = []
    for m in c.models:
        year = f" ({m.release_date.year})" if m.release_date else ""
        parts.append(f"{m.name}{year}")
    creators = join(list(dict.fromkeys(m.creator_name for m in c.models)))
    contexts = []
    for m in c.models:
        window = (
            f"a {tokens(m.context_window)}-token context window" if m.context_window else "an unlisted context window"
        )
        contexts.append(f"{m.name} has {window}")
    text = f"{join(parts)} are models from {creators}. {'; '.join(contexts)}."
    return (
        text + " This comparison covers specs, every tracked provider route with its prices, capabilities, "
        "benchmarks, monthly cost at your traffic, switching friction and production fit."
    )


def headline(c: Comparison) -> str:
    if len(c.models) > 2:
        return _headline_many(c)
    a, b = c.models
    prices_a, prices_b = cheapest_prices(a), cheapest_prices(b)
    if prices_a is None or prices_b is None:
        return _headline_unpriced(c)
    cheap, dear = by_blended(c)
    (cheap_in, cheap_out), (dear_in, dear_out) = (prices_a, prices_b) if cheap is a else (prices_b, prices_a)
    if cheap_in == dear_in and cheap_out == dear_out:
        return (
            f"{a.name} and {b.name} cost the same {on_basis(c)}: "
            f"{per_million(cheap_in)} input and {per_million(cheap_out)} output. "
            "Choose on capabilities, context and providers."
        )
    if cheap_in <= dear_in and cheap_out <= dear_out:
        pieces = []
        if cheap_in < dear_in:
            pieces.append(f"{_ratio_of(dear, 'input')} cheaper on input")
        if cheap_out < dear_out:
            pieces.append(f"{_ratio_of(dear, 'output')} cheaper on output")
        first = (
            f"{cheap.name} is {join(pieces)} than {dear.name} "
            f"({_vs(cheap_in, dear_in)} input, {_vs(cheap_out, dear_out)} output per 1M tokens)."
        )
    else:
        cheaper_in, cheaper_out = (cheap, dear) if cheap_in < dear_in else (dear, cheap)
        first = (
            f"{cheaper_in.name} is {_ratio_of(_other(c, cheaper_in), 'input')} cheaper on input "
            f"and {cheaper_out.name} {_ratio_of(_other(c, cheaper_out), 'output')} cheaper on output; "
            f"at a {c.blend} input:output blend {cheap.name} costs less "
            f"({_vs(_blended(cheap), _blended(dear))} per 1M blended tokens)."
        )
    return f"{first} {worth_paying_for(dear, cheap)}"


def _ratio_of(m: ModelSide, kind: str) -> str:
    standing = m.input_price if kind == "input" else m.output_price
    return ratio(standing.ratio if standing else None)


def _other(c: Comparison, m: ModelSide) -> ModelSide:
    return next(o for o in c.models if o.id != m.id)


def _vs(low: Decimal, high: Decimal) -> str:
    return f"{per_million(low).removesuffix('/1M')} vs {per_million(high).removesuffix('/1M')}"


def advantages(model: ModelSide, other: ModelSide) -> list[str]:
    """What `model` offers that `other` lacks, as the catalog states it (unknowns are not lacks)."""
    edges = [
        CAPABILITY_LABELS[n].lower() for n, v in model.capabilities.items() if v and other.capabilities.get(n) is False
    ]
    if (
        model.context_window
        and other.context_window
        and model.context_window > other.context_window
        and tokens(model.context_window) != tokens(other.context_window)  # a difference the reader can see
    ):
        edges.append(f"a larger context window ({tokens(model.context_window)} vs {tokens(other.context_window)})")
    if len(model.production_routes) > len(other.production_routes):
        edges.append(f"more pay-per-token routes ({len(model.production_routes)} vs {len(other.production_routes)})")
    return edges


def worth_paying_for(dear: ModelSide, cheap: ModelSide) -> str:
    edges = advantages(dear, cheap)
    if edges:
        return f"Pay for {dear.name} when you need {join(edges)}."
    return (
        f"The catalog shows no capability, context or availability edge for {dear.name}, "
        "so pay for it only if your own evaluation shows better quality."
    )


def _headline_unpriced(c: Comparison) -> str:
    priced = [(m, p) for m in c.models if (p := cheapest_prices(m))]
    unpriced = [m.name for m in c.models if not cheapest_prices(m)]
    if not priced:
        return (
            f"No tracked pay-per-token route lists both input and output prices for {names(c, 'or')}, "
            "so their cost cannot be compared; compare them on capabilities, context and providers."
        )
    costs = "; ".join(
        f"{m.name} costs {per_million(p_in)} input and {per_million(p_out)} output" for m, (p_in, p_out) in priced
    )
    return (
        f"{join(unpriced)} has no known pay-per-token price on any tracked route, "
        f"so only {join([m.name for m, _ in priced])}'s cost is known: {costs}."
    )


def _headline_many(c: Comparison) -> str:
    costed = sorted((m for m in c.models if m.cost), key=monthly_cost)
    if not costed:
        return _headline_unpriced(c)
    cheapest = costed[0]
    others = [
        f"{m.name} {usd(monthly_cost(m))} ({_times(monthly_cost(m), monthly_cost(cheapest))})" for m in costed[1:]
    ]
    text = f"At your traffic {cheapest.name} is cheapest at {usd(monthly_cost(cheapest))} a month" + (
        f"; {join(others)}." if others else "."
    )
    missing = [m.name for m in c.models if not m.cost]
    if missing:
        text += f" {join(missing)} {'has' if len(missing) == 1 else 'have'} no known pay-per-token price."
    edges = [f"{m.name} adds {join(e)}" for m in costed[1:] if (e := advantages(m, cheapest))]
    if edges:
        text += f" Over {cheapest.name}, {'; '.join(edges)}."
    return text


def _times(cost: Decimal, base: Decimal) -> str:
    if cost == base:
        return "the same"
    if not base:
        return "more"
    return f"{ratio(cost / base)} the cost"


# --- decision tradeoffs ---------------------------------------------------------------------------


def tradeoffs(c: Comparison) -> list[str]:
    lines = []
    priced = [m for m in c.models if m.output_price]
    if len(priced) >= 2:
        low = min(priced, key=_output)
        if sum(1 for m in priced if _output(m) == _output(low)) == 1:
            lines.append(f"{low.name} has the lowest output price at {per_million(_output(low))} {on_basis(c)}.")
        else:
            lines.append(f"Output prices tie at {per_million(_output(low))} {on_basis(c)}.")
    counts = [len(m.production_routes) for m in c.models]
    if len(set(counts)) > 1:
        most = max(c.models, key=lambda m: len(m.production_routes))
        lines.append(
            f"{most.name} has the broadest provider coverage "
            f"({_plural(len(most.production_routes), 'pay-per-token route')}) for fallback and procurement."
        )
    else:
        lines.append(f"Each model has {_plural(counts[0], 'pay-per-token route')}.")
    for m in c.models:
        others = [o for o in c.models if o.id != m.id]
        unique = [n for n, v in m.capabilities.items() if v and all(o.capabilities.get(n) is False for o in others)]
        if unique:
            lines.append(f"Only {m.name} offers {capability_list(unique)}.")
    contexts = [m.context_window for m in c.models if m.context_window]
    if len(contexts) == len(c.models) and len(set(contexts)) > 1:
        big = max(c.models, key=lambda m: m.context_window or 0)
        lines.append(f"{big.name} has the largest context window, {tokens(big.context_window)}.")
    for m in c.models:
        if m.tags:
            lines.append(f"Decision rules tag {m.name} for {join([t.label for t in m.tags])}.")
    return lines


# --- monthly cost ---------------------------------------------------------------------------------


def profile_sentence(c: Comparison) -> str:
    p = c.profile
    text = (
        f"{p.requests:,} requests a month × {p.input_tokens:,} input + {p.output_tokens:,} output tokens, "
        f"each model priced on {c.policy.description}"
    )
    extras = []
    if p.cache_hit:
        extras.append(f"{share(p.cache_hit)} of input tokens read from cache")
    if p.batch_share:
        extras.append(f"{share(p.batch_share)} of requests sent through batch APIs")
    if extras:
        text += f", with {join(extras)}"
    return text + "."


def cost_lines(c: Comparison) -> list[str]:
    lines = []
    costed = [m for m in c.models if m.cost]
    if len(costed) >= 2:
        high, low = max(costed, key=monthly_cost), min(costed, key=monthly_cost)
        if monthly_cost(high) == monthly_cost(low):
            lines.append(
                f"{'Both' if len(costed) == 2 else 'All'} cost {usd(monthly_cost(low))} a month at this traffic."
            )
        else:
            lines.append(
                f"Estimated monthly gap: {usd(monthly_cost(high) - monthly_cost(low))} ({high.name} over {low.name})."
            )
    for m in c.models:
        if m.cost and m.cost.basis != "the maker's list price":
            route = m.cost.route
            lines.append(f"{m.name}: priced on {route.provider_name} ({route.class_}), {m.cost.basis}.")
        if m.cost and m.cheapest_route and not m.cheapest_route.route.is_basis:
            lines.append(f"{m.name}: {cheapest_route_text(m)}.")
        if not m.cost:
            limited = "" if c.policy.is_default else " that the price basis allows"
            lines.append(
                f"{m.name}: no pay-per-token route{limited} lists both input and output prices, so its cost is unknown."
            )
        elif m.cost.standard_rate_parts:
            lines.append(f"{m.name}: {join(m.cost.standard_rate_parts)} priced at the route's standard rate.")
        if m.cost and m.cost.tier_above_tokens:
            lines.append(
                f"{m.name}: requests exceed {tokens(m.cost.tier_above_tokens)} input tokens, "
                "so the route's long-context prices apply to every token."
            )
    for m in c.models:
        if m.other_routes:
            lines.append(
                f"{m.name} also has {_plural(len(m.other_routes), 'other route')} ({other_routes_text(m)}), "
                "listed under pricing and not used for this estimate."
            )
    lines += context_warnings(c)
    if not c.profile.cache_hit and not c.profile.batch_share:
        lines.append(
            "Cache and batch discounts are not applied: give a cache hit share and a batch share to include them."
        )
    return lines


def context_warnings(c: Comparison) -> list[str]:
    """Models that cannot hold one request of the profile: their cost is for traffic they cannot serve."""
    return [
        f"{c.side(m.model_id).name}: a request of {m.request_tokens:,} tokens (input + output) does not fit its "
        f"{tokens(m.context_window)} context window, so it cannot serve this traffic as priced."
        for m in context_misfits(c)
    ]


def other_routes_text(m: ModelSide) -> str:
    """What a model's non-production routes are: 'are free tiers, subscriptions or variants (`:batch`)'."""
    kinds = sorted({r.kind.replace("-", " ") + "s" for r in m.other_routes if r.kind != "pay-per-token"})
    variants = sorted(
        {
            f"`{r.provider_model_id[r.provider_model_id.rfind(':') :]}`"
            for r in m.other_routes
            if any(f.flag == "variant" for f in r.flags) and ":" in r.provider_model_id
        }
    )
    if variants or any(r.kind == "pay-per-token" for r in m.other_routes):
        kinds.append(f"variants ({', '.join(variants)})" if variants else "variants")
    return f"are {join(kinds, 'or')}"


def cheapest_route_text(m: ModelSide) -> str:
    """'from $2,981 via OpenCode Zen, gateway, −15 %' — the cheapest allowed route beside the basis."""
    cheapest = m.cheapest_route
    if cheapest is None:
        return "no priced route"
    if cheapest.route.is_basis:
        return "the basis route is the cheapest"
    gap = f", {percent_change(cheapest.vs_basis_share)}" if cheapest.vs_basis_share is not None else ""
    return f"from {usd(cheapest.monthly)} via {cheapest.route.provider_name}, {cheapest.route.class_}{gap}"


def percent_change(share: Decimal) -> str:
    """-0.1533 -> '−15 %', -0.0004 -> '−0.04 %': the sign always written, small changes not rounded away."""
    percent = abs(share * 100)
    places = Decimal(1) if percent >= 1 else Decimal("0.1") if percent >= Decimal("0.1") else Decimal("0.01")
    sign = "−" if share < 0 else "+"
    return f"{sign}{percent.quantize(places, rounding=ROUND_HALF_UP):f} %"


# --- switch friction ------------------------------------------------------------------------------


def friction_lines(c: Comparison) -> list[str]:
    lines = []
    for f in c.friction:
        src, dst = c.side(f.from_id), c.side(f.to_id)
        head = f"{src.name} → {dst.name}:"
        if f.shared_providers:
            verb = "serves" if len(f.shared_providers) == 1 else "serve"
            lines.append(f"{head} start route-level A/B tests on {join(f.shared_providers)}, which {verb} both.")
        else:
            lines.append(f"{head} no provider serves both, so an A/B test needs two integrations.")
        if len(c.models) > 2:
            # Towards the cheapest at the profile: the saving is that model's gap in the cost table.
            if f.monthly_delta:
                lines.append(f"{head} saves {usd(abs(f.monthly_delta))} a month at your traffic.")
        elif f.output_delta is not None and f.output_delta != 0:
            direction = "lower" if f.output_delta < 0 else "higher"
            lines.append(
                f"{head} output is {per_million(abs(f.output_delta))} {direction} {on_basis(c)}, "
                "before cache, batch or negotiated discounts."
            )
        if f.gained:
            lines.append(f"{head} gains {capability_list(f.gained)}.")
        if f.lost:
            them = "it" if len(f.lost) == 1 else "them"
            lines.append(f"{head} loses {capability_list(f.lost)}; check your workload does not depend on {them}.")
        if f.unverified:
            lines.append(
                f"{head} {capability_list(f.unverified)} {'is' if len(f.unverified) == 1 else 'are'} not documented "
                f"for {dst.name}; test before moving production traffic."
            )
        if f.context_from and f.context_to and f.context_to < f.context_from:
            lines.append(
                f"{head} the context window shrinks from {tokens(f.context_from)} to {tokens(f.context_to)}; "
                "check your longest prompts fit."
            )
        if f.license_from and f.license_to and f.license_from != f.license_to:
            lines.append(f"{head} the license changes from {f.license_from} to {f.license_to}.")
    return lines


# --- benchmarks, deep dive, FAQ, sources ----------------------------------------------------------


def benchmarks_text(c: Comparison) -> str:
    # Imported here: benchmark_prose builds on this module's helpers (join, names).
    from versus.render.benchmark_prose import shared_benchmarks_text

    return shared_benchmarks_text(c)


def evidence_lines(c: Comparison) -> list[str]:
    """What the user's own runs showed, model by model (empty when there is no local evidence)."""
    if not c.evidence:
        return []
    lines = []
    for m in c.models:
        mine = [e for e in c.evidence if e.model_id == m.id]
        if not mine:
            lines.append(f"No local evidence for {m.name} yet: `versus run` puts your own prompts through its routes.")
            continue
        best = max(mine, key=lambda e: (e.pass_rate or 0, -(e.latency_p50_ms or 0)))
        route = f"{best.provider_id}:{best.provider_model_id}"
        text = f"{m.name} via {route}: {best.requests} requests in run {best.run_id}"
        if best.pass_rate is not None:
            text += f", {percent(best.pass_rate)} of {best.judged} answers passed"
        if best.latency_p50_ms is not None:
            text += f", p50 latency {millis(best.latency_p50_ms)}"
        if best.cost_per_1k is not None:
            text += f", ${best.cost_per_1k:,.4f} per 1,000 requests"
        if best.errors:
            text += f", {best.errors} errors"
        lines.append(text + ".")
    return lines


def deep_dive(c: Comparison) -> list[str]:
    paragraphs = []
    diffs = []
    for n in c.capability_names:
        values = {m.capabilities.get(n) for m in c.models}
        if True in values and False in values:
            having = [m.name for m in c.models if m.capabilities.get(n)]
            diffs.append(f"{CAPABILITY_LABELS[n].lower()} ({join(having)})")
    if diffs:
        paragraphs.append(
            f"The capability footprint differs on {join(diffs)}. Decide whether your workload needs them "
            "before comparing price: a missing capability is a rewrite, a price gap is a budget line."
        )
    else:
        paragraphs.append(
            "Neither model offers a capability the other lacks in the catalog's data, so the choice rests on "
            "price, context, providers and your own quality checks."
            if len(c.models) == 2
            else "No compared model offers a capability the others lack in the catalog's data."
        )
    priced = [(m, p) for m in c.models if (p := cheapest_prices(m))]
    if priced:
        costs = "; ".join(
            f"{m.name} lists {per_million(p_in)} input and {per_million(p_out)} output" for m, (p_in, p_out) in priced
        )
        ordered = [m for m in by_blended(c) if m.blended]
        low = ordered[0]
        blends = [
            f"{m.name} costs {per_million(m.blended.delta)} more per million blended tokens"
            for m in ordered[1:]
            if m.blended and m.blended.delta
        ]
        blend_text = f"At a {c.blend} input:output blend {low.name} is cheapest at {per_million(_blended(low))}" + (
            f"; {join(blends)}." if blends else "."
        )
        paragraphs.append(f"For cost {on_basis(c)}, {costs}. {blend_text}")
    counts = join([f"{m.name} {len(m.production_routes)}" for m in c.models])
    paragraphs.append(
        f"Pay-per-token routes: {counts}. Fewer routes means more concentration risk and less room to "
        "negotiate or fail over."
    )
    choices = []
    for m in c.models:
        others = [o for o in c.models if o.id != m.id]
        edges = [e for o in others for e in advantages(m, o)]
        cheapest = by_blended(c)[0]
        if m.blended and m.id == cheapest.id:
            edges.insert(0, "the lowest token cost")
        if edges:
            choices.append(f"Choose {m.name} for {join(list(dict.fromkeys(edges)))}.")
    paragraphs.append(
        " ".join(choices)
        + " Before production, rerun your own prompts through the exact provider, region and tool stack "
        "you plan to ship."
    )
    return paragraphs


def reviewed_line(c: Comparison) -> str:
    sources = join([f"{name} {version}" for name, version in sorted(c.data.sources.items())])
    built = f" built {c.data.catalog_built.isoformat()}" if c.data.catalog_built else ""
    return (
        f"Last reviewed: {c.data.reviewed.isoformat()}. Data: the llm-versus catalog{built} from {sources}, "
        "plus curated facts in data/ with a source URL for each. Every fact's source and date is in the JSON output."
    )
