"""The name-matching index read from a built catalog: the one place the matcher meets the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from versus.benchmarks.matching import IndexRoute, MatchIndex, build_match_index

if TYPE_CHECKING:
    from versus.catalog.store import CatalogStore


def index_from_store(store: CatalogStore) -> MatchIndex:
    """Route keys, model name keys and first-party routes of the catalog in `store`."""
    naming = store.naming()
    kinds = {p.id: p.kind.value for p, _ in store.providers()}
    routes = [
        IndexRoute(
            provider=r.provider_id,
            provider_model_id=r.provider_model_id,
            match_key=r.match_key,
            model_id=r.model_id,
            kind=_kind(kinds.get(r.provider_id, "router"), naming.creators.get(r.provider_id), r.model_id),
        )
        for r in store.route_keys()
    ]
    return build_match_index(routes, {m.id: m.keys for m in store.summaries()}, naming)


def _kind(kind: str, provider_creator: str | None, model_id: str) -> str:
    """A first-party provider is first-party only for its own lab's models (Google's API also
    serves Claude); for others' models it counts as a cloud."""
    if kind == "first-party":
        return kind if provider_creator == model_id.partition("/")[0] else "cloud"
    return kind
