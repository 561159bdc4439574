"""At scale: random pairs and 4-way sets render in every format, prose numbers are table numbers,
and the JSON follows the committed schema."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from versus.analysis.benchmarks import ModelResult, results_from_rows
from versus.analysis.compare import Comparison, ModelInput, compare
from versus.analysis.related import CandidateIndex, build_candidates
from versus.analysis.tags import load_tag_rules
from versus.analysis.traffic import Blend, TrafficProfile
from versus.benchmarks.ingest import ingest
from versus.catalog.build import Catalog
from versus.render.json_view import comparison_to_dict
from versus.render.markdown import render_markdown
from versus.render.terminal import print_comparison
from versus.sources.leaderboard_snapshots import embedded_sources, load_embedded

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "schema" / "compare.schema.json").read_text())
# Numbers prose may state: money, ratios, token counts, percentages, route counts.
NUMBER = re.compile(
    r"\$[\d,]+(?:\.\d+)?|\d+(?:\.\d+)?×|\d+(?:\.\d+)?[kM]\b|\d+(?:\.\d+)?%|\d+(?= (?:[\w/-]+ )?routes?\b)"
)


@pytest.fixture(scope="module")
def shipped_results(catalog: Catalog) -> dict[str, list[ModelResult]]:
    """The shipped leaderboards' results (Aider, BFCL, simple-evals, models.dev) matched to the catalog."""
    data = [load_embedded(source) for source in embedded_sources()]
    by_model: dict[str, list[ModelResult]] = {}
    for result in results_from_rows(ingest(catalog, data, {}).rows):
        by_model.setdefault(result.model_id, []).append(result)
    return by_model


@pytest.fixture(scope="module")
def comparer(catalog: Catalog, shipped_results: dict[str, list[ModelResult]]):  # type: ignore[no-untyped-def]
    by_model: dict[str, list] = {}  # type: ignore[type-arg]
    for offering in catalog.offerings:
        by_model.setdefault(offering.model_id, []).append(offering)
    rules = load_tag_rules()
    rows = []
    for model in catalog.models.values():
        paid = [o for o in by_model[model.id] if o.kind.value == "pay-per-token"]
        outputs = [float(o.price.output) for o in paid if o.price.output is not None]
        providers = ",".join(sorted({o.provider_id for o in paid}))
        rows.append((model.id, model.name, model.family, providers, min(outputs) if outputs else None))
    candidates = CandidateIndex(build_candidates(rows))

    def run(ids: list[str], profile: TrafficProfile | None = None, blend: Blend | None = None) -> Comparison:
        profile, blend = profile or TrafficProfile(), blend or Blend()
        inputs = [ModelInput(catalog.models[i], by_model[i]) for i in ids]
        return compare(
            inputs,
            catalog.providers,
            profile=profile,
            blend=blend,
            today=date(2026, 11, 27),
            rules=rules,
            candidates=candidates,
            catalog_built=catalog.built_on,
            sources=catalog.sources,
            benchmarks={i: shipped_results.get(i, []) for i in ids},
        )

    return run


def _split_markdown(markdown: str) -> tuple[list[str], list[str]]:
    """(table cells, prose lines) of a Markdown comparison; headings count as prose."""
    cells, prose = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells += [c.strip() for c in line.strip("|").split("|")]
        elif line.strip():
            prose.append(line)
    return cells, prose


def check_prose_numbers(markdown: str) -> list[str]:
    cells, prose = _split_markdown(markdown)
    in_tables = {n for cell in cells for n in NUMBER.findall(cell)}
    missing = []
    for line in prose:
        if "versus compare" in line or line.startswith("#"):
            continue  # related-comparison commands and titles carry ids, not figures
        missing += [f"{n!r} in: {line[:120]}" for n in NUMBER.findall(line) if n not in in_tables]
    return missing


def _samples(catalog: Catalog, seed: int, size: int, count: int) -> list[list[str]]:
    ids = sorted(catalog.models)
    rng = random.Random(seed)
    return [rng.sample(ids, size) for _ in range(count)]


@pytest.mark.parametrize(("size", "count"), [(2, 200), (4, 20)])
def test_random_comparisons_are_consistent(catalog: Catalog, comparer, size: int, count: int) -> None:  # type: ignore[no-untyped-def]
    console = Console(file=open("/dev/null", "w"), width=140)  # noqa: SIM115
    problems = []
    for ids in _samples(catalog, seed=size, size=size, count=count):
        c = comparer(ids)
        markdown = render_markdown(c)
        print_comparison(c, console)
        data = comparison_to_dict(c)
        jsonschema.validate(json.loads(json.dumps(data)), SCHEMA)
        problems += [f"{ids}: {p}" for p in check_prose_numbers(markdown)]
    console.file.close()
    assert problems == []


def test_consistency_check_catches_a_number_missing_from_the_tables(comparer) -> None:  # type: ignore[no-untyped-def]
    markdown = render_markdown(comparer(["openai/gpt-4o-audio-preview", "mistralai/mistral-small-3.1-24b-instruct"]))
    assert check_prose_numbers(markdown) == []
    tampered = markdown.replace("Estimated monthly gap: $4,345", "Estimated monthly gap: $4,346")
    assert check_prose_numbers(tampered)


def test_unusual_profiles_stay_consistent(comparer) -> None:  # type: ignore[no-untyped-def]
    profiles = [
        TrafficProfile(requests=0),
        TrafficProfile(input_tokens=300_000, output_tokens=4_000, cache_hit=TrafficProfile().cache_hit),
        TrafficProfile(
            requests=5_000,
            cache_hit=__import__("decimal").Decimal("0.9"),
            batch_share=__import__("decimal").Decimal("1"),
        ),
    ]
    for profile in profiles:
        for blend in (Blend(), Blend(3, 1)):
            c = comparer(["anthropic/claude-sonnet-4.5", "google/gemini-2.5-pro", "openai/gpt-4o"], profile, blend)
            assert check_prose_numbers(render_markdown(c)) == []


# Flagships the shipped leaderboards score together: their Benchmarks sections have rows to check.
SCORED_SETS = [
    ["openai/gpt-5", "anthropic/claude-sonnet-4.5"],
    ["openai/gpt-4o", "anthropic/claude-3.5-sonnet", "openai/gpt-4.1"],
    ["openai/o3", "openai/o4-mini"],
    ["google/gemini-2.5-pro", "openai/gpt-5", "openai/o3"],
]


@pytest.mark.parametrize("ids", SCORED_SETS, ids=lambda ids: " vs ".join(ids))
def test_comparisons_with_shared_benchmarks_are_consistent(comparer, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    c = comparer(ids)
    assert c.benchmarks, "the shipped leaderboards score these models together"
    markdown = render_markdown(c)
    assert check_prose_numbers(markdown) == []
    jsonschema.validate(json.loads(json.dumps(comparison_to_dict(c))), SCHEMA)
    rows = [line for line in markdown.split("## Benchmarks", 1)[1].split("## Deep dive")[0].splitlines()]
    table_rows = [r for r in rows if r.startswith("| ") and not r.startswith("| Benchmark") and "---" not in r]
    assert len(table_rows) >= len(c.benchmarks)  # + the quality-per-dollar rows
