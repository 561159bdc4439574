"""What the CLI, the web app, the site builder and the runner call. Every read and write of the catalog,
its evidence and its history goes through a service, with the checks and choices that belong to it;
the views never import a store or SQL (tests/test_layers.py checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from versus.catalog.database import ForeignDatabase
from versus.catalog.store import CatalogStore
from versus.services.catalog import CatalogService
from versus.services.comparison import ComparisonService
from versus.services.errors import BadInput, NotFound, ServiceError
from versus.sync.catalog import CatalogUnavailable, open_catalog

if TYPE_CHECKING:
    from versus.services.evidence import EvidenceService
    from versus.services.history import HistoryService

__all__ = [
    "BadInput",
    "CatalogUnavailable",
    "ForeignDatabase",
    "NotFound",
    "ServiceError",
    "Services",
    "open_services",
]


@dataclass
class Services:
    """Every service over one generation of one catalog database."""

    store: CatalogStore
    rebuilt: bool = False
    warnings: list[str] = field(default_factory=list)  # why the catalog could not be brought up to date

    @cached_property
    def catalog(self) -> CatalogService:
        return CatalogService(self.store)

    @cached_property
    def comparisons(self) -> ComparisonService:
        return ComparisonService(self.store)

    @cached_property
    def evidence(self) -> EvidenceService:  # imported on first use: most commands need no evidence
        from versus.services.evidence import EvidenceService

        return EvidenceService(self.store, self.catalog, self.comparisons)

    @cached_property
    def history(self) -> HistoryService:
        from versus.services.history import HistoryService

        return HistoryService(self.store, self.catalog)

    @property
    def target(self) -> str:
        """What opens this database again (in another process: `versus serve`'s workers)."""
        return self.store.db.target

    def change_token(self) -> tuple[int | None, int | None]:
        """Changes when a rebuild or a run lands in the database."""
        return self.store.change_token()

    def newest(self) -> Services:
        """The same database at its newest generation."""
        return Services(CatalogStore(self.store.db))


def open_services(
    target: str | None = None, *, force: bool = False, today: Callable[[], date] = date.today
) -> Services:
    """The services over the catalog at `target` (a path or a postgresql:// URL; the user's default when
    None), rebuilt first when its sources changed (or `force`). ForeignDatabase for a database that is
    not ours; CatalogUnavailable when there is no catalog and none can be built."""
    opened = open_catalog(target, today=today, force=force)
    return Services(opened.store, opened.rebuilt, list(opened.warnings))
