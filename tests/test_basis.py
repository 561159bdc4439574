"""Over the whole catalog: every model's cost is priced on the route the basis rule names, checked
independently from the routes `versus routes --format json` prints."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.store import CatalogStore
from versus.render.catalog import offering_to_dict, route_sort_key
from versus.services.comparison import ComparisonService

from .conftest import TODAY

CLASS_ORDER = ["maker", "cloud", "host", "gateway"]


def _expected(routes: list[dict[str, Any]]) -> tuple[str, Decimal] | None:
    """The rule, restated: the maker's unflagged pay-per-token route; else the cheapest unflagged cloud or
    host route; else the cheapest unflagged route of any class. Monthly cost at the default profile of
    1M requests × 800 input + 250 output tokens (below every context tier) is 800 × input + 250 × output."""
    priced = [
        (Decimal(str(r["price"]["input"])) * 800 + Decimal(str(r["price"]["output"])) * 250, r)
        for r in routes
        if r["kind"] == "pay-per-token"
        and not r["flags"]
        and r["price"]["input"] is not None
        and r["price"]["output"] is not None
    ]
    for classes in (["maker"], ["cloud", "host"], CLASS_ORDER):
        pool = [(monthly, r["class"]) for monthly, r in priced if r["class"] in classes]
        if pool:
            monthly, cls = min(pool, key=lambda p: (p[0], CLASS_ORDER.index(p[1])))
            return cls, monthly
    return None


def _routes_json(store: CatalogStore) -> dict[str, list[dict[str, Any]]]:
    """What `versus routes MODEL --format json` prints, for every model at once (the command's own function)."""
    by_model: dict[str, list[dict[str, Any]]] = {}
    for offering in sorted(store.offerings(), key=route_sort_key):
        by_model.setdefault(offering.model_id, []).append(json.loads(json.dumps(offering_to_dict(offering))))
    return by_model


def test_every_models_basis_follows_the_rule(cli, store: CatalogStore) -> None:  # type: ignore[no-untyped-def]
    service = ComparisonService(store)
    ids = [m.id for m in store.summaries()]
    routes = _routes_json(store)
    for model_id in ids[::25]:  # the command prints exactly these routes
        result = cli("routes", model_id, "--format", "json")
        assert result.code == 0 and result.json() == routes.get(model_id, []), model_id
    checked = priced = 0
    for start in range(0, len(ids), 8):
        group = ids[start : start + 8]
        if len(group) < 2:
            group = [*group, ids[0]]
        comparison = service.compare(group, TrafficProfile(), Blend(), TODAY)
        # a last model alone is compared beside the first; only the models of this group count
        for side in comparison.models[: len(ids[start : start + 8])]:
            expected = _expected(routes.get(side.id, []))
            if expected is None:
                assert side.cost is None, side.id
            else:
                assert side.cost is not None, side.id
                # JSON prices are floats: the same figure to float precision
                assert side.cost.route.class_ == expected[0], side.id
                assert abs(side.cost.monthly - expected[1]) <= Decimal("1e-6") * max(expected[1], Decimal(1)), side.id
                priced += 1
            checked += 1
    assert checked == len(ids)
    assert priced > 1000
