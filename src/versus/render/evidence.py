"""Views of local evidence summaries: a table (terminal, Markdown, HTML) and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from versus.analysis.evidence import OUTPUT_SPEED, RouteEvidence
from versus.formats import UNKNOWN, json_number
from versus.render.tabledata import TableData

HEADER = [
    "Route",
    "Model",
    "Requests",
    "Errors",
    "Pass rate",
    "pass^k",
    "Latency p50",
    "Latency p95",
    "TTFT p50",
    "TTFT p95",
    "Output tok/s (reasoning + answer)",
    "Cost / 1k requests",
    "Timed calls (n)",
]


def percent(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value * 100:.0f}%"


def millis(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value:,.0f} ms"


def evidence_row(s: RouteEvidence) -> list[str]:
    return [
        f"{s.provider_id}:{s.provider_model_id}",
        s.model_id,
        str(s.requests),
        f"{s.errors} ({percent(s.error_rate)})",
        f"{percent(s.pass_rate)} of {s.judged}",
        f"{percent(s.pass_k)} (k={s.k}, {s.cases} cases)",
        millis(s.latency_p50_ms),
        millis(s.latency_p95_ms),
        millis(s.ttft_p50_ms),
        millis(s.ttft_p95_ms),
        UNKNOWN if s.output_tps is None else f"{s.output_tps:,.0f}",
        UNKNOWN if s.cost_per_1k is None else f"${s.cost_per_1k:,.4f}",
        str(s.latency_n),
    ]


def evidence_table(summaries: Sequence[RouteEvidence], title: str = "Local evidence") -> TableData:
    return TableData(title, HEADER, [evidence_row(s) for s in summaries], numeric=tuple(range(2, 13)))


def summary_to_dict(s: RouteEvidence) -> dict[str, Any]:
    return {
        "run": s.run_id,
        "model": s.model_id,
        "provider": s.provider_id,
        "provider_model_id": s.provider_model_id,
        "requests": s.requests,
        "errors": s.errors,
        "error_rate": s.error_rate,
        "cases": s.cases,
        "judged": s.judged,
        "pass_rate": s.pass_rate,
        "pass_k": s.pass_k,
        "k": s.k,
        "latency_ms": {"p50": s.latency_p50_ms, "p95": s.latency_p95_ms, "n": s.latency_n},
        "ttft_ms": {"p50": s.ttft_p50_ms, "p95": s.ttft_p95_ms},
        "output_tokens_per_second": s.output_tps,
        "output_speed_definition": OUTPUT_SPEED,
        "cost_per_1000_requests_usd": json_number(s.cost_per_1k),
        "tokens_per_request": {"input": s.input_tokens, "output": s.output_tokens, "estimated": s.tokens_estimated},
    }
