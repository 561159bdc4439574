"""Fresh data and what it changed: syncing the sources, price history and the list of changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from versus.catalog.history_store import HistoryStore
from versus.catalog.store import CatalogStore
from versus.catalog.types import ChangeRow, PriceInterval

if TYPE_CHECKING:
    from versus.catalog.types import Offering
    from versus.services.catalog import CatalogService
    from versus.sync.fetch import FetchOptions
    from versus.sync.run import SyncReport


class HistoryService:
    """Price history and changes recorded in one catalog database."""

    def __init__(self, store: CatalogStore, catalog: CatalogService) -> None:
        self.store, self.catalog = store, catalog

    def intervals(
        self, model_id: str, provider: str | None = None, offerings: Sequence[Offering] | None = None
    ) -> list[PriceInterval]:
        """Every price a model's routes have had, as intervals, oldest first per route (one provider's).
        `offerings`: the model's routes, when the caller has them (each read of them scans the routes)."""
        if provider:
            self.catalog.provider(provider)
        if offerings is None:
            offerings = self.catalog.routes(model_id)
        routes = [(o.provider_id, o.provider_model_id) for o in offerings]
        found = HistoryStore(self.store.db).intervals(routes, model_id)
        return [i for i in found if provider is None or i.provider == provider]

    def changes(self, since: date | None = None, limit: int = 5000) -> list[ChangeRow]:
        """New models, new and removed routes and price changes, newest first."""
        return HistoryStore(self.store.db).changes(since, limit=limit)


def sync_catalog(
    target: str | None,
    sources: Sequence[str],
    locations: dict[str, str],
    *,
    today: date,
    force: bool = False,
    options: FetchOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> SyncReport:
    """Fetch the named sources (all when none) and rebuild the catalog at `target` (the default one
    when None) from the newest good snapshots. SyncUsageError for a bad source name or location."""
    from versus.sync.catalog import default_db_path
    from versus.sync.run import sync

    return sync(
        target or default_db_path(),
        list(sources),
        locations,
        today=today,
        force=force,
        options=options,
        progress=progress,
    )
