"""Local evidence as values: one stored call (ResultRow), and per-route summaries of them — pass rates,
latency, speed, cost, errors, sample sizes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ResultRow:
    run_id: str
    provider_id: str
    provider_model_id: str
    model_id: str
    case_id: str
    repeat: int
    request: str
    response_text: str | None
    input_tokens: int | None
    output_tokens: int | None
    cached_tokens: int | None
    tokens_estimated: bool | None
    latency_ms: float | None
    ttft_ms: float | None
    output_tps: float | None
    cost_usd: Decimal | None
    from_cache: bool
    attempts: int
    assertions: list[dict[str, Any]]
    passed: bool | None
    error: str | None


OUTPUT_SPEED = "streamed output tokens (reasoning + answer) / seconds from the first to the last streamed token"


@dataclass(frozen=True)
class RouteEvidence:
    run_id: str
    model_id: str
    provider_id: str
    provider_model_id: str
    requests: int
    errors: int
    cases: int
    judged: int  # results with at least one judged assertion outcome, or none to judge
    pass_rate: float | None
    pass_k: float | None  # share of cases whose every repeat passed
    k: int  # repeats per case (the smallest seen)
    latency_n: int  # live (not cached) successful calls with timings
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    ttft_p50_ms: float | None
    ttft_p95_ms: float | None
    output_tps: float | None  # median of OUTPUT_SPEED over live calls
    cost_per_1k: Decimal | None  # USD per 1,000 requests at list prices
    input_tokens: float | None  # mean per request
    output_tokens: float | None
    tokens_estimated: int  # results whose token counts were estimated locally

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[min(rank, len(ordered)) - 1]


def summarize(rows: Sequence[ResultRow]) -> list[RouteEvidence]:
    by_route: dict[tuple[str, str, str, str], list[ResultRow]] = defaultdict(list)
    for row in rows:
        by_route[(row.run_id, row.model_id, row.provider_id, row.provider_model_id)].append(row)
    return [_summary(key, group) for key, group in sorted(by_route.items())]


def _summary(key: tuple[str, str, str, str], rows: list[ResultRow]) -> RouteEvidence:
    import statistics  # here: a comparison imports this module for its types, and statistics costs ~2 ms

    ok = [r for r in rows if r.error is None]
    judged = [r for r in ok if r.passed is not None]
    by_case: dict[str, list[ResultRow]] = defaultdict(list)
    for r in rows:
        by_case[r.case_id].append(r)
    k = min(len(v) for v in by_case.values())
    cases_passed = [all(r.error is None and r.passed for r in v) for v in by_case.values()]
    live = [r for r in ok if not r.from_cache and r.latency_ms is not None]
    ttfts = [r.ttft_ms for r in live if r.ttft_ms is not None]
    speeds = [r.output_tps for r in live if r.output_tps is not None]
    costs = [r.cost_usd for r in ok if r.cost_usd is not None]
    inputs = [r.input_tokens for r in ok if r.input_tokens is not None]
    outputs = [r.output_tokens for r in ok if r.output_tokens is not None]
    return RouteEvidence(
        run_id=key[0],
        model_id=key[1],
        provider_id=key[2],
        provider_model_id=key[3],
        requests=len(rows),
        errors=len(rows) - len(ok),
        cases=len(by_case),
        judged=len(judged),
        pass_rate=sum(1 for r in judged if r.passed) / len(judged) if judged else None,
        pass_k=sum(cases_passed) / len(cases_passed) if cases_passed else None,
        k=k,
        latency_n=len(live),
        latency_p50_ms=percentile([r.latency_ms for r in live if r.latency_ms is not None], 0.5),
        latency_p95_ms=percentile([r.latency_ms for r in live if r.latency_ms is not None], 0.95),
        ttft_p50_ms=percentile(ttfts, 0.5),
        ttft_p95_ms=percentile(ttfts, 0.95),
        output_tps=statistics.median(speeds) if speeds else None,
        cost_per_1k=sum(costs, Decimal(0)) / len(costs) * 1000 if costs else None,
        input_tokens=statistics.fmean(inputs) if inputs else None,
        output_tokens=statistics.fmean(outputs) if outputs else None,
        tokens_estimated=sum(1 for r in ok if r.tokens_estimated),
    )


def latest_per_route(rows: Sequence[ResultRow], run_order: list[str]) -> list[RouteEvidence]:
    """For each route, the summary of the most recent run (by `run_order`, newest first) that tried it."""
    rank = {run_id: i for i, run_id in enumerate(run_order)}
    best: dict[tuple[str, str], RouteEvidence] = {}
    for summary in summarize(rows):
        key = (summary.provider_id, summary.provider_model_id)
        current = best.get(key)
        if current is None or rank.get(summary.run_id, 1 << 30) < rank.get(current.run_id, 1 << 30):
            best[key] = summary
    return sorted(best.values(), key=lambda s: (s.model_id, s.provider_id, s.provider_model_id))
