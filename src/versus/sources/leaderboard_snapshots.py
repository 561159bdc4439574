"""The benchmark snapshots shipped with the package (redistributable sources only), read and checked."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from versus.benchmarks.parsing import MAX_FILE_BYTES
from versus.benchmarks.types import BenchmarkData
from versus.sources.leaderboards import adapter

_PACKAGE = "versus.sources"
_FOLDER = ("data", "benchmarks")


class SnapshotError(Exception):
    """An embedded snapshot is missing, unreadable or not the bytes its metadata records."""


@dataclass(frozen=True)
class Snapshot:
    """One source's shipped files and where they came from."""

    source: str
    files: dict[str, bytes]
    snapshot_date: date
    origin: str
    commit: str
    licence: str


def embedded_sources() -> tuple[str, ...]:
    """The sources shipped as snapshots (Aider, BFCL, simple-evals: their licences allow it)."""
    return tuple(_metadata())


def load_snapshot(source: str) -> Snapshot:
    """The shipped files of `source`, each checked against its recorded size and SHA-256."""
    meta = _metadata().get(source)
    if meta is None:
        raise SnapshotError(f"no embedded snapshot of {source!r}; shipped: {', '.join(_metadata())}")
    folder = resources.files(_PACKAGE).joinpath(*_FOLDER, source)
    files: dict[str, bytes] = {}
    for name, expected in meta["files"].items():
        try:
            with folder.joinpath(f"{name}.gz").open("rb") as raw, gzip.open(raw) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise SnapshotError(f"{source}/{name}: cannot read the embedded copy: {exc}") from exc
        if len(data) != expected["bytes"] or hashlib.sha256(data).hexdigest() != expected["sha256"]:
            raise SnapshotError(f"{source}/{name}: embedded copy does not match its recorded SHA-256")
        files[name] = data
    return Snapshot(source, files, date.fromisoformat(meta["date"]), meta["origin"], meta["commit"], meta["licence"])


def load_embedded(source: str) -> BenchmarkData:
    """The results of one shipped source, parsed by its adapter."""
    snapshot = load_snapshot(source)
    return adapter(source).parse(snapshot.files, snapshot_date=snapshot.snapshot_date)


def _metadata() -> dict[str, Any]:
    try:
        text = resources.files(_PACKAGE).joinpath(*_FOLDER, "snapshots.json").read_text()
        meta: dict[str, Any] = json.loads(text)
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read the embedded snapshot index: {exc}") from exc
    return meta
