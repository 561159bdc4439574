"""Name matching measured against blind labels (tests/data/benchmark_labels.yaml) on the real catalog."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from versus.benchmarks.catalog_index import index_from_store
from versus.benchmarks.matching import MatchIndex, match_name
from versus.catalog.store import CatalogStore
from versus.sources.leaderboards import SOURCE_NAMES, adapter

from .conftest import SHARED_DATA

LABELS = Path(__file__).parent / "data" / "benchmark_labels.yaml"
BENCHMARKS = SHARED_DATA / "benchmarks"
pytestmark = pytest.mark.skipif(
    not BENCHMARKS.is_dir(), reason=f"shared benchmark data not found at {BENCHMARKS} (see SOURCES.md)"
)


def _labels() -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = yaml.safe_load(LABELS.read_text())["labels"]
    return labels


@pytest.fixture(scope="module")
def names() -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """(source, leaderboard name) -> every set of model hints the leaderboard gives that name."""
    found: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for source in SOURCE_NAMES:
        if source == "models-dev":
            files = {"providers.tar.gz": (SHARED_DATA / "models-dev" / "providers.tar.gz").read_bytes()}
        else:
            folder = BENCHMARKS / source
            files = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".json", ".csv", ".yml")}
        data = adapter(source).parse(files, snapshot_date=date(2025, 12, 17))
        for result in data.results:
            found[(source, result.model_name)].add(result.model_hints)
    return found


@pytest.fixture(scope="module")
def index(store: CatalogStore) -> MatchIndex:
    return index_from_store(store)


def test_labels_are_many_spread_unique_and_name_real_entries_and_routes(
    store: CatalogStore, names: dict[tuple[str, str], set[tuple[str, ...]]]
) -> None:
    labels = _labels()
    keys = [(label["source"], label["name"]) for label in labels]
    assert len(keys) == len(set(keys)) >= 150
    per_source = Counter(source for source, _ in keys)
    assert set(per_source) == set(SOURCE_NAMES) and min(per_source.values()) >= 20
    assert not [key for key in keys if key not in names], "labelled names absent from the leaderboards"
    routes = {(r.provider_id, r.provider_model_id) for r in store.route_keys()}
    listed = [label["route"] for label in labels if label["route"]] + [
        a for label in labels for a in label.get("also", [])
    ]
    missing = [r for r in listed if (r["provider"], r["id"]) not in routes]
    assert not missing, f"routes not in the catalog: {missing}"
    assert sum(1 for label in labels if label["route"] is None) >= 20  # correct "unmatched" answers


def _score(
    store: CatalogStore, index: MatchIndex, names: dict[tuple[str, str], set[tuple[str, ...]]]
) -> dict[str, Counter[str]]:
    """Per source: names matched, labelled with a route, matched to the labelled route's model
    (strict), and matched to it or to an `also` route (the catalog's second id of that model)."""
    model_of = {(r.provider_id, r.provider_model_id): r.model_id for r in store.route_keys()}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for label in _labels():
        source, name, route = label["source"], label["name"], label["route"]
        want = model_of[(route["provider"], route["id"])] if route else None
        same = {want} | {model_of[(a["provider"], a["id"])] for a in label.get("also", [])}
        # A name the leaderboard gives with different hints is matched once per hint set; a
        # label is right only when every one of those matches is right.
        got = {match_name(source, name, index, hints).model_id for hints in names[(source, name)]} - {None}
        count = counts[source]
        count["matched"] += bool(got)
        count["labelled"] += want is not None
        count["strict"] += bool(got) and want is not None and got == {want}
        count["split_aware"] += bool(got) and want is not None and got <= same
    counts["all"] = sum(counts.values(), Counter())
    return counts


def test_precision_and_recall_against_the_labels(
    store: CatalogStore, index: MatchIndex, names: dict[tuple[str, str], set[tuple[str, ...]]]
) -> None:
    counts = _score(store, index, names)
    report = "; ".join(
        f"{source}: precision {c['strict']}/{c['matched']} (split-aware {c['split_aware']}), "
        f"recall {c['strict']}/{c['labelled']}"
        for source, c in sorted(counts.items())
    )
    total = counts["all"]
    # Every strict miss is a model the catalog files under two ids (see `also` in the labels).
    assert total["split_aware"] / total["matched"] >= 0.97, report
    assert total["strict"] / total["matched"] >= 0.95, report
    assert total["strict"] / total["labelled"] >= 0.90, report
    for source in SOURCE_NAMES:
        assert counts[source]["split_aware"] / counts[source]["matched"] >= 0.95, report


def test_no_label_says_unmatched_where_the_matcher_matched(
    index: MatchIndex, names: dict[tuple[str, str], set[tuple[str, ...]]]
) -> None:
    wrongly_matched = [
        (label["source"], label["name"], match.model_id)
        for label in _labels()
        if label["route"] is None
        for hints in names[(label["source"], label["name"])]
        if (match := match_name(label["source"], label["name"], index, hints)).matched
    ]
    assert not wrongly_matched
