"""What a catalog is built from: each catalog source's newest good snapshot, else its embedded data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from versus.catalog.database import Database
from versus.sync.store import SnapshotStore

if TYPE_CHECKING:
    from versus.benchmarks.types import BenchmarkData
    from versus.catalog.build import SourceLoader
    from versus.catalog.records import SourceData
    from versus.sync.types import SnapshotRow

# Catalog sources in build order; OpenRouter has no embedded copy (no licence to redistribute it).
CATALOG_SOURCES = ("models-dev", "genai-prices", "openrouter", "litellm")


def source_versions(db: Database, embedded: dict[str, str]) -> dict[str, str]:
    """Per source, the version the next build would use: its newest good snapshot's, else the embedded one."""
    versions = dict(embedded)
    for name, snapshot in SnapshotStore(db).latest_good().items():
        versions[name] = snapshot.version
    return versions


def embedded_by_source() -> dict[str, SourceLoader]:
    """The data each catalog source ships inside its package (or ours, for LiteLLM's map)."""
    from versus.sources import genai_prices, litellm, models_dev

    return {
        "models-dev": lambda _day: models_dev.load(),
        "genai-prices": genai_prices.load,
        "litellm": lambda _day: litellm.load(),
    }


def embedded_loaders() -> list[SourceLoader]:
    """The embedded sources' loaders, in build order: the catalog as shipped, with nothing synced."""
    embedded = embedded_by_source()
    return [embedded[name] for name in CATALOG_SOURCES if name in embedded]


def catalog_loaders(db: Database) -> list[SourceLoader]:
    """One loader per catalog source, in build order: its newest good snapshot, else its embedded data."""
    embedded = embedded_by_source()
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


def load_benchmarks(db: Database) -> tuple[list[BenchmarkData], dict[str, str]]:
    """Each source's results: its newest good snapshot in `db`, else the copy shipped with the package."""
    from versus.benchmarks.ingest import BENCHMARK_SOURCES
    from versus.sources.leaderboard_snapshots import embedded_sources, load_snapshot
    from versus.sources.leaderboards import adapter

    snapshots = SnapshotStore(db).latest_good()
    shipped = set(embedded_sources())
    loaded, versions = [], {}
    for name in BENCHMARK_SOURCES:
        snapshot = snapshots.get(name) if name != "models-dev" else None  # models-dev: the catalog source's name
        if snapshot is not None:
            files = SnapshotStore(db).files(snapshot)
            loaded.append(adapter(name).parse(files, snapshot_date=snapshot.snapshot_date))
            versions[name] = snapshot.version
        elif name in shipped:
            copy = load_snapshot(name)
            loaded.append(adapter(name).parse(copy.files, snapshot_date=copy.snapshot_date))
            versions[name] = f"shipped {copy.snapshot_date.isoformat()} {copy.commit[:12]}"
    return loaded, versions
