"""Price history and quality in the views: chart rendering, the cost of price history in a comparison,
and the changes feed.

Run: make bench-views   (or .venv/bin/python benchmarks/bench_views.py)
Targets (issues 10 and 11): each chart renders in < 5 ms with 50 routes × 20 prices; a comparison
with price history costs < 1 ms more than without. Two comparisons alternate in one loop, so both
see the same machine; medians of many runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.price_intervals import Interval

from versus.analysis.basis import DEFAULT_POLICY
from versus.analysis.compare import compare
from versus.analysis.price_history import route_timelines
from versus.analysis.quality import BenchmarkRef, Scored, quality_chart
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.history_store import HistoryStore
from versus.catalog.store import CatalogStore
from versus.render.atom import changes_feed
from versus.render.charts import price_history_figure, price_history_svg, quality_figure
from versus.services.comparison import ComparisonService
from versus.sync.catalog import open_catalog

TODAY = date(2026, 11, 27)
RUNS = 201


def ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def report(label: str, millis: float) -> None:
    print(f"  {label:<58} {millis:6.2f} ms")


def synthetic_timelines(routes: int = 50, prices: int = 20) -> list:  # type: ignore[type-arg]
    start = date(2025, 1, 1)
    intervals = [
        Interval(
            f"p{r}",
            f"model-{r}",
            "openrouter",
            Decimal(r + 1) / 10 + Decimal(p) / 100,
            Decimal(r + 1) / 2 + Decimal(p) / 50,
            start + timedelta(days=15 * p) if p else None,
            start + timedelta(days=15 * (p + 1)) if p + 1 < prices else None,
        )
        for r in range(routes)
        for p in range(prices)
    ]
    return route_timelines(intervals, {f"p{r}": f"Provider {r}" for r in range(routes)})


def main() -> None:
    timelines = synthetic_timelines()
    print("charts (median of", RUNS, "runs)")
    report("price history, 50 routes × 20 prices, SVG only", ms(lambda: price_history_svg(timelines, TODAY, title="M")))
    report(
        "… with caption and hidden data table (1,000 rows)",
        ms(lambda: price_history_figure(timelines, TODAY, model_name="M")),
    )
    scores = {f"m{i}": str(40 + i % 50) for i in range(200)}
    chart = quality_chart(
        "synthetic", "b", "overall", "score", "src",
        [Scored(m, Decimal(s), None, None, "") for m, s in scores.items()],
        {m: f"Model {m}" for m in scores},
        {m: Decimal(10 + 37 * i) for i, m in enumerate(scores)},
    )  # fmt: skip
    report("quality scatter, 200 models, with table", ms(lambda: quality_figure(chart)))

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "catalog.sqlite"
        open_catalog(db, today=lambda: TODAY)
        service = ComparisonService(CatalogStore(db))
        board = service.leaderboard(BenchmarkRef("aider-polyglot"), TrafficProfile(), DEFAULT_POLICY)
        report(f"quality scatter, aider-polyglot ({len(board.points)} models)", ms(lambda: quality_figure(board)))

        print("comparison with and without price history (pure compare(), alternating)")
        ids = ["openai/o3", "openai/gpt-4o"]
        inputs = [service.model_input(m) for m in ids]
        changes = service.price_changes(ids)

        def one(history: bool) -> float:
            started = time.perf_counter()
            compare(
                inputs, service.providers, profile=TrafficProfile(), blend=Blend(), today=TODAY, rules=service.rules,
                price_changes=changes if history else None,
            )  # fmt: skip
            return time.perf_counter() - started

        one(True), one(False)
        pairs = [(one(False), one(True)) for _ in range(RUNS)]
        without = statistics.median(p[0] for p in pairs) * 1000
        with_history = statistics.median(p[1] for p in pairs) * 1000
        print(f"  without {without:.3f} ms, with {with_history:.3f} ms: +{with_history - without:.3f} ms")

        def cold() -> None:
            fresh = ComparisonService(service.store)
            fresh._inputs = service._inputs  # models and providers already loaded: time the history read alone
            fresh.__dict__["providers"] = service.providers
            fresh.price_changes(ids)

        report("reading both models' price changes (first time)", ms(cold, 51))

        all_changes = HistoryStore(db).changes()
        names = {m.id: m.name for m in service.store.summaries()}
        providers = {p: v.name for p, v in service.providers.items()}

        def feed() -> str:
            return changes_feed(
                all_changes, base_url="https://example.org", model_names=names, provider_names=providers
            )

        print(f"changes feed of {len(all_changes)} changes   {ms(feed, 51):6.2f} ms, {len(feed()):,} bytes")


if __name__ == "__main__":
    main()
