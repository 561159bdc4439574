"""A recorded price interval as `analysis.price_history` reads it (its `IntervalLike`), without the
fields the store adds: what the chart and price-history tests and bench_views build by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Interval:
    provider: str
    provider_model_id: str
    source: str
    input: Decimal | None
    output: Decimal | None
    valid_from: date | None
    valid_to: date | None
