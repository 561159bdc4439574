"""`versus sync`: fetch each source, keep the good payloads as snapshots, rebuild from the newest good ones.

One failing source never blocks the others: it keeps its last good snapshot and is reported with the
reason. A payload is checked before it is kept: readable by the source's own adapter, with records
(and prices) in it, and no fewer than half the records of the last good snapshot unless forced.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from versus.sync.fetch import FetchError, FetchOptions, fetch, is_url
from versus.sync.sources import Counted, PayloadError, SyncSource, locations, read_payload, sync_sources
from versus.sync.store import SnapshotStore, content_address
from versus.sync.types import SnapshotRow

Progress = Callable[[str], None]


class SyncUsageError(ValueError):
    """A source name or location the user gave is not one `versus sync` can use."""


@dataclass(frozen=True)
class SourceOutcome:
    source: str
    status: str  # updated | unchanged | failed
    records: int | None
    error: str | None
    location: str
    snapshot_date: date | None = None


@dataclass
class SyncReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    rebuilt: bool = False
    catalog_warning: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes) and self.catalog_warning is None


def sync(
    target: Path | str,
    names: Sequence[str] = (),
    overrides: Mapping[str, str] | None = None,
    *,
    today: date,
    force: bool = False,
    options: FetchOptions | None = None,
    environ: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Sync the named sources (every source when none is named), then rebuild if anything changed."""
    import httpx

    from versus.catalog.store import CatalogStore
    from versus.sync.catalog import open_catalog

    started = time.perf_counter()
    sources = sync_sources()
    overrides = dict(overrides or {})
    unknown = sorted({*names, *overrides} - set(sources))
    if unknown:
        raise SyncUsageError(f"unknown source {unknown[0]!r}; sources: {', '.join(sources)}")
    chosen = [sources[n] for n in (names or sources)]
    where = locations(sources, overrides, environ)
    store = CatalogStore(target)
    store.migrate()
    snapshots = SnapshotStore(store.db)
    good = snapshots.latest_good()
    report = SyncReport()
    options = options or FetchOptions()
    with httpx.Client(follow_redirects=True, headers={"User-Agent": "llm-versus sync"}) as client:
        for source in chosen:
            if progress:
                progress(source.name)
            report.outcomes.append(
                _sync_one(source, where[source.name], good.get(source.name), snapshots, today, force, options, client)
            )
    updated = any(o.status == "updated" for o in report.outcomes)
    opened = open_catalog(store.db, today=lambda: today, force=updated)
    report.rebuilt = opened.rebuilt
    report.catalog_warning = "; ".join(opened.warnings) or None
    report.seconds = time.perf_counter() - started
    return report


def _sync_one(
    source: SyncSource,
    location: str,
    previous: SnapshotRow | None,
    snapshots: SnapshotStore,
    today: date,
    force: bool,
    options: FetchOptions,
    client: Any,
) -> SourceOutcome:
    same_place = previous is not None and previous.location == location
    try:
        validators = previous.validators if previous and same_place else {}
        fetched = fetch(
            location, source.files, validators, options, client, base=source.base, alternates=source.alternates
        )
    except FetchError as exc:
        return _failed(snapshots, source, location, today, str(exc))
    if fetched.unchanged and previous is not None:
        return SourceOutcome(source.name, "unchanged", previous.records, None, location, previous.snapshot_date)
    kept = snapshots.files(previous) if previous and not all(fetched.files.values()) else {}
    files = {name: body if body is not None else kept.get(name, b"") for name, body in fetched.files.items()}
    sha = content_address(files)
    if previous is not None and sha == previous.sha256:
        return SourceOutcome(source.name, "unchanged", previous.records, None, location, previous.snapshot_date)
    day = fetched.data_date or today
    try:
        _, counted = read_payload(source, files, day, f"snapshot {day.isoformat()} {sha[:12]}")
    except PayloadError as exc:
        return _failed(snapshots, source, location, day, f"not a valid {source.name} payload: {exc}")
    problem = None if force else _implausible(source, counted, previous)
    if problem:
        snapshots.add(
            source.name,
            snapshot_date=day,
            location=location,
            status="refused",
            validators={},
            records=counted.records,
            priced=counted.priced,
            error=problem,
        )
        return SourceOutcome(source.name, "failed", counted.records, problem, location, day)
    snapshots.add(
        source.name,
        snapshot_date=day,
        location=location,
        status="good",
        validators=fetched.validators if is_url(location) else {},
        files=files,
        records=counted.records,
        priced=counted.priced,
    )
    return SourceOutcome(source.name, "updated", counted.records, None, location, day)


def _failed(snapshots: SnapshotStore, source: SyncSource, location: str, day: date, error: str) -> SourceOutcome:
    snapshots.add(source.name, snapshot_date=day, location=location, status="failed", validators={}, error=error)
    return SourceOutcome(source.name, "failed", None, error, location)


def _implausible(source: SyncSource, counted: Counted, previous: SnapshotRow | None) -> str | None:
    """Why a readable payload should not replace the last good one, or None when it may."""
    if counted.records == 0:
        return "no readable records in it"
    if counted.errors > counted.records:
        return f"{counted.errors:,} unreadable records against {counted.records:,} readable ones"
    if source.kind == "catalog" and counted.priced == 0:
        return "no record in it has a price: a field the adapter reads is missing or renamed"
    if previous is None or previous.records is None:
        return None
    for what, new, old in (
        ("records", counted.records, previous.records),
        ("priced records", counted.priced, previous.priced),
    ):
        if old and new * 2 < old:
            return (
                f"{new:,} {what}, fewer than half the {old:,} of the last good snapshot "
                f"({previous.snapshot_date.isoformat()}); pass --force to accept it"
            )
    return None
