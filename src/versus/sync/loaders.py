"""What a catalog is built from: each catalog source's newest good snapshot, else its embedded data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from versus.catalog.database import Database
from versus.sources.records import SourceData
from versus.sync.store import SnapshotRow, SnapshotStore

if TYPE_CHECKING:
    from versus.catalog.build import SourceLoader

# Catalog sources in build order; OpenRouter has no embedded copy (no licence to redistribute it).
CATALOG_SOURCES = ("models-dev", "genai-prices", "openrouter", "litellm")


def source_versions(db: Database, embedded: dict[str, str]) -> dict[str, str]:
    """Per source, the version the next build would use: its newest good snapshot's, else the embedded one."""
    versions = dict(embedded)
    for name, snapshot in SnapshotStore(db).latest_good().items():
        versions[name] = snapshot.version
    return versions


def catalog_loaders(db: Database) -> list[SourceLoader]:
    """One loader per catalog source, in build order: its newest good snapshot, else its embedded data."""
    from versus.sources import genai_prices, litellm, models_dev

    embedded: dict[str, SourceLoader] = {
        "models-dev": lambda _day: models_dev.load(),
        "genai-prices": genai_prices.load,
        "litellm": lambda _day: litellm.load(),
    }
    snapshots = SnapshotStore(db).latest_good()
    loaders = []
    for name in CATALOG_SOURCES:
        if name in snapshots:
            loaders.append(_snapshot_loader(db, snapshots[name]))
        elif name in embedded:
            loaders.append(embedded[name])
    return loaders


def _snapshot_loader(db: Database, snapshot: SnapshotRow) -> SourceLoader:
    def load(today: date) -> SourceData:
        from versus.sync.sources import read_payload, sync_sources

        source = sync_sources()[snapshot.source]
        files = SnapshotStore(db).files(snapshot)
        # genai-prices dates its prices: the one in force is the one in force on the build date.
        day = today if snapshot.source == "genai-prices" else snapshot.snapshot_date
        data, _ = read_payload(source, files, day, snapshot.version)
        loaded: SourceData = replace(data, version=snapshot.version, snapshot_date=snapshot.snapshot_date)
        return loaded

    return load
