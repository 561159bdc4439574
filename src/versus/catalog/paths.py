"""Where the curated data lives, and a digest of it (kept free of heavy imports for fast startup)."""

from __future__ import annotations

import hashlib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def overlay_digest(data_dir: Path = DATA_DIR) -> str:
    """A hash of every curated file, so a changed overlay triggers a catalog rebuild."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.yaml")):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
