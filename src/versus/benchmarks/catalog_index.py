"""The name-matching index read from a built catalog: the one place the matcher meets the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from versus.benchmarks.matching import IndexRoute, MatchIndex, build_match_index

if TYPE_CHECKING:
    from versus.catalog.store import CatalogStore


def index_from_store(store: CatalogStore) -> MatchIndex:
    """Route keys, model name keys and first-party routes of the catalog in `store`."""
    routes = [
        IndexRoute(
            provider=r.provider_id,
            provider_model_id=r.provider_model_id,
            match_key=r.match_key,
            model_id=r.model_id,
            kind=r.route_class,
        )
        for r in store.route_keys()
    ]
    return build_match_index(routes, {m.id: m.keys for m in store.summaries()}, store.naming())
