"""The decision at a glance: each model's cost card, the most decisive differences, and what cannot fit.

Pure: reads one Comparison and returns values; every view (terminal, Markdown, HTML) words them the
same way through `render.prose`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from versus.analysis.compare import Comparison, ModelSide

# Capabilities whose absence usually forces a rewrite, most decisive first.
KEY_CAPABILITIES = ("function_calling", "vision", "structured_outputs", "reasoning", "tool_use", "audio_in")
# A context window this many times larger is a difference a workload feels.
CONTEXT_RATIO = Decimal("1.5")
# A benchmark lead smaller than this share of the lower score is noise.
BENCHMARK_LEAD = Decimal("0.05")


@dataclass(frozen=True)
class CostCard:
    """One model's monthly cost at the traffic, against the cheapest compared, and its routes."""

    model_id: str
    name: str
    monthly: Decimal | None
    times_cheapest: Decimal | None  # monthly / the cheapest compared model's monthly (None when that is 0)
    is_cheapest: bool
    ties_cheapest: bool  # costs the same as the cheapest without being it
    fits: bool | None  # input + output tokens fit the context window (None: window unknown)


@dataclass(frozen=True)
class Difference:
    """One way the compared models differ that can decide a choice, and who leads on it."""

    kind: str  # "benchmark" | "capability" | "context" | "licence"
    subject: str  # the benchmark, capability or fact concerned
    leaders: list[str]  # model ids that have it or lead on it
    weight: int  # larger decides more


@dataclass(frozen=True)
class ContextMisfit:
    model_id: str
    request_tokens: int  # input + output per request
    context_window: int


def cost_cards(c: Comparison) -> list[CostCard]:
    cheapest = c.side(c.cheapest_monthly).cost if c.cheapest_monthly else None
    base = cheapest.monthly if cheapest else None
    return [
        CostCard(
            model_id=m.id,
            name=m.name,
            monthly=m.cost.monthly if m.cost else None,
            times_cheapest=(m.cost.monthly / base) if m.cost and base else None,
            is_cheapest=m.id == c.cheapest_monthly,
            ties_cheapest=m.id != c.cheapest_monthly and m.cost is not None and m.cost.monthly == base,
            fits=_fits(c, m),
        )
        for m in c.models
    ]


def _fits(c: Comparison, m: ModelSide) -> bool | None:
    if not m.context_window:
        return None
    return c.profile.input_tokens + c.profile.output_tokens <= m.context_window


def context_misfits(c: Comparison) -> list[ContextMisfit]:
    """Models whose context window cannot hold one request of the profile (input plus output)."""
    tokens = c.profile.input_tokens + c.profile.output_tokens
    return [
        ContextMisfit(m.id, tokens, m.context_window)
        for m in c.models
        if m.context_window is not None and tokens > m.context_window
    ]


def decisive_differences(c: Comparison, limit: int = 3) -> list[Difference]:
    """The `limit` differences most likely to decide: a benchmark lead (when benchmarks are shared),
    a key capability some lack, a much larger context window, open weights against proprietary."""
    found = [*_benchmark_leads(c), *_capability_gaps(c), *_context_gap(c), *_licence_gap(c)]
    ranked = sorted(enumerate(found), key=lambda item: (-item[1].weight, item[0]))
    return [d for _, d in ranked[:limit]]


def _benchmark_leads(c: Comparison) -> list[Difference]:
    """The widest lead on a shared benchmark, when the leaderboard itself tells the top two apart."""
    leads: list[tuple[Decimal, Difference]] = []
    for bench in c.benchmarks:
        if bench.leader is None:  # a tie on the leaderboard's own terms (overlapping intervals)
            continue
        scores = {s.model_id: s.score for s in bench.scores}
        top, low = scores[bench.leader], min(scores.values())
        if top > 0 and low >= 0 and (top - low) > BENCHMARK_LEAD * max(low, Decimal(1)):
            subject = f"{bench.benchmark} {bench.category}"
            leads.append(((top - low) / max(low, Decimal(1)), Difference("benchmark", subject, [bench.leader], 5)))
    return [d for _, d in sorted(leads, key=lambda item: -item[0])[:1]] if leads else []


def _capability_gaps(c: Comparison) -> list[Difference]:
    gaps = []
    for rank, name in enumerate(KEY_CAPABILITIES):
        values = {m.id: m.capabilities.get(name) for m in c.models}
        if True in values.values() and False in values.values():
            leaders = [mid for mid, value in values.items() if value]
            gaps.append(Difference("capability", name, leaders, 4 if rank < 3 else 3))
    return gaps


def _context_gap(c: Comparison) -> list[Difference]:
    windows = {m.id: m.context_window for m in c.models if m.context_window}
    if len(windows) < 2:
        return []
    top, low = max(windows.values()), min(windows.values())
    if Decimal(top) < CONTEXT_RATIO * low:
        return []
    return [Difference("context", "context window", [mid for mid, w in windows.items() if w == top], 4)]


def _licence_gap(c: Comparison) -> list[Difference]:
    open_ids = [m.id for m in c.models if m.openness == "open-weights"]
    closed = [m.id for m in c.models if m.openness == "proprietary"]
    if open_ids and closed:
        return [Difference("licence", "open weights", open_ids, 2)]
    return []
