"""The merged catalog from the embedded data: size, the reference models, route kinds, unknowns."""

from __future__ import annotations

from decimal import Decimal

from versus.catalog.build import Catalog
from versus.catalog.types import CAPABILITIES, RouteClass, RouteKind


def test_catalog_size(catalog: Catalog) -> None:
    assert len(catalog.models) >= 1000
    assert len(catalog.providers) >= 100
    assert not catalog.errors


def test_reference_models_exist_with_their_routes(catalog: Catalog) -> None:
    audio = catalog.models["openai/gpt-4o-audio-preview"]
    assert audio.name == "GPT-4o Audio"
    assert {o.provider_id for o in catalog.offerings_of(audio.id)} >= {"openai", "openrouter"}

    small = catalog.models["mistralai/mistral-small-3.1-24b-instruct"]
    providers = {o.provider_id for o in catalog.offerings_of(small.id)}
    assert providers >= {"openrouter", "cloudflare-workers-ai", "azure", "github-models"}
    assert small.parameters_total_b == Decimal("24")
    assert small.license is not None and small.license.spdx == "Apache-2.0" and small.license.osi_approved


def test_together_and_fireworks_are_one_provider_across_sources(catalog: Catalog) -> None:
    assert "together" not in catalog.providers and "fireworks" not in catalog.providers
    assert catalog.providers["togetherai"].source_ids == {
        "models-dev": "togetherai",
        "genai-prices": "together",
        "litellm": "togetherai",
    }
    assert catalog.providers["fireworks-ai"].source_ids == {
        "models-dev": "fireworks-ai",
        "genai-prices": "fireworks",
        "litellm": "fireworks-ai",
    }


def test_provider_kinds(catalog: Catalog) -> None:
    kinds = {p.id: p.route_class for p in catalog.providers.values()}
    assert kinds["openai"] is RouteClass.MAKER
    assert kinds["amazon-bedrock"] is RouteClass.CLOUD
    assert kinds["togetherai"] is RouteClass.HOST
    assert kinds["openrouter"] is RouteClass.GATEWAY


def test_free_and_plan_routes_are_kept_but_not_production(catalog: Catalog) -> None:
    routes = {(o.provider_id, o.provider_model_id): o for o in catalog.offerings}
    free = routes[("openrouter", "openai/gpt-oss-120b:free")]
    assert free.kind is RouteKind.FREE_TIER and not free.is_production
    github = routes[("github-models", "mistral-ai/mistral-small-2503")]
    assert github.kind is RouteKind.FREE_TIER and not github.is_production
    plans = [o for o in catalog.offerings if o.provider_id == "zai-coding-plan"]
    assert plans and all(o.kind is RouteKind.SUBSCRIPTION for o in plans)
    paid = routes[("openrouter", "openai/gpt-oss-120b")]
    assert paid.kind is RouteKind.PAY_PER_TOKEN and paid.is_production


def test_unknown_is_none_never_zero_or_false(catalog: Catalog) -> None:
    unpriced = [o for o in catalog.offerings if o.price_provenance is not None and not o.price.is_known]
    assert unpriced, "the sources list some routes without prices"
    assert all(o.price.input is None and o.price.output is None for o in unpriced)
    small = catalog.models["mistralai/mistral-small-3.1-24b-instruct"]
    assert small.capabilities.get("computer_use") is None  # no source states it
    assert set(small.capabilities) <= set(CAPABILITIES)


def test_every_fact_has_provenance(catalog: Catalog) -> None:
    for model in catalog.models.values():
        for fact in ("release_date", "context_window", "license", "parameters"):
            value = getattr(model, fact if fact != "parameters" else "parameters_total_b")
            if value is not None:
                assert fact in model.facts, (model.id, fact)
    for offering in catalog.offerings:
        assert offering.provenance
        if offering.price.is_known:
            assert offering.price_provenance is not None


def test_conflicts_keep_every_claim(catalog: Catalog) -> None:
    model = catalog.models["openai/gpt-oss-120b"]
    conflict = next(c for c in model.conflicts if c.fact == "context_window")
    assert len({c.value for c in conflict.claims}) >= 2
    assert conflict.chosen == model.context_window
    assert conflict.rule
