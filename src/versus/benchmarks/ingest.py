"""Benchmark results for a catalog build: each leaderboard's newest good snapshot (else its shipped
copy), parsed by its adapter and matched to the build's models. Unmatched names are kept too, so
`versus doctor` can list them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from versus.benchmarks.matching import IndexRoute, MatchIndex, build_match_index, match_results
from versus.benchmarks.types import BenchmarkData, BenchmarkResult

if TYPE_CHECKING:
    from versus.catalog.build import Catalog

# Leaderboards `versus sync` fetches, and models.dev's per-model entries (shipped only).
BENCHMARK_SOURCES = ("lmarena", "livebench", "aider", "bfcl", "swe-bench", "simple-evals", "models-dev")


@dataclass
class BenchmarkIngest:
    rows: list[dict[str, Any]]  # matched results, as stored
    unmatched: list[dict[str, Any]]  # one per (source, leaderboard name) no model matched
    versions: dict[str, str]  # per source, what the results came from
    errors: int


def catalog_index(catalog: Catalog) -> MatchIndex:
    routes = [
        IndexRoute(
            o.provider_id,
            o.provider_model_id,
            catalog.match_keys.get((o.provider_id, o.provider_model_id), ""),
            o.model_id,
            o.route_class.value,
        )
        for o in catalog.offerings
    ]
    return build_match_index(routes, catalog.model_keys, catalog.naming)


def ingest(catalog: Catalog, data: list[BenchmarkData], versions: dict[str, str]) -> BenchmarkIngest:
    """Match every result's leaderboard name to a model of `catalog` (pure)."""
    index = catalog_index(catalog)
    rows: list[dict[str, Any]] = []
    unmatched: dict[tuple[str, str], str] = {}
    for source in data:
        for result, match in match_results(source.results, index):
            if match.model_id is None:
                unmatched.setdefault((result.source, result.model_name), match.reason)
                continue
            rows.append(_row(result, match.model_id, match.confidence, match.reason))
    return BenchmarkIngest(
        rows,
        [{"source": s, "model_name": n, "reason": r} for (s, n), r in sorted(unmatched.items())],
        versions,
        sum(len(d.errors) for d in data),
    )


def _row(result: BenchmarkResult, model_id: str, confidence: float, reason: str) -> dict[str, Any]:
    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "model_id": model_id,
        "source": result.source,
        "benchmark": result.benchmark,
        "category": result.category,
        "score": str(result.score),
        "metric": result.metric,
        "ci_low": text(result.ci_low),
        "ci_high": text(result.ci_high),
        "setting": json.dumps([list(pair) for pair in result.setting]),
        "date": result.date.isoformat() if result.date else None,
        "edition": result.edition,
        "model_name": result.model_name,
        "organisation": result.organisation,
        "source_url": result.source_url,
        "licence": result.licence,
        "confidence": confidence,
        "reason": reason,
    }
