"""Every route's prices, as `versus routes` shows them, equal the prices in its source record."""

from __future__ import annotations

from decimal import Decimal

from versus.catalog.records import SourceOffering
from versus.catalog.store import CatalogStore
from versus.render.catalog import offering_to_dict
from versus.sync.loaders import embedded_loaders

from .conftest import TODAY


def _source_records() -> dict[tuple[str, str], SourceOffering]:
    """Every record of every source the catalog is built from, by its provenance."""
    records = {}
    for data in (load(TODAY) for load in embedded_loaders()):
        for offering in data.offerings:
            records[(offering.provenance.source, offering.provenance.record_id)] = offering
    return records


def _number(value: Decimal | None) -> float | int | None:
    return None if value is None else float(value)


def test_every_route_price_equals_its_source_record(store: CatalogStore) -> None:
    """Batch prices folded in from the provider's `:batch` variant equal that variant's record."""
    records = _source_records()
    offerings = store.offerings()
    by_route = {(o.provider_id, o.provider_model_id): o for o in offerings}
    folded = 0
    assert len(offerings) > 5000
    checked = 0
    for offering in offerings:
        shown = offering_to_dict(offering)["price"]
        source = shown["source"]
        if source is None:
            continue
        record = records[(source["source"], source["record_id"])]
        for field in ("input", "output", "cache_read", "cache_write", "batch_input", "batch_output"):
            expected = _number(getattr(record.price, field))
            if field.startswith("batch_") and "batch_prices_from" in offering.attributes:
                variant = by_route[(offering.provider_id, offering.attributes["batch_prices_from"])]
                assert variant.price_provenance is not None
                variant_record = records[(variant.price_provenance.source, variant.price_provenance.record_id)]
                expected = _number(getattr(variant_record.price, field.removeprefix("batch_")))
                folded += field == "batch_input"
            assert shown[field] == expected, (offering.provider_id, offering.provider_model_id, field)
        assert [t["above_input_tokens"] for t in shown["tiers"]] == [t.above_tokens for t in record.price.tiers]
        checked += 1
    assert checked == sum(1 for o in offerings if o.price_provenance is not None)
    assert checked > 5000
    assert folded > 20  # OpenRouter's `:batch` routes give their standard routes batch prices


def test_routes_command_shows_the_same_prices(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("routes", "mistralai/mistral-small-3.1-24b-instruct", "--format", "json")
    assert result.code == 0
    routes = result.json()
    azure = next(r for r in routes if r["provider"] == "azure")
    assert azure["provider_model_id"] == "mistral-small-2503"
    assert azure["price"]["input"] == 0.1 and azure["price"]["output"] == 0.3
    assert azure["price"]["cache_read"] is None
    assert {"provider", "provider_model_id", "kind", "price", "sources"} <= set(azure)
    assert azure["sources"][0]["source"] == "models-dev"
