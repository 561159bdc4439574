"""Refresh the embedded LiteLLM price map from a URL or file, validated by the adapter before anything is replaced.

Run: make refresh-data [LITELLM=<url-or-file>] [LITELLM_VERSION=1.110.2] [LITELLM_DATE=2026-11-20]
Exit codes: 0 refreshed, 1 the new map was unusable (the old snapshot is untouched), 2 bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from versus.sources import litellm

MAX_BYTES = 64 * 1024 * 1024  # today's map is 3.5 MB; a payload 20x that is not a price map
MIN_ROUTES = 100
MAX_ERROR_SHARE = 0.05


class RefreshError(Exception):
    """The new map cannot replace the snapshot: why, in one line."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--litellm", default=litellm.UPSTREAM_URL, help="URL or file of the map (default: upstream main)"
    )
    parser.add_argument("--version", help="upstream version of the map (default: 'main' for the upstream URL)")
    parser.add_argument("--date", type=date.fromisoformat, help="date of the map, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--origin", help="where the bytes came from, if not the --litellm argument itself")
    parser.add_argument("--dest", type=Path, default=Path(litellm.__file__).parent / "data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    version = args.version or ("main" if args.litellm == litellm.UPSTREAM_URL else None)
    if version is None:
        parser.error("--version is required when --litellm is not the upstream URL")
    day = args.date or datetime.now(UTC).date()
    try:
        blob = read_source(args.litellm)
        meta = refresh(blob, version, day, args.origin or args.litellm, args.dest)
    except RefreshError as exc:
        print(f"error: {exc}; the embedded snapshot is unchanged", file=sys.stderr)
        return 1
    print(
        f"refreshed {args.dest / litellm.SNAPSHOT_FILE}: litellm {meta['version']} of {meta['date']}, "
        f"{meta['entries']} entries, {meta['routes']} routes, {meta['compressed_bytes']} bytes compressed"
    )
    return 0


def read_source(source: str) -> bytes:
    """The raw bytes of the map, from an http(s) URL or a local file, at most MAX_BYTES."""
    if source.startswith(("http://", "https://")):
        import httpx

        try:
            with httpx.stream("GET", source, timeout=60, follow_redirects=True) as response:
                response.raise_for_status()
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise RefreshError(f"{source} is larger than {MAX_BYTES} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise RefreshError(f"cannot fetch {source}: {exc}") from exc
    path = Path(source)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RefreshError(f"{source} is larger than {MAX_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise RefreshError(f"cannot read {source}: {exc.strerror or exc}") from exc


def refresh(blob: bytes, version: str, day: date, origin: str, dest: Path) -> dict[str, object]:
    """Validate the map with the adapter, then replace the snapshot and its metadata."""
    try:
        raw = json.loads(blob, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise RefreshError(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise RefreshError("not a JSON object of models")
    data = litellm.parse(raw, version, day)
    if len(data.errors) > MAX_ERROR_SHARE * len(raw):
        shown = "; ".join(f"{e.record_id}: {e.message}" for e in data.errors[:3])
        raise RefreshError(f"{len(data.errors)} of {len(raw)} entries unreadable ({shown}, ...)")
    if len(data.offerings) < MIN_ROUTES:
        raise RefreshError(f"only {len(data.offerings)} routes parsed (expected at least {MIN_ROUTES})")
    packed = lzma.compress(blob, preset=9 | lzma.PRESET_EXTREME)
    if lzma.decompress(packed) != blob:
        raise RefreshError("compressed snapshot does not decompress to the same bytes")
    meta: dict[str, object] = {
        "version": version,
        "date": day.isoformat(),
        "origin": origin,
        "upstream_url": litellm.UPSTREAM_URL,
        "license": "MIT, Copyright (c) 2023 Berri AI (see LICENSE-litellm.txt)",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "bytes": len(blob),
        "compressed_bytes": len(packed),
        "entries": len(raw),
    }
    _replace_together({dest / litellm.SNAPSHOT_FILE: packed, dest / litellm.METADATA_FILE: _dump(meta)})
    for error in data.errors:
        print(f"warning: {error.record_id}: {error.message}", file=sys.stderr)
    return {**meta, "routes": len(data.offerings)}


def _dump(meta: dict[str, object]) -> bytes:
    return (json.dumps(meta, indent=2) + "\n").encode()


def _replace_together(files: dict[Path, bytes]) -> None:
    """Write every file beside its target first, then rename each over its target, so a failed
    write leaves all the old files in place."""
    staged: dict[Path, Path] = {}
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            staged[path] = Path(tmp)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise RefreshError(f"cannot write beside {path}: {exc.strerror or exc}") from exc
    for path, tmp in staged.items():
        os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
