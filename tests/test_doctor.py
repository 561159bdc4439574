"""`versus doctor`'s identity section: candidate splits and candidate merges, found and explained."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from versus.analysis.doctor import diagnose
from versus.analysis.doctor_identity import candidate_merges, candidate_splits
from versus.catalog.build import Catalog
from versus.catalog.types import Offering, Resolution, RouteKind, RoutePrice


def _route(catalog: Catalog, provider: str, model_id: str) -> Offering:
    return next(o for o in catalog.offerings if (o.provider_id, o.provider_model_id) == (provider, model_id))


def test_the_built_catalog_has_no_candidate_splits_or_merges(catalog: Catalog) -> None:
    report = diagnose(list(catalog.models.values()), catalog.offerings, [], catalog.naming)
    assert report.candidate_splits == [] and report.candidate_merges == []
    summary = report.summary()
    assert summary["candidate_splits"] == 0 and summary["candidate_merges"] == 0


def test_a_split_model_is_a_candidate_split(catalog: Catalog) -> None:
    """Two routes of one name filed under two models, as the old resolver filed a reordered name."""
    moved = replace(
        _route(catalog, "digitalocean", "anthropic-claude-4.6-sonnet"),
        model_id="anthropic/anthropic-claude-4.6-sonnet",
        resolution=Resolution("anthropic/anthropic-claude-4.6-sonnet", 0.7, "no other route matches"),
    )
    kept = _route(catalog, "anthropic", "claude-sonnet-4-6")
    models = [
        catalog.models["anthropic/claude-sonnet-4.6"],
        replace(catalog.models["anthropic/claude-sonnet-4.6"], id=moved.model_id),
    ]
    found = candidate_splits(models, [moved, kept], catalog.naming)
    assert [(c.creator, c.models) for c in found] == [
        ("anthropic", ["anthropic/anthropic-claude-4.6-sonnet", "anthropic/claude-sonnet-4.6"])
    ]
    assert found[0].routes == ["digitalocean:anthropic-claude-4.6-sonnet", "anthropic:claude-sonnet-4-6"]


def test_a_split_identity_explains_is_not_a_candidate(catalog: Catalog) -> None:
    june = _route(catalog, "anthropic", "claude-3-5-sonnet-20240620")
    october = _route(catalog, "anthropic", "claude-3-5-sonnet-20241022")
    models = [catalog.models[june.model_id], catalog.models[october.model_id]]
    assert candidate_splits(models, [june, october], catalog.naming) == []


@pytest.mark.parametrize("reason", ["same model id as x", "same model id as x; price conflict: noted"])
def test_one_providers_two_prices_are_a_candidate_merge_unless_a_reason_is_recorded(
    catalog: Catalog, reason: str
) -> None:
    base = _route(catalog, "openai", "gpt-4o")
    cheap = replace(base, price=RoutePrice(input=Decimal("2.5"), output=Decimal("10")))
    dear = replace(
        base,
        provider_model_id="gpt-4o-copy",
        price=RoutePrice(input=Decimal(5), output=Decimal(15)),
        resolution=replace(base.resolution, reason=reason),
    )
    cheap = replace(cheap, resolution=replace(base.resolution, reason=reason))
    assert cheap.kind is RouteKind.PAY_PER_TOKEN
    found = candidate_merges([cheap, dear])
    if "price conflict" in reason:
        assert found == []
    else:
        assert [(c.model, c.provider, c.routes, c.apart) for c in found] == [
            ("openai/gpt-4o", "openai", ["gpt-4o", "gpt-4o-copy"], "1.68x")
        ]


def test_doctor_json_has_the_identity_keys(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("doctor", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["candidate_splits"] == [] and data["candidate_merges"] == []
    assert data["summary"]["candidate_splits"] == 0 and data["summary"]["candidate_merges"] == 0
    table = cli("doctor", "--limit", "3")
    assert table.code == 0 and "candidate splits" in table.out
