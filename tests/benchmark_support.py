"""Hand-made benchmark results for the pure tests of shared benchmarks, leaderboards and pick."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from versus.analysis.benchmarks import ModelResult
from versus.benchmarks.types import BenchmarkResult, make_setting


def result(
    model_id: str,
    score: str,
    *,
    source: str = "lmarena",
    benchmark: str = "lmarena-text",
    category: str = "overall",
    metric: str = "elo",
    ci: tuple[str, str] | None = None,
    edition: str | None = None,
    day: date | None = date(2025, 12, 1),
    name: str | None = None,
    **setting: str,
) -> ModelResult:
    """One matched result; keyword settings become the result's setting (`style_control="on"`)."""
    return ModelResult(
        model_id,
        BenchmarkResult(
            source=source,
            benchmark=benchmark,
            category=category,
            model_name=name or model_id.rpartition("/")[2],
            score=Decimal(score),
            metric=metric,
            source_url=f"https://example.org/{source}",
            licence="test",
            ci_low=Decimal(ci[0]) if ci else None,
            ci_high=Decimal(ci[1]) if ci else None,
            setting=make_setting(**setting),
            date=day,
            edition=edition,
        ),
        0.95,
        "test",
    )
