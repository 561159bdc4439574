"""What a snapshot is, as values: a fetched file's validators, and one stored snapshot of a source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Validators:
    """What a server said about one file, for the next conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified}


@dataclass(frozen=True)
class SnapshotRow:
    id: int
    source: str
    fetched_at: str
    snapshot_date: date
    location: str
    status: str  # good | refused | failed
    sha256: str | None
    validators: dict[str, Validators]
    records: int | None
    priced: int | None
    error: str | None

    @property
    def version(self) -> str:
        """How provenance names this snapshot: its data date and content address."""
        return f"snapshot {self.snapshot_date.isoformat()} {(self.sha256 or '')[:12]}"
