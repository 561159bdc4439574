"""The decision at a glance in words: cost cards, decisive differences, context warnings.

Every view (terminal, Markdown, HTML cards) takes its sentences from here, so they cannot drift.
"""

from __future__ import annotations

from versus.analysis.compare import Comparison, ModelSide
from versus.analysis.decision import CostCard, Difference, cost_cards, decisive_differences
from versus.catalog.types import CAPABILITY_LABELS
from versus.formats import UNKNOWN, ratio, tokens, usd
from versus.render.benchmarks import ranking_label, score_text
from versus.render.prose import cheapest_route_text, context_warnings, join


def times_text(card: CostCard) -> str:
    """'cheapest', '29× the cheapest', or '—' when the cost is unknown."""
    if card.monthly is None:
        return "no known price"
    if card.is_cheapest:
        return "cheapest"
    if card.ties_cheapest:
        return "as cheap as the cheapest"
    if card.times_cheapest is None:
        return UNKNOWN
    return f"{ratio(card.times_cheapest)} the cheapest"


def basis_text(m: ModelSide) -> str:
    """'OpenRouter (gateway)' — the route a model's cost is priced on."""
    if m.cost is None:
        return "no priced pay-per-token route"
    return f"{m.cost.route.provider_name} ({m.cost.route.class_})"


def card_line(c: Comparison, card: CostCard) -> str:
    m = c.side(card.model_id)
    if card.monthly is None:
        return f"{m.name}: no priced pay-per-token route, so its cost is unknown."
    return (
        f"{m.name}: {usd(card.monthly)} a month, {times_text(card)}; priced on {basis_text(m)}; "
        f"{cheapest_route_text(m)}."
    )


def difference_text(c: Comparison, d: Difference) -> str:
    names = [c.side(i).name for i in d.leaders]
    verb = "has" if len(names) == 1 else "have"
    if d.kind == "benchmark":
        bench = next(b for b in c.benchmarks if f"{b.benchmark} {b.category}" == d.subject)
        scores = " vs ".join(score_text(s.score) for s in bench.scores)
        return f"{join(names)} {'leads' if len(names) == 1 else 'lead'} on {ranking_label(bench)} ({scores})."
    if d.kind == "capability":
        label = CAPABILITY_LABELS[d.subject].lower()
        lacking = [m.name for m in c.models if m.capabilities.get(d.subject) is False]
        return f"{join(names)} {verb} {label}; {join(lacking)} {'does' if len(lacking) == 1 else 'do'} not."
    if d.kind == "context":
        top = c.side(d.leaders[0]).context_window
        smallest = min((m for m in c.models if m.context_window), key=lambda m: m.context_window or 0)
        return (
            f"{join(names)} {verb} the larger context window: {tokens(top)} "
            f"against {tokens(smallest.context_window)} for {smallest.name}."
        )
    closed = [m.name for m in c.models if m.openness == "proprietary"]
    return f"{join(names)} {verb} open weights; {join(closed)} {'is' if len(closed) == 1 else 'are'} proprietary."


def differences(c: Comparison) -> list[str]:
    found = decisive_differences(c)
    if not found:
        return ["No capability, context or licence difference stands out: decide on cost and your own tests."]
    return [difference_text(c, d) for d in found]


def glance(c: Comparison) -> list[str]:
    """The decision header as lines: each model's cost card, then the decisive differences and warnings."""
    return [*(card_line(c, card) for card in cost_cards(c)), *differences(c), *context_warnings(c)]
